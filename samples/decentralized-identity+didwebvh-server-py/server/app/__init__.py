import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, APIRouter
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from app.routers import explorer, identifiers
from app.plugins.storage import StorageManager
from config import settings
from app.utilities import build_witness_services, timestamp
from app.tasks import TaskManager

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Application lifespan events."""
    # Startup: ensure the database is provisioned (skip in test mode)
    if not os.getenv("PYTEST_CURRENT_TEST"):
        logger.info("Provisioning database on startup...")
        await StorageManager().provision()
        await TaskManager(timestamp()).set_policies(force=False)
    yield
    if not os.getenv("PYTEST_CURRENT_TEST"):
        logger.info("Shutting down application...")


app = FastAPI(title=settings.PROJECT_TITLE, version=settings.PROJECT_VERSION, lifespan=lifespan)

app.mount("/static", StaticFiles(directory="app/static"), name="static")

app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

api_router = APIRouter()


@api_router.get("/api/server/status", tags=["Server"])
async def server_status():
    """Server status endpoint."""
    return {"status": "ok", "domain": settings.DOMAIN, "witnesses": build_witness_services(None)}


api_router.include_router(explorer.router, prefix="/api/explorer")
api_router.include_router(identifiers.router)

app.include_router(api_router)
