from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment

from ..core.config import settings

# Module-level Jinja2 environment — thread-safe, avoids per-request allocation.
_jinja_env = Environment(loader=BaseLoader(), autoescape=True)

router = APIRouter()


@router.get("/explorer", response_class=HTMLResponse)
async def get_ver_config_explorer():
    with open(settings.CONTROLLER_TEMPLATE_DIR + "/ver_config_explorer.html", "r") as f:
        template = _jinja_env.from_string(f.read())
    return HTMLResponse(
        template.render({"title": "Verifier configurations", "ver_configs": []})
    )
