"""Start a profiler (pyroscope.configure) at the start of a startup function, only when its env var is set.

The generated helper reads the server address from the environment (pyroscope-io reads no
env vars itself), passes only arguments pyroscope-io 1.4 accepts, and marks the module so a
second component in the same process (an ACA-Py plugin) does not start a second profiler.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

import libcst as cst
import libcst.matchers as m

from codemods._api import CodemodError
from codemods.python import _cst

DESCRIPTION = "Call pyroscope.configure(...) first thing in a startup function when an env var is set."
FILES = ("*.py", "**/*.py")

# Set on the pyroscope module after configure(): process-local, so spawned workers start their own.
STARTED_MARKER = "started_by"


class Params(NamedTuple):
    function: str  # top-level function whose body starts profiling, e.g. 'main', '_startup'
    application_name: str  # Pyroscope application name, from the plan
    server_address_env: str  # env var holding the server address; unset = profiler off
    version_import: str = ""  # 'module:name' to import for the version tag, e.g. 'acapy_agent.version:__version__'
    version_expr: str = ""  # expression for the version tag; defaults to the imported name
    tags: dict[str, str] | None = None  # extra static tags
    lazy_import: bool = True  # import pyroscope only when enabled; False where lint forbids local imports
    helper: str = "_start_profiling"  # name of the generated function
    call: str = "pyroscope.configure"  # the module-level function that starts the profiler


def apply(params: Params, path: str, text: str) -> str:
    module = _cst.parse(path, text)
    module_name, _, func = params.call.rpartition(".")
    configure = m.Call(func=m.Attribute(value=m.Name(module_name), attr=m.Name(func)))
    if m.findall(module, configure):
        return text  # already configured here, by us or by hand
    if any(
        isinstance(statement, cst.FunctionDef) and statement.name.value == params.helper
        for statement in module.body
    ):
        raise CodemodError(f"{path} already defines {params.helper}() without {params.call}")
    index = _cst.top_level_function(module, params.function, path)
    target = module.body[index]
    helper = cst.parse_statement(_helper_source(params), config=module.config_for_parsing)
    helper = helper.with_changes(leading_lines=target.leading_lines)
    body = list(module.body)
    body[index : index + 1] = [helper, _with_call(target, params.helper, module)]
    module = module.with_changes(body=body)
    module = _cst.ensure_stdlib_import(module, "os")
    return _cst.add_imports(module, _top_level_imports(params, module_name)).code


def _top_level_imports(params: Params, module_name: str) -> list[tuple[str, str | None]]:
    """Imports the helper needs at module level; with lazy_import they live inside the helper."""
    if params.lazy_import:
        return []
    imports: list[tuple[str, str | None]] = [(module_name, None)]
    if params.version_import:
        source, _, name = params.version_import.partition(":")
        imports.append((source, name))
    return imports


def _local_import_lines(params: Params, module_name: str) -> list[str]:
    """isort-ordered import block for inside the helper: stdlib, third party, then the rest."""
    if not params.lazy_import:
        return []
    groups: list[list[str]] = [[], [f"import {module_name}"], []]
    if params.version_import:
        source, _, name = params.version_import.partition(":")
        stdlib = source.split(".")[0] in sys.stdlib_module_names
        groups[0 if stdlib else 2].append(f"from {source} import {name}")
    lines: list[str] = []
    for group in filter(None, groups):
        lines += [f"    {line}" for line in group] + [""]
    return lines


def _version_expr(params: Params) -> str:
    if params.version_expr:
        return params.version_expr
    if params.version_import:
        return params.version_import.partition(":")[2]
    raise CodemodError("set version_import or version_expr: the plan asks for a version tag")


def _helper_source(params: Params) -> str:
    module_name = params.call.rpartition(".")[0]
    tags = {"version": _version_expr(params)} | {
        key: '"' + value + '"' for key, value in sorted((params.tags or {}).items())
    }
    tag_items = ", ".join(f'"{key}": {value}' for key, value in tags.items())
    name = params.application_name
    lines = [
        f"def {params.helper}():",
        f'    """Start Pyroscope continuous profiling when {params.server_address_env} is set."""',
        f'    server_address = os.getenv("{params.server_address_env}")',
        "    if not server_address:",
        "        return",
        *_local_import_lines(params, module_name),
        f'    if getattr({module_name}, "{STARTED_MARKER}", None):',
        "        return  # another component of this process already started the profiler",
        f"    {params.call}(",
        f'        application_name="{name}",',
        "        server_address=server_address,",
        f"        tags={{{tag_items}}},",
        "    )",
        f'    {module_name}.{STARTED_MARKER} = "{name}"',
    ]
    return "\n".join(lines) + "\n"


def _with_call(function: cst.FunctionDef, helper: str, module: cst.Module) -> cst.FunctionDef:
    call = cst.parse_statement(f"{helper}()\n", config=module.config_for_parsing)
    statements = list(function.body.body)
    statements.insert(_cst.after_docstring(function.body), call)
    return function.with_changes(body=function.body.with_changes(body=statements))
