"""Text as lines, in the file's own newline style (LF or CRLF) and with its final newline or its absence.

Every codemod that edits by lines goes through here, so the lines we add to a CRLF file end in CRLF too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BARE_LF = re.compile(r"(?<!\r)\n")


def newline_of(text: str) -> str:
    """CRLF when every line ending in `text` is CRLF; otherwise LF (a mixed file keeps its `\\r`s)."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf == text.count("\n") else "\n"


def match_newlines(text: str, newline: str) -> str:
    """`text` with the bare LFs we wrote turned into `newline` (CRLFs already there stay as they are)."""
    return _BARE_LF.sub(newline, text) if newline != "\n" else text


@dataclass
class Lines:
    lines: list[str]  # without line endings
    newline: str = "\n"
    final_newline: bool = True  # some files end without one; keep it that way

    @classmethod
    def split(cls, text: str) -> Lines:
        newline = newline_of(text)
        body = text.removesuffix(newline)
        return cls(body.split(newline) if text else [], newline, text.endswith(newline) or not text)

    def join(self) -> str:
        text = self.newline.join(self.lines)
        return text + self.newline if self.final_newline and self.lines else text

    def insert(self, index: int, new: list[str]) -> None:
        self.lines[index:index] = new
