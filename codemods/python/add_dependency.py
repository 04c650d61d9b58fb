"""Add a runtime dependency to pyproject.toml, in the file's own style (Poetry table or PEP 621 list).

PEP 621 entries are PEP 508 requirements (`name>=1.4; markers`), checked with `packaging`; Poetry
entries are `name = "^1.4"`, or `{ version = "^1.4", markers = "..." }` with markers.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import tomlkit
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Array, Table

from codemods._api import CodemodError
from codemods._lines import match_newlines, newline_of

DESCRIPTION = (
    "Add a runtime dependency to pyproject.toml ([tool.poetry.dependencies] or [project] "
    "dependencies)."
)
FILES = ("pyproject.toml", "**/pyproject.toml")


class Params(NamedTuple):
    name: str  # distribution name, e.g. 'pyroscope-io'
    constraint: str  # Poetry '^1.4.0' or PEP 508 '>=1.4.0,<2'
    after: str = ""  # existing dependency to insert after; default: sorted position, else last
    # PEP 508 environment markers, e.g. "sys_platform != 'win32'" where there are no wheels
    markers: str = ""


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


def _wanted(params: Params) -> str:
    """The constraint as the message shows it, with its markers."""
    return f"{params.constraint}; {params.markers}" if params.markers else params.constraint


def _conflict(existing: str, params: Params) -> CodemodError:
    """An existing entry with another constraint is a human decision, not ours to overwrite."""
    return CodemodError(
        f"{params.name} is already a dependency ({existing}), not {_wanted(params)}; "
        "change it by hand"
    )


def _same_markers(existing: str, wanted: str) -> bool:
    if not existing or not wanted:
        return existing == wanted
    try:
        return Marker(existing) == Marker(wanted)
    except InvalidMarker:
        return False


def _poetry_markers(params: Params) -> None:
    if params.markers:
        try:
            Marker(params.markers)
        except InvalidMarker:
            raise CodemodError(
                f"markers {params.markers!r} are not PEP 508 environment markers"
            ) from None


def _add_to_poetry(table: Table, params: Params) -> bool:
    _poetry_markers(params)
    keys = list(table.keys())
    names = [_normalize(key) for key in keys]
    wanted = _normalize(params.name)
    if wanted in names:
        value = table[keys[names.index(wanted)]]
        version, markers = (
            (value.get("version"), value.get("markers", ""))
            if isinstance(value, dict)
            else (str(value), "")
        )
        same = (version or "").replace(" ", "") == params.constraint.replace(" ", "")
        if not (same and _same_markers(markers, params.markers)):
            raise _conflict(f"{version}; {markers}" if markers else str(version), params)
        return False
    entry: str | tomlkit.items.Item = params.constraint
    if params.markers:
        pairs = [("version", params.constraint), ("markers", params.markers)]
        written = ", ".join(f"{key} = {tomlkit.string(value).as_string()}" for key, value in pairs)
        entry = tomlkit.value(f"{{ {written} }}")  # Poetry's documented spacing
    # `python` is conventionally first and outside the alphabetical order.
    index = _insert_index(names, params, first=1 if names[:1] == ["python"] else 0)
    # tomlkit has no public way to insert a key at a position (Table is append-only); these
    # Container methods keep the neighbours' comments and blank lines (pinned by the tests).
    if index >= len(keys):
        table.append(params.name, entry)
    elif index == 0:
        table.value._insert_at(0, params.name, entry)
    else:
        table.value._insert_after(keys[index - 1], params.name, entry)
    return True


def _requirement(text: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise CodemodError(f"{text!r} is not a PEP 508 requirement: {exc}") from None


def _add_to_pep621(array: Array, params: Params) -> bool:
    line = f"{params.name}{params.constraint}"
    if params.markers:
        line += f"; {params.markers}"
    new = _requirement(line)
    requirements = [str(item) for item in array]
    names = [_requirement_name(requirement) for requirement in requirements]
    if _normalize(params.name) in names:
        existing = requirements[names.index(_normalize(params.name))]
        try:
            old = Requirement(existing)
            same = old.specifier == new.specifier and old.marker == new.marker
        except InvalidRequirement:
            same = False
        if not same:
            raise _conflict(_NAME.sub("", existing, count=1).strip(), params)
        return False
    array.insert(_insert_index(names, params), line)
    return True
