"""Add Kubernetes objects (Applications, NetworkPolicies, ...) to a YAML file, or start the file.

Objects are appended as new documents after a `---`, in the file's own indentation; an object whose
`Kind/name` is already in the file is left alone. The existing documents stay byte-identical.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from codemods._api import CodemodError
from codemods._lines import Lines, newline_of
from codemods.gitops import _yaml
from codemods.helm._yaml import Layout, detect_layout

DESCRIPTION = "Append Kubernetes objects to a (multi-document) YAML file, once each."
FILES = ("**/*.yaml", "**/*.yml")


class Params(NamedTuple):
    documents: list[dict[str, Any]]  # objects with kind and metadata.name
    comments: dict[str, str] | None = (
        None  # 'Kind/name' -> comment line(s) written above the object
    )


def apply(params: Params, path: str, text: str) -> str:
    docs = _yaml.plain_documents(path, text) if text.strip() else []
    existing = {_yaml.identity(doc) for doc in docs}
    new = []
    for document in params.documents:
        name = _yaml.identity(document)
        if not name:
            raise CodemodError(f"{path}: a new document has no kind or metadata.name")
        if name not in existing:
            new.append(document)
            existing.add(name)
    if not new:
        return text
    layout = detect_layout(text) if text.strip() else Layout()
    chunks = []
    for document in new:
        comment = (params.comments or {}).get(_yaml.identity(document), "")
        lines = [f"# {line}".rstrip() for line in comment.splitlines()]
        chunks.append("\n".join(lines + _yaml.render(document, layout, _yaml.quote_of(text))))
    result = _join(text, chunks)
    if [doc for doc in _yaml.plain_documents(path, result) if doc is not None] != [
        *[doc for doc in docs if doc is not None],
        *[_yaml.plain(doc) for doc in new],
    ]:
        raise CodemodError(
            f"{path}: appending {', '.join(map(_yaml.identity, new))} did not give the expected documents"
        )
    return result


def _join(text: str, chunks: list[str]) -> str:
    newline = newline_of(text) if text else "\n"
    body = "\n---\n".join(chunks) + "\n"
    if not text.strip():
        return body.replace("\n", newline)
    lines = Lines.split(text)
    lines.final_newline = True
    while lines.lines and not lines.lines[-1].strip():
        lines.lines.pop()
    separator = [] if lines.lines and lines.lines[-1].strip() == "---" else ["---"]
    return Lines(lines.lines + separator + body.rstrip("\n").split("\n"), newline, True).join()
