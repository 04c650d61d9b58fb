"""Start a profiler (pyroscope.configure) at the start of a startup function, only when its env var is set.

The generated helper reads the server address from the environment (pyroscope-io reads no
env vars itself), passes only arguments pyroscope-io 1.4 accepts, and marks the module so a
second component in the same process (an ACA-Py plugin) does not start a second profiler.

Profiling never stops a service: with the variable unset the helper imports nothing from the
profiler package, and with it set everything the profiler needs (the import, the version lookup,
configure()) runs inside one `try`; a failure is one warning in the module's logger and the
service runs without profiling. Where lint forbids imports inside functions (ruff PLC0415),
`lazy_import: false` imports the package with `importlib.import_module`, which that rule allows.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from typing import NamedTuple, cast

import libcst as cst

from codemods._api import CodemodError
from codemods.python import _cst

DESCRIPTION = (
    "Call pyroscope.configure(...) first thing in a startup function when an env var is set."
)
FILES = ("*.py", "**/*.py")

# Set on the pyroscope module after configure(): process-local, so spawned workers start their own.
STARTED_MARKER = "started_by"

# Parameters become code, so each is checked for its kind; string values are written with
# json.dumps (a valid Python literal for any string).
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # application and tag names
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Params(NamedTuple):
    function: str  # top-level function whose body starts profiling, e.g. 'main', '_startup'
    application_name: str  # Pyroscope application name, from the plan
    server_address_env: str  # env var holding the server address; unset = profiler off
    # 'module:name' to import for the version tag, e.g. 'acapy_agent.version:__version__'
    version_import: str = ""
    version_expr: str = ""  # expression for the version tag; defaults to the imported name
    tags: dict[str, str] | None = None  # extra static tags
    # True: `import pyroscope` inside the helper; False (lint forbids local imports, ruff
    # PLC0415): importlib.import_module("pyroscope"). Either way only when the variable is set.
    lazy_import: bool = True
    # module-level logger of the file that gets the warning, e.g. 'LOGGER'; empty: a new
    # logging.getLogger(__name__)
    logger: str = ""
    helper: str = "_start_profiling"  # name of the generated function
    call: str = "pyroscope.configure"  # the module-level function that starts the profiler


def apply(params: Params, path: str, text: str) -> str:
    version = _check(params)
    module = _cst.parse(path, text)
    module_name, _, func = params.call.rpartition(".")
    # the whole-tree search is slow; without both names in the text there is no such call
    if module_name in text and func in text and _calls(module, module_name, func):
        return text  # already configured here, by us or by hand
    if any(
        isinstance(statement, cst.FunctionDef) and statement.name.value == params.helper
        for statement in module.body
    ):
        raise CodemodError(f"{path} already defines {params.helper}() without {params.call}")
    if params.logger and not _binds_at_module_level(module, params.logger):
        raise CodemodError(f"{path} has no module-level {params.logger} for the warning")
    index = _cst.top_level_function(module, params.function, path)
    target = module.body[index]
    if isinstance(target.body, cst.SimpleStatementSuite):
        raise CodemodError(
            f"{path}: {params.function} is written on one line (def ...: ...); "
            "put its body on its own lines first"
        )
    helper = cst.parse_statement(_helper_source(params, version), config=module.config_for_parsing)
    helper = helper.with_changes(leading_lines=target.leading_lines)
    body = list(module.body)
    body[index : index + 1] = [
        helper,
        _with_call(cast(cst.FunctionDef, target), params.helper, module),
    ]
    module = module.with_changes(body=body)
    stdlib = ["os", *([] if params.logger else ["logging"])]
    for name in [*stdlib, *([] if params.lazy_import else ["importlib"])]:
        module = _cst.ensure_stdlib_import(module, name)
    return _cst.add_imports(module, _top_level_imports(params)).code


def _check(params: Params) -> str:
    """Refuse parameters that are not what they claim to be; returns the version expression."""
    _must(_SAFE_NAME, params.application_name, "application_name", "a safe name")
    _must(
        _ENV_NAME, params.server_address_env, "server_address_env", "an environment variable name"
    )
    if not _is_identifier(params.helper):
        raise CodemodError(f"helper {params.helper!r} is not a Python name")
    if params.logger and not _is_identifier(params.logger):
        raise CodemodError(f"logger {params.logger!r} is not a Python name")
    parts = params.call.split(".")
    if len(parts) < 2 or not all(_is_identifier(part) for part in parts):
        raise CodemodError(f"call {params.call!r} is not a dotted Python name (module.function)")
    if params.version_import:
        source, _, name = params.version_import.partition(":")
        if not (all(_is_identifier(p) for p in source.split(".")) and _is_identifier(name)):
            raise CodemodError(
                f"version_import {params.version_import!r} is not 'module:name' "
                "(e.g. 'acapy_agent.version:__version__')"
            )
    for key, value in (params.tags or {}).items():
        _must(_SAFE_NAME, key, "tag name", "a safe name")
        if "," in value or "=" in value:  # pyroscope joins tags as k=v,k=v
            raise CodemodError(f"tag value {value!r} for {key} cannot hold ',' or '='")
    version = _version_expr(params)
    try:
        cst.parse_expression(version)
    except cst.ParserSyntaxError:
        raise CodemodError(f"version_expr {version!r} is not a Python expression") from None
    return version


def _must(pattern: re.Pattern, value: str, what: str, kind: str) -> None:
    if not pattern.fullmatch(value):
        raise CodemodError(f"{what} {value!r} is not {kind} ({pattern.pattern})")


def _is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _binds_at_module_level(module: cst.Module, name: str) -> bool:
    """`name = ...` or `name: T = ...` alone on a top-level line."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        (small,) = statement.body
        if isinstance(small, cst.Assign) and any(
            _is_name(target.target, name) for target in small.targets
        ):
            return True
        if isinstance(small, cst.AnnAssign) and _is_name(small.target, name):
            return True
    return False


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


class _CallFinder(cst.CSTVisitor):
    """Finds a call of `module.func(...)` anywhere in the tree. A plain visitor: libcst.matchers
    takes half a second to import, which the first run of this codemod would pay."""

    def __init__(self, module: str, func: str):
        self.wanted = (module, func)
        self.found = False

    def visit_Call(self, node: cst.Call) -> bool:
        target = node.func
        if (
            isinstance(target, cst.Attribute)
            and _is_name(target.value, self.wanted[0])
            and target.attr.value == self.wanted[1]
        ):
            self.found = True
        return not self.found


def _calls(module: cst.Module, module_name: str, func: str) -> bool:
    finder = _CallFinder(module_name, func)
    module.visit(finder)
    return finder.found


def _top_level_imports(params: Params) -> list[tuple[str, str | None]]:
    """Imports the helper needs at module level besides stdlib modules: never the profiler."""
    if params.lazy_import or not params.version_import:
        return []
    source, _, name = params.version_import.partition(":")
    return [(source, name)]


def _profiler_import_lines(params: Params, module_name: str) -> list[str]:
    """The import block at the top of the helper's `try`: stdlib, the profiler, then the rest."""
    if not params.lazy_import:
        return [f'{module_name} = importlib.import_module("{module_name}")']
    groups: list[list[str]] = [[], [f"import {module_name}"], []]
    if params.version_import:
        source, _, name = params.version_import.partition(":")
        stdlib = source.split(".")[0] in sys.stdlib_module_names
        groups[0 if stdlib else 2].append(f"from {source} import {name}")
    lines: list[str] = []
    for group in filter(None, groups):
        lines += [*group, ""]  # isort: a blank line after each group and after the block
    return lines


def _version_expr(params: Params) -> str:
    if params.version_expr:
        return params.version_expr
    if params.version_import:
        return params.version_import.partition(":")[2]
    raise CodemodError("set version_import or version_expr: the plan asks for a version tag")


def _helper_source(params: Params, version: str) -> str:
    module_name = params.call.rpartition(".")[0]
    tags = {"version": version} | {
        key: json.dumps(value) for key, value in sorted((params.tags or {}).items())
    }
    tag_items = ", ".join(f"{json.dumps(key)}: {value}" for key, value in tags.items())
    name = json.dumps(params.application_name)
    env = json.dumps(params.server_address_env)
    logger = params.logger or "logging.getLogger(__name__)"
    guarded = [
        *_profiler_import_lines(params, module_name),
        f'if getattr({module_name}, "{STARTED_MARKER}", None):',
        "    return  # another component of this process already started the profiler",
        f"{params.call}(",
        f"    application_name={name},",
        "    server_address=server_address,",
        f"    tags={{{tag_items}}},",
        ")",
        f"{module_name}.{STARTED_MARKER} = {name}",
    ]
    lines = [
        f"def {params.helper}():",
        f'    """Start Pyroscope continuous profiling when {params.server_address_env} is set."""',
        f"    server_address = os.getenv({env})",
        "    if not server_address:",
        "        return",
        "    try:",
        *[f"        {line}" if line else "" for line in guarded],
        "    except Exception as exc:  # profiling must never stop the service",
        f"        {logger}.warning(",
        '            "Pyroscope profiling not started, running without it: %r",',
        "            exc,",
        "        )",
    ]
    return "\n".join(lines) + "\n"


def _with_call(function: cst.FunctionDef, helper: str, module: cst.Module) -> cst.FunctionDef:
    call = cst.parse_statement(f"{helper}()\n", config=module.config_for_parsing)
    statements = list(function.body.body)
    statements.insert(_cst.after_docstring(function.body), call)
    return function.with_changes(body=function.body.with_changes(body=statements))
