"""Innkeeper plugin (fixture). ACA-Py calls setup() inside its own process at startup."""

import logging

from acapy_agent.config.injection_context import InjectionContext

from . import innkeeper, tenants

LOGGER = logging.getLogger(__name__)


async def setup(context: InjectionContext):
    """Set up the plugin's parts; they only make sense on a multitenant agent."""
    if not context.settings.get("multitenant.enabled"):
        LOGGER.warning("innkeeper plugin loaded on a single-tenant agent: nothing to set up")
        return
    for part in (innkeeper, tenants):
        await part.setup(context)
