"""VC-AuthN controller application (fixture).

Three places could start something per process: this module's top level, _startup() (run by
the lifespan before the first request) and the __main__ block (never used in the image).
"""

import os
import time
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.core.config import settings

from .routers import oidc, presentation_request
from .verificationConfigs.router import router as ver_configs_router

os.environ.setdefault("TZ", settings.TIMEZONE)
time.tzset()


async def _startup(app: FastAPI):
    """Serve the page assets and open the HTTP client the routes share."""
    assets = os.path.join(settings.CONTROLLER_TEMPLATE_DIR, "assets")
    app.mount("/static", StaticFiles(directory=assets, check_dir=False), name="static")
    app.state.http_client = httpx.AsyncClient(timeout=settings.ACAPY_REQUEST_TIMEOUT)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Run _startup(), then close the shared client on the way out."""
    await _startup(app)
    try:
        yield
    finally:
        await app.state.http_client.aclose()


app = FastAPI(title=settings.TITLE, lifespan=lifespan)

app.include_router(oidc.router, include_in_schema=False)
app.include_router(presentation_request.router, include_in_schema=False)
app.include_router(ver_configs_router, prefix="/ver_configs")

# every origin: the demo apps and relying parties call the controller from their own pages
origins = ["*"]

if origins:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )


@app.get("/health")
def health():
    """Liveness probe."""
    return {"ok": True}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=5100)
