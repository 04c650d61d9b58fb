"""Stand-in for the witness policy the health route reports."""


def witness_policy(required: bool) -> str:
    """The policy's name."""
    return "required" if required else "optional"
