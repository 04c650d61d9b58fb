from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment

from ..core.config import settings

# Module-level Jinja2 environment — thread-safe, avoids per-request allocation.
_jinja_env = Environment(loader=BaseLoader(), autoescape=True)

router = APIRouter()


@router.get("/authorize", response_class=HTMLResponse)
async def get_authorize(pid: str):
    with open(
        settings.CONTROLLER_TEMPLATE_DIR + "/verified_credentials.html", "r"
    ) as f:
        template_file = f.read()
    template = _jinja_env.from_string(template_file)
    return template.render({"title": "Scan QR Code", "pid": pid})
