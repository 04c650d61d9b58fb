"""Main entry point for the server."""

import asyncio
import logging
import os

import uvicorn

from app.plugins.storage import StorageManager

logger = logging.getLogger(__name__)

APP_PORT = int(os.getenv("APP_PORT", "8000"))
APP_WORKERS = int(os.getenv("APP_WORKERS", "4"))


if __name__ == "__main__":
    # Runs in the supervisor only; the workers import app/ on their own.
    logger.info("Provisioning database...")
    asyncio.run(StorageManager().provision())

    logger.info("Starting server...")
    uvicorn.run("app:app", host="0.0.0.0", port=APP_PORT, workers=APP_WORKERS, reload=False)
