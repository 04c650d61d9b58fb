"""Expected failures: the CLI prints the message and exits 1; anything else is a bug with a traceback.

Subclasses exist only where a caller branches on them.
"""

from __future__ import annotations


class BotError(Exception):
    """A failure the user can act on; the message names the subject and what is missing."""


class ConfigError(BotError):
    """Settings or credentials are missing or invalid."""


class ForgeError(BotError):
    """The forge (GitHub) refused or failed a request."""


class PushError(BotError):
    """`git push` (or the fetch before it) failed; `denied` says whether it was a permission problem."""

    def __init__(self, message: str, *, denied: bool = False) -> None:
        super().__init__(message)
        self.denied = denied
