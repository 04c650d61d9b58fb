"""The source templates codemods write new files and snippets from (codemods/_templates/).

Placeholders are `__NAME__` (upper case). Every placeholder needs a value and every value a
placeholder, so a typo in a recipe fails instead of leaving `__APP_NAME__` in a pull request.
Values are restricted to characters that are safe inside a string literal in any of the languages
the templates are written in (TS, Python, HTML/Jinja), so no escaping is needed.
"""

from __future__ import annotations

import re
from importlib import resources

from codemods._api import CodemodError

_PLACEHOLDER = re.compile(r"__([A-Z][A-Z0-9_]*)__")
_SAFE_VALUE = re.compile(r"[A-Za-z0-9 ._~:/@+=%-]*")


def names() -> list[str]:
    return sorted(
        entry.name for entry in resources.files("codemods").joinpath("_templates").iterdir()
    )


def source(name: str) -> str:
    path = resources.files("codemods").joinpath("_templates", name)
    if not path.is_file():
        raise CodemodError(f"no template {name!r} (known: {', '.join(names())})")
    return path.read_text(encoding="utf-8")


def placeholders(name: str) -> set[str]:
    """The template's value names, lower case as recipes write them."""
    return {match.lower() for match in _PLACEHOLDER.findall(source(name))}


def render(name: str, values: dict[str, str]) -> str:
    text = source(name)
    wanted = set(_PLACEHOLDER.findall(text))
    given = {key.upper(): str(value) for key, value in values.items()}
    if missing := sorted(wanted - given.keys()):
        raise CodemodError(
            f"template {name} needs values for: {', '.join(m.lower() for m in missing)}"
        )
    if unused := sorted(given.keys() - wanted):
        raise CodemodError(
            f"template {name} has no placeholder for: {', '.join(u.lower() for u in unused)}"
        )
    for key, value in given.items():
        if not _SAFE_VALUE.fullmatch(value):
            raise CodemodError(
                f"value for {key.lower()} has characters a template cannot take: {value!r}"
            )
    return _PLACEHOLDER.sub(lambda match: given[match.group(1)], text)
