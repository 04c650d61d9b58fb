import inspect
import sys
import types

import pytest

from codemods.python import add_startup_call
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged, run

ACAPY = {
    "function": "main",
    "application_name": "acapy-agent",
    "server_address_env": "PYROSCOPE_SERVER_ADDRESS",
    "version_import": "acapy_agent.version:__version__",
}


def test_lazy_start_at_top_of_main_after_docstring():
    assert_codemod(
        add_startup_call,
        ACAPY,
        path="acapy_agent/__main__.py",
        before='''\
            """Entry point."""

            import os
            import sys


            def main(args):
                """Execute default entry point."""
                run(args)
        ''',
        after='''\
            """Entry point."""

            import logging
            import os
            import sys


            def _start_profiling():
                """Start Pyroscope continuous profiling when PYROSCOPE_SERVER_ADDRESS is set."""
                server_address = os.getenv("PYROSCOPE_SERVER_ADDRESS")
                if not server_address:
                    return
                try:
                    import pyroscope

                    from acapy_agent.version import __version__

                    if getattr(pyroscope, "started_by", None):
                        return  # another component of this process already started the profiler
                    pyroscope.configure(
                        application_name="acapy-agent",
                        server_address=server_address,
                        tags={"version": __version__},
                    )
                    pyroscope.started_by = "acapy-agent"
                except Exception as exc:  # profiling must never stop the service
                    logging.getLogger(__name__).warning(
                        "Pyroscope profiling not started, running without it: %r",
                        exc,
                    )


            def main(args):
                """Execute default entry point."""
                _start_profiling()
                run(args)
        ''',
    )


def test_import_module_when_lint_forbids_local_imports_and_async_target():
    # didwebvh: ruff PLC0415 forbids imports in functions, so the profiler comes through
    # importlib.import_module, still only when enabled; lifespan runs in every uvicorn worker.
    assert_codemod(
        add_startup_call,
        {
            "function": "lifespan",
            "application_name": "didwebvh-server",
            "server_address_env": "PYROSCOPE_SERVER_ADDRESS",
            "version_import": "importlib.metadata:version",
            "version_expr": 'version("didwebvh-server-py")',
            "lazy_import": False,
            "tags": {"component": "server"},
            "logger": "logger",
        },
        path="server/app/__init__.py",
        before='''\
            import logging
            import os
            from contextlib import asynccontextmanager

            from fastapi import FastAPI

            logger = logging.getLogger(__name__)


            @asynccontextmanager
            async def lifespan(app: FastAPI):
                """Application lifespan events."""
                yield
        ''',
        after='''\
            import importlib
            import logging
            import os
            from contextlib import asynccontextmanager

            from fastapi import FastAPI
            from importlib.metadata import version

            logger = logging.getLogger(__name__)


            def _start_profiling():
                """Start Pyroscope continuous profiling when PYROSCOPE_SERVER_ADDRESS is set."""
                server_address = os.getenv("PYROSCOPE_SERVER_ADDRESS")
                if not server_address:
                    return
                try:
                    pyroscope = importlib.import_module("pyroscope")
                    if getattr(pyroscope, "started_by", None):
                        return  # another component of this process already started the profiler
                    pyroscope.configure(
                        application_name="didwebvh-server",
                        server_address=server_address,
                        tags={"version": version("didwebvh-server-py"), "component": "server"},
                    )
                    pyroscope.started_by = "didwebvh-server"
                except Exception as exc:  # profiling must never stop the service
                    logger.warning(
                        "Pyroscope profiling not started, running without it: %r",
                        exc,
                    )


            @asynccontextmanager
            async def lifespan(app: FastAPI):
                """Application lifespan events."""
                _start_profiling()
                yield
        ''',
    )


def test_adds_import_os_in_sorted_place_and_handles_no_docstring():
    result = assert_codemod(
        add_startup_call,
        {
            **ACAPY,
            "function": "setup",
            "version_import": "",
            "version_expr": '"1.4.2"',
            "logger": "LOGGER",
        },
        path="traction_innkeeper/v1_0/__init__.py",
        before="""\
            import logging
            import sys


            from acapy_agent.core.event_bus import EventBus

            LOGGER = logging.getLogger(__name__)


            async def setup(context):
                LOGGER.info("> plugin setup...")
        """,
        after="""\
            import logging
            import os
            import sys


            from acapy_agent.core.event_bus import EventBus

            LOGGER = logging.getLogger(__name__)


            def _start_profiling():
                \"\"\"Start Pyroscope continuous profiling when PYROSCOPE_SERVER_ADDRESS is set.\"\"\"
                server_address = os.getenv("PYROSCOPE_SERVER_ADDRESS")
                if not server_address:
                    return
                try:
                    import pyroscope

                    if getattr(pyroscope, "started_by", None):
                        return  # another component of this process already started the profiler
                    pyroscope.configure(
                        application_name="acapy-agent",
                        server_address=server_address,
                        tags={"version": "1.4.2"},
                    )
                    pyroscope.started_by = "acapy-agent"
                except Exception as exc:  # profiling must never stop the service
                    LOGGER.warning(
                        "Pyroscope profiling not started, running without it: %r",
                        exc,
                    )


            async def setup(context):
                _start_profiling()
                LOGGER.info("> plugin setup...")
        """,
    )
    compile(result, "x.py", "exec")


def test_decorated_startup_hook_keeps_its_decorator():
    params = {
        **ACAPY,
        "function": "on_startup",
        "version_import": "",
        "version_expr": 'os.getenv("APP_VERSION", "unknown")',
    }
    before = '''import os\n\napp = object()\n\n\n@app.on_event("startup")\nasync def on_startup():\n    """Hook."""\n    pass\n'''
    result = run(add_startup_call, params, before, "endorser/api/main.py")
    assert (
        '\n\n\n@app.on_event("startup")\nasync def on_startup():\n    """Hook."""\n    _start_profiling()\n'
        in result
    )
    assert 'tags={"version": os.getenv("APP_VERSION", "unknown")}' in result
    assert run(add_startup_call, params, result, "endorser/api/main.py") == result


def test_already_configured_file_is_unchanged():
    assert_unchanged(
        add_startup_call,
        ACAPY,
        path="m.py",
        text="""\
            import pyroscope

            pyroscope.configure(application_name="x")
        """,
    )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("def other():\n    pass\n", "has no top-level function 'main'"),
        ("def main():\n    pass\n\n\ndef main():\n    pass\n", "defines 'main' 2 times"),
        ("class A:\n    def main(self):\n        pass\n", "has no top-level function 'main'"),
        ("def main(:\n", "does not parse as Python"),
        (
            "def _start_profiling():\n    pass\n\n\ndef main():\n    pass\n",
            "already defines _start_profiling",
        ),
    ],
)
def test_unsafe_targets_fail_clearly(text, match):
    assert_codemod_error(add_startup_call, ACAPY, path="m.py", text=text, match=match, dedent=False)


def test_version_tag_is_required():
    assert_codemod_error(
        add_startup_call,
        {**ACAPY, "version_import": ""},
        path="m.py",
        text="import os\n\n\ndef main():\n    pass\n",
        match="set version_import or version_expr",
        dedent=False,
    )


MAIN = "import os\n\n\ndef main():\n    pass\n"


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"application_name": 'acapy"agent'}, "application_name 'acapy\"agent' is not a safe name"),
        (  # a crafted value must not become code
            {"application_name": 'x" + __import__("os").getenv("HOME") + "'},
            "application_name .* is not a safe name",
        ),
        (
            {"server_address_env": 'PYROSCOPE"X'},
            "server_address_env .* is not an environment variable name",
        ),
        ({"helper": "start profiling"}, "helper .* is not a Python name"),
        ({"call": "pyroscope.configure()"}, "call .* is not a dotted Python name"),
        (
            {"version_import": "acapy_agent.version:__version__; import os"},
            "version_import .* is not 'module:name'",
        ),
        (
            {"version_expr": 'version("x"'},
            r"version_expr 'version\(\"x\"' is not a Python expression",
        ),
        ({"version_expr": '"1"\nimport os'}, "version_expr .* is not a Python expression"),
        ({"tags": {"env x": "prod"}}, "tag name 'env x' is not a safe name"),
        ({"tags": {"env": "a,b=c"}}, "tag value 'a,b=c' .* ',' or '='"),
    ],
)
def test_unsafe_parameters_are_codemod_errors_not_crashes_or_code(params, match):
    assert_codemod_error(
        add_startup_call, {**ACAPY, **params}, path="m.py", text=MAIN, match=match, dedent=False
    )


def test_tag_values_are_written_as_safe_string_literals():
    result = run(add_startup_call, {**ACAPY, "tags": {"team": 'dts "core"'}}, MAIN, "m.py")
    assert 'tags={"version": __version__, "team": "dts \\"core\\""},' in result
    compile(result, "m.py", "exec")


def test_one_line_function_body_is_an_error():
    assert_codemod_error(
        add_startup_call,
        ACAPY,
        path="m.py",
        text="import os\n\n\ndef main(args): run(args)\n",
        match="main is written on one line",
        dedent=False,
    )


class _Recorder:
    """Stands in for pyroscope.configure, binding calls against the real 1.4 signature."""

    def __init__(self, real_signature):
        self.signature = real_signature
        self.calls = []

    def __call__(self, *args, **kwargs):
        self.signature.bind(*args, **kwargs)  # TypeError on an argument pyroscope-io 1.4 lacks
        self.calls.append(kwargs)


@pytest.fixture
def fake_pyroscope(monkeypatch):
    real = pytest.importorskip("pyroscope")
    recorder = _Recorder(inspect.signature(real.configure))
    module = types.ModuleType("pyroscope")
    module.configure = recorder
    monkeypatch.setitem(sys.modules, "pyroscope", module)
    version_module = types.ModuleType("acapy_agent.version")
    version_module.__version__ = "1.6.1"
    monkeypatch.setitem(sys.modules, "acapy_agent", types.ModuleType("acapy_agent"))
    monkeypatch.setitem(sys.modules, "acapy_agent.version", version_module)
    return recorder


def _load(source):
    namespace = {"__name__": "patched"}
    exec(compile(source, "patched.py", "exec"), namespace)  # noqa: S102 - runs the code the codemod generated
    return namespace


def test_inserted_code_is_a_no_op_without_the_env_var(fake_pyroscope, monkeypatch):
    monkeypatch.delenv("PYROSCOPE_SERVER_ADDRESS", raising=False)
    patched = _load(
        run(add_startup_call, ACAPY, "import os\n\n\ndef main():\n    return 1\n", "m.py")
    )
    assert patched["main"]() == 1
    assert fake_pyroscope.calls == []


def test_inserted_code_passes_server_address_and_starts_once_per_process(
    fake_pyroscope, monkeypatch
):
    monkeypatch.setenv("PYROSCOPE_SERVER_ADDRESS", "http://alloy:9999")
    source = "import os\n\n\ndef main():\n    return 1\n"
    acapy = _load(run(add_startup_call, ACAPY, source, "m.py"))
    plugin = _load(
        run(add_startup_call, {**ACAPY, "application_name": "traction-acapy"}, source, "p.py")
    )
    acapy["main"]()
    plugin["main"]()  # same process: the plugin must not start a second profiler
    assert fake_pyroscope.calls == [
        {
            "application_name": "acapy-agent",
            "server_address": "http://alloy:9999",
            "tags": {"version": "1.6.1"},
        }
    ]
    assert sys.modules["pyroscope"].started_by == "acapy-agent"


def test_the_named_logger_must_exist_at_module_level():
    assert_codemod_error(
        add_startup_call,
        {**ACAPY, "logger": "LOGGER"},
        path="m.py",
        text="import os\n\n\ndef main():\n    LOGGER = None\n",
        match="m.py has no module-level LOGGER for the warning",
        dedent=False,
    )
    result = run(
        add_startup_call,
        {**ACAPY, "logger": "log"},
        "import os\nlog: object = object()\n\n\n" + MAIN[11:],
        "m.py",
    )
    assert "        log.warning(\n" in result and "import logging" not in result


def test_a_logger_that_is_not_a_name_is_refused():
    assert_codemod_error(
        add_startup_call,
        {**ACAPY, "logger": "logging.getLogger()"},
        path="m.py",
        text=MAIN,
        match="logger 'logging.getLogger\\(\\)' is not a Python name",
        dedent=False,
    )


def test_no_profiler_import_without_the_env_var_and_failures_only_warn(
    fake_pyroscope, monkeypatch, caplog
):
    source = run(add_startup_call, ACAPY, "import os\n\n\ndef main():\n    return 1\n", "m.py")
    monkeypatch.delitem(sys.modules, "pyroscope")
    monkeypatch.delenv("PYROSCOPE_SERVER_ADDRESS", raising=False)
    assert _load(source)["main"]() == 1
    assert "pyroscope" not in sys.modules, "imported the profiler with profiling off"
    monkeypatch.setenv("PYROSCOPE_SERVER_ADDRESS", "http://alloy:9999")
    monkeypatch.setitem(sys.modules, "pyroscope", None)  # not importable
    assert _load(source)["main"]() == 1  # a warning, then the service runs
    (record,) = caplog.records
    assert record.levelname == "WARNING" and "import of pyroscope halted" in record.getMessage()
