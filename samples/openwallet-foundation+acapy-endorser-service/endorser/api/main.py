"""Main module for initializing and running the endorser service (sample).

Sets up logging, the FastAPI application with the endorser and webhook sub-applications,
and the startup and shutdown events.
"""

import logging
import os
import time

import uvicorn
from fastapi import FastAPI

from api.config import settings
from api.endpoints.routes import endorse, webhooks

log_level = os.getenv("LOG_LEVEL", "WARNING").upper()
logging.basicConfig(level=log_level)

logger = logging.getLogger(__name__)

os.environ["TZ"] = settings.TIMEZONE
time.tzset()


def endorser_app() -> FastAPI:
    """Create the FastAPI application for the endorser endpoints.

    Returns:
        FastAPI: A configured FastAPI application instance.
    """
    app = FastAPI(title=settings.TITLE, description=settings.DESCRIPTION)
    app.include_router(endorse.router, prefix=f"{settings.API_V1_STR}/endorse")
    return app


def webhook_app() -> FastAPI:
    """Create the FastAPI application for ACA-Py webhooks.

    Returns:
        FastAPI: A configured FastAPI application instance.
    """
    app = FastAPI(title="WebHooks", description="Endpoints for Aca-Py WebHooks")
    app.include_router(webhooks.router)
    return app


app = FastAPI(
    title=settings.TITLE,
    description=settings.DESCRIPTION,
    debug=settings.DEBUG,
    middleware=None,
)

app.mount("/endorser", endorser_app())
app.mount("/webhook", webhook_app())


@app.on_event("startup")
async def on_endorser_startup():
    """Register any events we need to respond to."""
    logger.warning(">>> Starting up app ...")


@app.on_event("shutdown")
def on_endorser_shutdown():
    """No-op for now."""
    logger.warning(">>> Shutting down app ...")


@app.get("/", tags=["liveness"])
def main():
    """Health check.

    Returns:
        dict: status and health, both "ok".
    """
    return {"status": "ok", "health": "ok"}


if __name__ == "__main__":
    port = int(os.getenv("PORT", 5000))
    uvicorn.run(app, host="0.0.0.0", port=port)
