"""FILES patterns shared by codemods that take every file of a language."""


def by_extension(*extensions: str) -> tuple[str, ...]:
    """`*.ext` and `**/*.ext` for each extension: files at the repository root or below it."""
    return tuple(f"{prefix}*.{ext}" for ext in extensions for prefix in ("", "**/"))
