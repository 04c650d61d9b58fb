"""Deep link page for wallets on the same device (fixture)."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment

from ..core.config import settings

# one environment per module; every request renders the page read from disk
_jinja_env = Environment(autoescape=True, loader=BaseLoader())

router = APIRouter()


@router.get("/url/pres_exch/{exchange_id}", response_class=HTMLResponse)
async def wallet_page(exchange_id: str):
    """Render wallet_howto.html with the wallet link for this exchange."""
    with open(
        f"{settings.CONTROLLER_TEMPLATE_DIR}/wallet_howto.html", encoding="utf-8"
    ) as page:
        template = _jinja_env.from_string(page.read())
    return template.render(wallet_link=f"fixture-wallet://proof/{exchange_id}")
