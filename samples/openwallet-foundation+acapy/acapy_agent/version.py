"""Version string of the installed fixture agent."""

from importlib.metadata import version

__version__ = version("acapy-agent")
