"""The did:webvh server application (fixture).

uvicorn's worker processes import this module; each of them runs the lifespan below.
"""

import logging
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from app.routers import explorer, identifiers
from config import settings

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Log the worker's start and stop around serving."""
    logger.info("worker ready for %s", settings.DOMAIN)
    yield
    logger.info("worker stopping")


app = FastAPI(title=settings.PROJECT_TITLE, lifespan=lifespan)

api_router = APIRouter()


@api_router.get("/api/health", tags=["Server"])
async def health():
    """Report that this worker serves requests."""
    return {"ok": True}


# /api routes first: the identifier routes match any /{namespace}/{alias}
api_router.include_router(explorer.router, prefix="/api/explorer")
api_router.include_router(identifiers.router)

app.include_router(api_router)
