"""Add a dependency to package.json, as `npm install` would: same indent, sorted slot, final newline kept."""

from __future__ import annotations

from typing import NamedTuple

from codemods._api import CodemodError
from codemods.node import _json

DESCRIPTION = (
    "Add a dependency to package.json (dependencies or devDependencies), keeping the file's layout."
)
FILES = ("package.json", "**/package.json")

SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


class Params(NamedTuple):
    name: str  # npm package name, e.g. '@pyroscope/nodejs'
    version: str  # range as written in package.json, e.g. '^0.6.4' or '0.6.4'
    section: str = "dependencies"  # or devDependencies (credo-ts keeps everything there)


def apply(params: Params, path: str, text: str) -> str:
    if params.section not in SECTIONS:
        raise CodemodError(f"section must be one of {', '.join(SECTIONS)}, not {params.section!r}")
    data, layout = _json.load(path, text)
    for section in SECTIONS:
        existing = data.get(section, {}).get(params.name)
        if existing is None:
            continue
        if section != params.section:
            raise CodemodError(
                f"{path}: {params.name} is already in {section} ({existing}); move it by hand"
            )
        if existing != params.version:
            raise CodemodError(
                f"{path}: {params.name} is already a dependency ({existing}), not {params.version}; change it by hand"
            )
        return text
    dependencies = data.get(params.section, {})
    if not isinstance(dependencies, dict):
        raise CodemodError(f"{path}: {params.section} is not an object")
    data[params.section] = _json.insert_key(
        dependencies, params.name, params.version, _slot(list(dependencies), params.name)
    )
    return _json.dump(data, layout)


def _slot(names: list[str], name: str) -> int:
    """npm keeps dependencies sorted; a hand-ordered list gets the new entry last."""
    if names != sorted(names, key=str.lower):
        return len(names)
    return sum(1 for existing in names if existing.lower() < name.lower())
