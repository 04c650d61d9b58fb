"""The worker's store connection (fixture: an in-memory dict)."""

from contextlib import asynccontextmanager


@asynccontextmanager
async def open_store():
    """Open the store for as long as the caller needs it."""
    store = {}
    try:
        yield store
    finally:
        store.clear()
