"""Stand-in for the Askar store the lifespan opens."""

from contextlib import asynccontextmanager


@asynccontextmanager
async def open_store():
    """A store that holds nothing."""
    yield object()
