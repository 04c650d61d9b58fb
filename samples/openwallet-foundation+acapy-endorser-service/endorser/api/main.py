"""Endorser API (fixture).

uvicorn serves this app with WEB_CONCURRENCY worker processes; each of them imports this
module, so module-level code runs once per worker and once more in the supervisor.
"""

import logging
import os
import time

import uvicorn
from fastapi import FastAPI

from api.config import settings

logging.basicConfig(level=os.getenv("LOG_LEVEL", "INFO").upper())
logger = logging.getLogger(__name__)

os.environ.setdefault("TZ", "UTC")
time.tzset()

app = FastAPI(title="Endorser API (fixture)", debug=settings.DEBUG)


@app.on_event("startup")
async def on_endorser_startup():
    """Prepare the worker before it serves requests."""
    logger.info("endorser api worker %s starting", os.getpid())


@app.get("/health", tags=["health"])
def main():
    """Answer the liveness probe.

    Returns:
        dict: the status "ok".
    """
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=int(os.getenv("PORT", "5000")))
