"""The bot's part of an issue body: the text between its begin and end markers, nothing else.

    <!-- phase-3-bot:item:acapy-profiling begin meta:0123456789ab -->
    ...what the bot writes (ticked boxes are carried over, hidden JSON at the end)...
    <!-- phase-3-bot:end -->

The begin marker names the issue (kind and key), so it is found again open or closed, and carries a
digest of the title and labels the bot last asked for: those are set again only when the recipes
change them, so a person's retitling or removed label survives. Everything outside the markers is a
person's and is kept byte for byte (line endings aside: GitHub's editor turns them into CRLF).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

_BOX = re.compile(r"^- \[(?P<mark>[ xX])\] (?P<text>.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Marker:
    bot: str  # "phase-3-bot": the campaign's name, so two campaigns can share a tracking repo
    kind: str  # "item" or "dashboard"
    key: str  # the item id, or the campaign name for the dashboard

    @property
    def identity(self) -> str:
        """What a body holds exactly when it is this issue (looked for after a failed create)."""
        return f"<!-- {self.bot}:{self.kind}:{self.key} begin "

    @property
    def end(self) -> str:
        return f"<!-- {self.bot}:end -->"

    def begin(self, title: str, labels: tuple[str, ...]) -> str:
        return f"{self.identity}meta:{meta_digest(title, labels)} -->"

    def hidden(self, name: str, data: Any) -> str:
        """Data for the bot's next run, out of sight: `<!-- <bot>:<name> {json} -->`."""
        return f"<!-- {self.bot}:{name} {_safe_json(data)} -->"


@dataclass(frozen=True)
class Region:
    text: str  # from the begin marker to the end marker, both included (LF line endings)
    meta: str  # the digest in the begin marker
    before: str  # a person's text around it
    after: str


def meta_digest(title: str, labels: tuple[str, ...]) -> str:
    return hashlib.sha256("\0".join((title, *labels)).encode()).hexdigest()[:12]


def normalized(body: str) -> str:
    return body.replace("\r\n", "\n")


def find_region(body: str, marker: Marker) -> Region | None:
    text = normalized(body)
    begin = re.search(re.escape(marker.identity) + r"meta:(?P<meta>[0-9a-f]{12}) -->", text)
    if begin is None:
        return None
    end = text.find(marker.end, begin.end())
    if end < 0:  # a person cut the end marker: the bot's text runs to the end of the body
        return Region(text[begin.start() :], begin["meta"], text[: begin.start()], "")
    stop = end + len(marker.end)
    return Region(text[begin.start() : stop], begin["meta"], text[: begin.start()], text[stop:])


def with_region(body: str, marker: Marker, region: str) -> str:
    """`body` with the bot's region replaced by `region`, or `region` appended below a person's text."""
    found = find_region(body, marker)
    if found is not None:
        return found.before + region + found.after
    person = normalized(body).rstrip()
    return f"{person}\n\n{region}\n" if person else f"{region}\n"


def keys(body: str, bot: str, kind: str) -> list[str]:
    """The keys of every `kind` region of `bot` in a body (normally one)."""
    pattern = rf"<!-- {re.escape(bot)}:{kind}:(\S+) begin meta:[0-9a-f]{{12}} -->"
    return re.findall(pattern, normalized(body))


def ticked(region: str) -> set[str]:
    """The texts of the ticked task-list boxes, by whoever ticked them."""
    return {m["text"].strip() for m in _BOX.finditer(region) if m["mark"] in "xX"}


def read_hidden(region: str, marker: Marker, name: str) -> Any:
    found = re.search(rf"<!-- {re.escape(marker.bot)}:{name} (?P<json>.*?) -->", region)
    if found is None:
        return None
    try:
        return json.loads(found["json"])
    except ValueError:  # a person edited it: start again from what the bot can see
        return None


def _safe_json(data: Any) -> str:
    """JSON that cannot end the HTML comment it sits in (no `-->`, no `<!--`)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("--", "-\\u002d")
