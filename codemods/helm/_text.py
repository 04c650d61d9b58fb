"""Line-level editing that keeps a file's newline style and its (missing) final newline."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Lines:
    lines: list[str]  # without line endings
    newline: str = "\n"
    final_newline: bool = True  # some chart templates end without one; keep it that way

    @classmethod
    def split(cls, text: str) -> Lines:
        newline = "\r\n" if "\r\n" in text else "\n"
        body = text.removesuffix(newline)
        return cls(body.split(newline) if text else [], newline, text.endswith(newline) or not text)

    def join(self) -> str:
        text = self.newline.join(self.lines)
        return text + self.newline if self.final_newline and self.lines else text

    def insert(self, index: int, new: list[str]) -> None:
        self.lines[index:index] = new


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def is_blank(line: str) -> bool:
    return not line.strip()


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def reindent(block: str, indent: int) -> list[str]:
    """Lines of `block` with their common indentation replaced by `indent` spaces."""
    lines = block.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    common = min((indent_of(line) for line in lines if line.strip()), default=0)
    return [" " * indent + line[common:] if line.strip() else "" for line in lines]
