"""The bot's PR body on re-runs: rewrite it only when the bot's own text changed, and keep
the boxes reviewers ticked. The first line is a marker with a digest of the generated text."""

from __future__ import annotations

import hashlib
import re

_MARKER = re.compile(
    r"^<!-- phase-3-bot:(?P<id>\S+) body:(?P<digest>[0-9a-f]{16}) -->$", re.MULTILINE
)
_BOX = re.compile(r"^- \[(?P<mark>[ xX])\] (?P<text>.*)$", re.MULTILINE)


def with_marker(change_id: str, content: str) -> str:
    digest = hashlib.sha256(content.encode()).hexdigest()[:16]
    return f"<!-- phase-3-bot:{change_id} body:{digest} -->\n{content}"


def _digest(body: str) -> str | None:
    match = _MARKER.search(body.split("\n", 1)[0])
    return match["digest"] if match else None


def for_update(existing: str, generated: str) -> str:
    """What the PR body should be: the existing one while the bot's text is unchanged (people's
    edits stay), else the new text with the boxes ticked in the existing body still ticked."""
    if _digest(existing) is not None and _digest(existing) == _digest(generated):
        return existing
    ticked = {m["text"].strip() for m in _BOX.finditer(existing) if m["mark"] in "xX"}
    return _BOX.sub(
        lambda m: f"- [x] {m['text']}" if m["text"].strip() in ticked else m[0], generated
    )
