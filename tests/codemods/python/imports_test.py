"""codemods/python/_imports.py adds imports exactly as libcst's AddImportsVisitor does."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from codemods.python._imports import add_imports

MODULES = {
    "empty": "",
    "code only": "x = 1\n",
    "docstring": '"""Doc."""\nx = 1\n',
    "docstring and imports": '"""Doc."""\n\nimport os\nimport sys\n\nx = 1\n',
    "strict flag": "__strict__ = True\nimport os\nx = 1\n",
    "future": "from __future__ import annotations\n\nimport os\n\n\ndef f():\n    pass\n",
    "from import": "import os\nfrom importlib.metadata import metadata\n\nx = 1\n",
    "from import twice": "from a import b\nfrom a import c\nx = 1\n",
    "aliased": "import os.path as p\nfrom importlib.metadata import version as v\nx = 1\n",
    "star": "from importlib.metadata import *\nx = 1\n",
    "star then names": "from importlib.metadata import *\nfrom importlib.metadata import a\n",
    "relative": "from . import x\nfrom .metadata import version\nx = 1\n",
    "two on a line": "import os; import sys\nx = 1\n",
    "comment above code": "import os\n# the app\napp = 1\n",
    "blank above code": "import os\n\napp = 1\n",
    "imports later": "x = 1\nimport os\nfrom importlib.metadata import version\n",
    "in a function": "def f():\n    from importlib.metadata import metadata\n",
    "parenthesized": "from importlib.metadata import (\n    metadata,\n    requires,\n)\n\nx = 1\n",
    "dotted module": "import os.path\nx = 1\n",
    "concatenated docstring": '"a" "b"\nimport os\n',
    "imports only": "import os\n",
}
REQUESTS = {
    "nothing": [],
    "module": [("os", None)],
    "new module": [("logging", None)],
    "dotted": [("os.path", None)],
    "name": [("importlib.metadata", "version")],
    "present name": [("importlib.metadata", "metadata")],
    "names": [("importlib.metadata", "version"), ("importlib.metadata", "files"), ("a", "d")],
    "future": [("__future__", "annotations"), ("json", None)],
    "mixed": [("zlib", None), ("abc", None), ("b.c", "x"), ("a", "b")],
}


def libcst_add_imports(module: cst.Module, imports: list[tuple[str, str | None]]) -> cst.Module:
    context = CodemodContext()
    for name, obj in imports:
        AddImportsVisitor.add_needed_import(context, name, obj)
    return AddImportsVisitor(context).transform_module(module)


@pytest.mark.parametrize("request_name", REQUESTS)
@pytest.mark.parametrize("module_name", MODULES)
def test_same_code_as_add_imports_visitor(module_name: str, request_name: str) -> None:
    module = cst.parse_module(MODULES[module_name])
    imports = REQUESTS[request_name]
    assert add_imports(module, imports).code == libcst_add_imports(module, imports).code


def test_nothing_to_add_is_the_same_module() -> None:
    module = cst.parse_module("import os\nx = 1\n")
    assert add_imports(module, []) is module
    assert add_imports(module, [("os", None)]).code == module.code
