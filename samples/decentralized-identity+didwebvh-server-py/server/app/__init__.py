"""The did:webvh server application (fixture).

uvicorn's worker processes import this module; each of them runs the lifespan below.
"""

import logging
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from app.routers import explorer, identifiers
from app.storage import open_store
from app.witnesses import witness_policy
from config import settings

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Open this worker's store connection for as long as it serves."""
    async with open_store() as store:
        app.state.store = store
        logger.info("worker ready for %s", settings.DOMAIN)
        yield


app = FastAPI(title=settings.PROJECT_TITLE, lifespan=lifespan)
app.mount("/static", StaticFiles(directory="app/static"), name="static")

api_router = APIRouter()


@api_router.get("/api/health", tags=["Server"])
async def health():
    """Report that this worker serves requests, and the witness policy it applies."""
    return {"ok": True, "witness": witness_policy(settings.WITNESS_REQUIRED)}


# /api routes first: the identifier routes match any /{namespace}/{alias}
api_router.include_router(explorer.router, prefix="/api/explorer")
api_router.include_router(identifiers.router)

app.include_router(api_router)
