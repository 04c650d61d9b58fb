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
