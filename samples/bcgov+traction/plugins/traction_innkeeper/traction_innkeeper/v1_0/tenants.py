"""The tenants part of the plugin (fixture)."""

import logging

LOGGER = logging.getLogger(__name__)


async def setup(context):
    """Register the tenants routes and event handlers."""
    LOGGER.info("tenants set up")
