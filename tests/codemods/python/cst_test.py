"""codemods/python/_cst.py: the shared parse, and writing a changed module from its unchanged source."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods._api import CodemodError
from codemods.python import _cst, insert_statements

ROOT = Path(__file__).resolve().parents[3]
MODULES = {
    "plain": "import os\n\nx = 1\n\n\ndef f():\n    return x\n",
    "header comment": "# a header\n\n# above x\nx = 1\n# a footer\n",
    "decorated": "import a\n\n# why\n@a.b\n\n@a.c(\n    1,\n)\nclass C:\n    y = 1\n",
    "CRLF": "import os\r\n\r\nx = (\r\n    1\r\n)\r\n",
    "no final newline": "import os\nx = 1",
    "tabs": "if x:\n\ty = 1\n",
    "two on a line": "import os; import sys\nx = 1  # why\n",
    "empty": "",
    "only comments": "# one\n\n# two\n",
}
SAMPLES = sorted(ROOT.glob("samples/**/*.py"))
CLASS = """import os


class Settings:
    \"\"\"Doc.\"\"\"

    # a comment
    A: int = 1
    B: str = (
        "x"
        "y"
    )

    def f(self):
        if self.A:
            return 1
        # footer of f


    C = 2  # trailing
    # block footer


class Other:
  x = 1
"""


def texts() -> list[tuple[str, str]]:
    return [*MODULES.items(), *((str(p.relative_to(ROOT)), p.read_text()) for p in SAMPLES)]


def changes(module: cst.Module) -> list[cst.Module]:
    """Top-level edits the codemods make: insert, replace, remove, and all of them at once."""
    new = cst.parse_statement("added = 2\n", config=module.config_for_parsing)
    body = list(module.body)
    edits = [module.with_changes(body=[new, *body]), module.with_changes(body=[*body, new])]
    if body:
        middle = len(body) // 2
        replaced = body[middle].with_changes(leading_lines=(cst.EmptyLine(),))
        edits += [
            module.with_changes(body=[*body[:middle], replaced, *body[middle + 1 :]]),
            module.with_changes(body=body[1:]),
            module.with_changes(body=[new, *body[:middle], new, *body[middle:]]),
        ]
    return edits


@pytest.mark.parametrize(("name", "text"), texts())
def test_code_reusing_writes_what_libcst_writes(name: str, text: str) -> None:
    module = _cst.parse(name, text)
    sources = _cst.statement_sources(module)
    for changed in changes(module):
        assert _cst.code_reusing(module, text, sources, changed) == changed.code, name


def classes(module: cst.Module) -> list[tuple[int, str]]:
    """(index, body indentation) of each top-level class with an indented body."""
    return [
        (index, module.default_indent if statement.body.indent is None else statement.body.indent)
        for index, statement in enumerate(module.body)
        if isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock)
    ]


@pytest.mark.parametrize(("name", "text"), [*texts(), ("class", CLASS)])
def test_code_from_the_source_is_the_code(name: str, text: str) -> None:
    module = _cst.parse(name, text)
    scopes = [(list(module.body), ""), *(
        (list(module.body[index].body.body), indent) for index, indent in classes(module)
    )]  # fmt: skip
    for body, indent in scopes:
        sources = insert_statements._sources(module, body, indent)
        for statement, source in zip(body, sources, strict=True):
            code = insert_statements._code_from(module, statement, source, indent)
            assert code == insert_statements._code(module, statement), name


@pytest.mark.parametrize(("name", "text"), [*texts(), ("class", CLASS)])
def test_a_class_body_splice_writes_what_libcst_writes(name: str, text: str) -> None:
    module = _cst.parse(name, text)
    new = [cst.parse_statement("# why\nadded: int = 2\n", config=module.config_for_parsing)]
    for index, indent in classes(module):
        cls = module.body[index]
        body = list(cls.body.body)
        sources = insert_statements._sources(module, body, indent)
        for at in range(len(body) + 1):
            spliced = insert_statements._splice(module, text, sources, at, new, indent)
            grown = cls.with_changes(
                body=cls.body.with_changes(body=[*body[:at], *new, *body[at:]])
            )
            expected = module.with_changes(
                body=[*module.body[:index], grown, *module.body[index + 1 :]]
            ).code
            assert spliced in (None, expected), (name, at)


def test_a_text_is_parsed_once() -> None:
    text = "x = 1\n"
    assert _cst.parse("a.py", text) is _cst.parse("b.py", "".join(["x = 1", "\n"]))


def test_a_syntax_error_names_the_file_each_time() -> None:
    for _ in range(2):
        with pytest.raises(CodemodError, match=r"broken\.py does not parse as Python"):
            _cst.parse("broken.py", "def (:\n")
