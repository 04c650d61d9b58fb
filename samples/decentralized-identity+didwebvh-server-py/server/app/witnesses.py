"""Witness policy (fixture)."""


def witness_policy(required):
    """Describe whether DID updates need witness signatures."""
    return "required" if required else "optional"
