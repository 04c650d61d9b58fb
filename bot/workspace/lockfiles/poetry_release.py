"""Keep the release metadata poetry.lock already records for releases the relock did not change.

The bot relocks through the simple index (poetry.py), where Poetry reads a release's summary and
Python constraint from the files instead of PyPI's JSON API: the same release comes back as
`description = "UNKNOWN"` instead of `""`, `python-versions = ">=3.10,<4.0"` instead of
`"<4.0,>=3.10"`. Those lines would churn in every PR without any package moving, so for each release
locked before and after, the old lines are put back."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name

_KEPT = ("description", "python-versions")
# a release's header: from [[package]] to the first blank line or sub-table such as [package.dependencies]
_HEADER = re.compile(
    r'^\[\[package\]\]\nname = "(?P<name>[^"\n]+)"\nversion = "(?P<version>[^"\n]+)"\n(?P<rest>(?:(?!\[)[^\n]+\n)*)',
    re.MULTILINE,
)
_FIELD = re.compile(r'^(?P<key>[a-z-]+) = (?P<value>"(?:[^"\\\n]|\\.)*")$', re.MULTILINE)


def keep(old: str, new: str) -> str:
    """`new` with the kept fields of every release that `old` locks once, as `old` wrote them."""
    before = _fields_by_release(old)
    return _HEADER.sub(lambda block: _restore(block, before), new)


def _fields_by_release(text: str) -> dict[tuple[str, str], dict[str, str] | None]:
    found: dict[tuple[str, str], dict[str, str] | None] = {}
    for block in _HEADER.finditer(text):
        key = _key(block)
        fields = {m["key"]: m["value"] for m in _FIELD.finditer(block["rest"]) if m["key"] in _KEPT}
        found[key] = None if key in found else fields  # locked twice (two sources): leave it alone
    return found


def _restore(block: re.Match[str], before: dict[tuple[str, str], dict[str, str] | None]) -> str:
    old = before.get(_key(block))
    if not old:
        return block[0]

    def field(match: re.Match[str]) -> str:
        key = match["key"]
        return f"{key} = {old[key]}" if key in old else match[0]

    return block[0][: block.start("rest") - block.start()] + _FIELD.sub(field, block["rest"])


def _key(block: re.Match[str]) -> tuple[str, str]:
    return canonicalize_name(block["name"]), block["version"]
