"""Read-only page listing the verifier configurations (fixture)."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment

from ..core.config import settings

# one environment per module; every request renders the page read from disk
_jinja_env = Environment(autoescape=True, loader=BaseLoader())

router = APIRouter()


@router.get("/explorer", response_class=HTMLResponse)
async def explorer_page():
    """Render ver_config_explorer.html with no configurations."""
    with open(
        f"{settings.CONTROLLER_TEMPLATE_DIR}/ver_config_explorer.html", encoding="utf-8"
    ) as page:
        template = _jinja_env.from_string(page.read())
    return template.render(title="Verifier configurations", configs=[])
