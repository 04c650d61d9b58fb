import os
import time
from contextlib import asynccontextmanager

import httpx
import structlog
import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.core.config import settings

from .routers import oidc, presentation_request
from .verificationConfigs.router import router as ver_configs_router

logger: structlog.typing.FilteringBoundLogger = structlog.getLogger(__name__)

os.environ["TZ"] = settings.TIMEZONE
tzset = getattr(time, "tzset", None)
if tzset is not None:
    tzset()


async def _startup(app: FastAPI):
    """Startup logic. Extracted for testability."""
    # Static assets are mounted at startup so the template directory can come from fixtures.
    app.mount(
        "/static",
        StaticFiles(directory=(settings.CONTROLLER_TEMPLATE_DIR + "/assets")),
        name="static",
    )

    app.state.http_client = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.ACAPY_REQUEST_TIMEOUT),
        limits=httpx.Limits(max_keepalive_connections=20, max_connections=100),
    )

    logger.info(">>> Starting up app new ...")


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Manage application startup and shutdown."""
    await _startup(app)

    yield

    logger.info(">>> Shutting down app ...")
    if hasattr(app.state, "http_client"):
        await app.state.http_client.aclose()


def get_application() -> FastAPI:
    application = FastAPI(
        title=settings.TITLE,
        description=settings.DESCRIPTION,
        debug=settings.DEBUG,
        lifespan=lifespan,
    )
    return application


app = get_application()

# Include routers
app.include_router(ver_configs_router, prefix="/ver_configs", tags=["ver_configs"])
app.include_router(oidc.router, tags=["OpenID Connect Provider"], include_in_schema=False)
app.include_router(presentation_request.router, include_in_schema=False)


@app.get("/", tags=["liveness", "readiness"])
@app.get("/health", tags=["liveness", "readiness"])
def main():
    return {"status": "ok", "health": "ok"}


if __name__ == "__main__":
    logger.info("main.")
    uvicorn.run(app, host="0.0.0.0", port=5100)
