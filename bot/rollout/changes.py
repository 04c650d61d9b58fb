"""Apply a change set's codemod steps to a checkout: read, transform, write. No git, no network."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.campaign.model import Step
from codemods import CODEMODS, CodemodError, NotApplicable


@dataclass
class Edits:
    files: dict[str, str] = field(default_factory=dict)  # path -> new text, for files that changed
    skipped: list[str] = field(default_factory=list)  # steps that did not apply, with the reason
    error: str = ""  # the first step that failed, and why

    @property
    def failed(self) -> bool:
        return bool(self.error)


def apply_steps(steps: tuple[Step, ...], root: Path) -> Edits:
    """Run the steps in order; a later step on the same file sees the earlier step's result."""
    edits = Edits()
    texts: dict[str, str | None] = {}
    for step in steps:
        label = f"{step.codemod} on {step.path}"
        try:
            if step.path not in texts:
                texts[step.path] = _read(root, step)
            before = texts[step.path] or ""
            texts[step.path] = CODEMODS[step.codemod].apply(step.params, step.path, before)
        except NotApplicable as exc:
            edits.skipped.append(f"{label}: skipped: {exc}")
        except (CodemodError, _StepError) as exc:
            edits.error = f"{label}: {exc}"
            return edits
        except Exception as exc:  # noqa: BLE001 - a codemod bug must not take the other change sets down
            edits.error = f"{label}: codemod crashed: {type(exc).__name__}: {exc}"
            return edits
    for path, text in texts.items():
        if text is not None and text != _current(root, path):
            _write(root, path, text)
            edits.files[path] = text
    return edits


class _StepError(Exception):
    pass


def _resolve(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or Path(relative).is_absolute():
        raise _StepError(f"path {relative!r} is outside the repository")
    return target


def _read(root: Path, step: Step) -> str | None:
    target = _resolve(root, step.path)
    if not target.is_file():
        if step.create:
            return None
        raise _StepError(
            f"missing target file {step.path} (the recipe expects it; has the repo moved it?)"
        )
    try:
        # newline="" semantics: bytes decoded as they are, so CRLF and a missing last newline survive
        return target.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _StepError(
            f"{step.path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def _current(root: Path, relative: str) -> str | None:
    target = root / relative
    return target.read_bytes().decode("utf-8") if target.is_file() else None


def _write(root: Path, relative: str, text: str) -> None:
    target = _resolve(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
