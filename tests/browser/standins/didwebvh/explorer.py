"""Stand-in for the explorer router: its landing page, rendered as the real route renders it."""

from config import templates
from fastapi import APIRouter, Request

router = APIRouter(tags=["Explorer"])


@router.get("/")
async def explorer_index(request: Request):
    """Landing page of the explorer UI."""
    return templates.TemplateResponse(request=request, name="pages/index.jinja", context={})
