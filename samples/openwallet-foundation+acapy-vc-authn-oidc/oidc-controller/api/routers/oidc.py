"""The QR code page the OIDC authorize endpoint shows (fixture)."""

import os

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment

from ..core.config import settings

# one environment per module; every request renders the page read from disk
_jinja_env = Environment(autoescape=True, loader=BaseLoader())

router = APIRouter()


@router.get("/authorize", response_class=HTMLResponse)
async def authorize_page(pid: str):
    """Render verified_credentials.html for one presentation."""
    path = os.path.join(settings.CONTROLLER_TEMPLATE_DIR, "verified_credentials.html")
    with open(path, encoding="utf-8") as page:
        template = _jinja_env.from_string(page.read())
    return template.render(title="Prove who you are", pid=pid, qr_png="")
