"""Explorer API: lists the DIDs this server hosts (fixture)."""

from fastapi import APIRouter

router = APIRouter(tags=["Explorer"])


@router.get("/dids")
async def list_dids():
    """List the hosted DIDs."""
    return {"results": []}
