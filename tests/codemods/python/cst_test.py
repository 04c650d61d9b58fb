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


@pytest.mark.parametrize(("name", "text"), texts())
def test_code_from_the_source_is_the_code(name: str, text: str) -> None:
    module = _cst.parse(name, text)
    for statement, source in zip(module.body, _cst.statement_sources(module), strict=True):
        code = insert_statements._without_leading_lines(module, statement, source)
        assert code == insert_statements._code(module, statement), name


def test_a_text_is_parsed_once() -> None:
    text = "x = 1\n"
    assert _cst.parse("a.py", text) is _cst.parse("b.py", "".join(["x = 1", "\n"]))


def test_a_syntax_error_names_the_file_each_time() -> None:
    for _ in range(2):
        with pytest.raises(CodemodError, match=r"broken\.py does not parse as Python"):
            _cst.parse("broken.py", "def (:\n")
