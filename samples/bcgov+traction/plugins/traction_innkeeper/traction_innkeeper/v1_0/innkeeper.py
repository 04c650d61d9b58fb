"""The innkeeper part of the plugin (fixture)."""

import logging

LOGGER = logging.getLogger(__name__)


async def setup(context):
    """Register the innkeeper routes and event handlers."""
    LOGGER.info("innkeeper set up")
