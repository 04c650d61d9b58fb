import logging


from acapy_agent.config.injection_context import InjectionContext


from acapy_agent.core.event_bus import EventBus
from acapy_agent.core.protocol_registry import ProtocolRegistry

from . import innkeeper, tenant

MODULES = [
    innkeeper,
    tenant,
]

LOGGER = logging.getLogger(__name__)


async def setup(context: InjectionContext):
    LOGGER.info("> plugin setup...")

    if not context.inject(ProtocolRegistry):
        raise ValueError("ProtocolRegistry missing in context")

    if not context.inject(EventBus):
        raise ValueError("EventBus missing in context")

    # The sub-modules are loaded by hand, not registered as plugins.
    if context.settings.get("multitenant.enabled"):
        for mod in MODULES:
            await mod.setup(context)

    LOGGER.info("< plugin setup.")
