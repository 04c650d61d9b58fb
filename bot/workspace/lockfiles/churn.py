"""How much a regenerated lock moved: lines added and removed, and which packages re-resolved."""

from __future__ import annotations

import difflib

from bot.workspace.lockfiles.model import Entry


def line_churn(old: str, new: str) -> tuple[int, int]:
    """(lines added, lines removed) between two versions of a lockfile."""
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def moved(old: set[Entry], new: set[Entry]) -> dict[str, str]:
    """Packages whose locked versions changed or went away: name -> 'old -> new'."""
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    for entry in old:
        before.setdefault(entry.name, set()).add(entry.version)
    for entry in new:
        after.setdefault(entry.name, set()).add(entry.version)
    changes = {}
    for name, versions in sorted(before.items()):
        gone = versions - after.get(name, set())
        if gone:
            replacement = ", ".join(sorted(after.get(name, set()) - versions)) or "removed"
            changes[name] = f"{', '.join(sorted(gone))} -> {replacement}"
    return changes


def unrelated(changes: dict[str, str], explained: set[str]) -> dict[str, str]:
    """The re-resolved packages neither the change set nor pre-existing drift accounts for."""
    return {name: change for name, change in changes.items() if name not in explained}
