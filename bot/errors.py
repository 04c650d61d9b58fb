"""Errors meant for users. bot/cli.py alone turns them into messages and exit codes."""


class BotError(Exception):
    """An expected failure, reported as its message without a traceback."""


class ConfigError(BotError):
    """The campaign or a recipe is invalid, or the command line asks for something unknown (exit 2)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class CloneError(BotError):
    """A repository could not be cloned or fetched."""


class ForgeError(BotError):
    """GitHub refused or failed a request; the message names the repository and the missing permission."""


class PushError(BotError):
    """`git push` (or the fetch before it) failed; `denied` says whether it was a permission problem."""

    def __init__(self, message: str, *, denied: bool = False) -> None:
        super().__init__(message)
        self.denied = denied
