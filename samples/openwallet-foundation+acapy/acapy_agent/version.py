"""Library version information."""

from importlib import metadata

__version__ = metadata.version("acapy-agent")
