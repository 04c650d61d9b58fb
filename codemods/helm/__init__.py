"""helm codemods, keyed by name within the ecosystem."""

CODEMODS: dict = {}
