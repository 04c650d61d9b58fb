"""web codemods, keyed by name within the ecosystem."""

CODEMODS: dict = {}
