"""Add a runtime dependency to pyproject.toml, in the file's own style (Poetry table or PEP 621 list)."""

from __future__ import annotations

import re
from typing import NamedTuple

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Array, Table

from codemods._api import CodemodError
from codemods._lines import match_newlines, newline_of

DESCRIPTION = "Add a runtime dependency to pyproject.toml ([tool.poetry.dependencies] or [project] dependencies)."
FILES = ("pyproject.toml", "**/pyproject.toml")


class Params(NamedTuple):
    name: str  # distribution name, e.g. 'pyroscope-io'
    constraint: str  # Poetry '^1.4.0' or PEP 508 '>=1.4.0,<2'
    after: str = ""  # existing dependency to insert after; default: sorted position, else last


def apply(params: Params, path: str, text: str) -> str:
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise CodemodError(f"{path} does not parse as TOML: {exc}") from exc
    pep621 = doc.get("project", {}).get("dependencies")
    if isinstance(pep621, Array):
        changed = _add_to_pep621(pep621, params)
    else:
        poetry = doc.get("tool", {}).get("poetry", {}).get("dependencies")
        if not isinstance(poetry, Table):
            raise CodemodError(
                f"{path} has neither [project] dependencies nor [tool.poetry.dependencies]"
            )
        changed = _add_to_poetry(poetry, params)
    # tomlkit writes the new entry with LF; a CRLF file gets CRLF
    return match_newlines(tomlkit.dumps(doc), newline_of(text)) if changed else text


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


_NAME = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*")


def _requirement_name(requirement: str) -> str:
    match = _NAME.match(requirement)
    return _normalize(match.group(0).strip()) if match else ""


def _insert_index(names: list[str], params: Params, first: int = 0) -> int:
    """Index to insert at: right after `after`, else the sorted slot when `names` is sorted, else the end."""
    if params.after:
        wanted = _normalize(params.after)
        if wanted not in names:
            raise CodemodError(f"cannot insert after {params.after!r}: no such dependency")
        return names.index(wanted) + 1
    sortable = names[first:]
    if sortable == sorted(sortable):
        new = _normalize(params.name)
        return first + sum(1 for name in sortable if name < new)
    return len(names)


def _check_existing(existing: str | None, params: Params) -> None:
    """An existing entry with another constraint is a human decision, not ours to overwrite."""
    if (existing or "").replace(" ", "") != params.constraint.replace(" ", ""):
        raise CodemodError(
            f"{params.name} is already a dependency ({existing}), not {params.constraint}; "
            "change it by hand"
        )


def _add_to_poetry(table: Table, params: Params) -> bool:
    keys = list(table.keys())
    names = [_normalize(key) for key in keys]
    wanted = _normalize(params.name)
    if wanted in names:
        value = table[keys[names.index(wanted)]]
        version = value.get("version") if isinstance(value, dict) else str(value)
        _check_existing(version, params)
        return False
    # `python` is conventionally first and outside the alphabetical order.
    index = _insert_index(names, params, first=1 if names[:1] == ["python"] else 0)
    if index >= len(keys):
        table.append(params.name, params.constraint)
    else:
        table.value._insert_after(keys[index - 1], params.name, params.constraint)
    return True


def _add_to_pep621(array: Array, params: Params) -> bool:
    requirements = [str(item) for item in array]
    names = [_requirement_name(requirement) for requirement in requirements]
    wanted = _normalize(params.name)
    if wanted in names:
        existing = requirements[names.index(wanted)]
        _check_existing(_NAME.sub("", existing, count=1).strip(), params)
        return False
    array.insert(_insert_index(names, params), f"{params.name}{params.constraint}")
    return True
