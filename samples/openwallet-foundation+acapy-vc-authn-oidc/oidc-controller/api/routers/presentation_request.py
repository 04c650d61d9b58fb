from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment

from ..core.config import settings

# Module-level Jinja2 environment — thread-safe, avoids per-request allocation.
_jinja_env = Environment(loader=BaseLoader(), autoescape=True)

router = APIRouter()


@router.get("/url/pres_exch/{pres_exch_id}")
async def send_connectionless_proof_req(pres_exch_id: str):
    with open(f"{settings.CONTROLLER_TEMPLATE_DIR}/wallet_howto.html", "r") as f:
        template = _jinja_env.from_string(f.read())
    return HTMLResponse(
        template.render({"wallet_deep_link": f"bcwallet://{pres_exch_id}"})
    )
