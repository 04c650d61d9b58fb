"""Bad input, one row each: what a user gets wrong, the exit code, the message, and never a traceback.

Every row runs the real `bot` command line on a small campaign with a real git remote over file://
(and, for publishing rows, the fake GitHub on loopback). A row breaks one thing in `setup`, then
the run must exit with `code`, print every fragment of `expect`, none of `absent`, and no
traceback. A run that exits 2 must also have cloned, pushed and left behind nothing.

A new kind of input (a new command, flag, environment variable or file) gets a row here. Commands
take their shared options from OPTIONS; add a new command there.
"""

from __future__ import annotations

import copy
import http.server
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import git
import pytest
from ruamel.yaml import YAML

from bot.cli import main
from bot.cli.options import EXIT_FAILED, EXIT_OK, EXIT_REPORT_LOST, EXIT_USAGE
from tests.fake_github import FakeGitHub
from tests.helpers.campaign import PYROSCOPE_STEPS, SERVICE_FILES, campaign, item, write_campaign
from tests.helpers.git import make_remote, url_template

TOKEN = "ghp_" + "badinput".ljust(36, "0")  # assembled: no token-shaped literal in the source
OTHER_TOKEN = "ghp_" + "wrong".ljust(36, "0")

# the shared options each command takes from the context (None in the context: not given)
OPTIONS = {
    "apply": ("campaign", "workspace", "template", "output"),
    "validate": ("campaign",),
    "list": ("campaign",),
    "status": ("campaign",),
    "close": ("campaign",),
    "gate": ("campaign",),
    "verify": ("campaign",),
    "track": ("campaign",),
}
FLAGS = {
    "campaign": "--campaign",
    "workspace": "--workspace",
    "template": "--clone-url-template",
    "output": "--output-dir",
}


@dataclass
class Ctx:
    """One run's world: a campaign with service `good`, its remote, and the options the run gets."""

    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    github: FakeGitHub | None
    remote: Path
    options: dict[str, str | None] = field(default_factory=dict)
    server: str = ""  # URL of the row's loopback server that is not GitHub (Row.server)
    extra: list[str] = field(default_factory=list)  # more arguments, after the shared options

    @property
    def root(self) -> Path:
        return self.tmp / "campaign"

    def argv(self, command: str) -> list[str]:
        args = command.split()
        for name in OPTIONS[args[0]]:
            if self.options.get(name) is not None:
                args += [FLAGS[name], str(self.options[name])]
        return args + self.extra

    def env(self, name: str, value: str) -> None:
        self.monkeypatch.setenv(name, value)

    def write(self, relative: str, data: bytes) -> Path:
        path = self.root / relative
        path.unlink()
        path.write_bytes(data)
        return path

    def replace_with_dir(self, relative: str) -> None:
        (self.root / relative).unlink()
        (self.root / relative / "inside.yaml").parent.mkdir(parents=True)
        (self.root / relative / "inside.yaml").write_text("service: good\n")

    def link(self, relative: str, target: Path) -> None:
        (self.root / relative).unlink()
        (self.root / relative).symlink_to(target)

    def edit(self, relative: str, change: Callable[[Any], None]) -> None:
        yaml = YAML()
        path = self.root / relative
        data = yaml.load(path.read_text())
        change(data)
        with path.open("w") as handle:
            yaml.dump(data, handle)

    def step(self, **fields: Any) -> None:
        """Change the first step of good/profiling."""
        self.edit("recipes/good.yaml", lambda d: self._steps(d)[0].update(fields))

    def step_at(self, index: int, **params: Any) -> None:
        """Change parameters (`with:`) of a step of good/profiling."""
        self.edit("recipes/good.yaml", lambda d: self._steps(d)[index]["with"].update(params))

    @staticmethod
    def _steps(recipe: Any) -> Any:
        return recipe["changes"]["profiling"]["steps"]

    def remote_files(self, files: dict[str, str], links: dict[str, str]) -> None:
        """Replace the remote with one holding `files` and symlinks `links` (path -> target)."""
        work = self.tmp / "linked-src"
        for relative, text in files.items():
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            (work / relative).write_text(text)
        for relative, target in links.items():
            (work / relative).symlink_to(target)
        repo = git.Repo.init(work, initial_branch="main")
        repo.git.add("--all")
        repo.git.commit("-m", "with links", "--no-gpg-sign")
        git.rmtree(self.remote)
        git.Repo.clone_from(str(work), self.remote, bare=True)


Setup = Callable[[Ctx], None]
Then = Callable[[Ctx, str, str], None]


class Row(NamedTuple):
    id: str
    command: str
    code: int
    expect: tuple[str, ...]
    setup: Setup | None = None
    absent: tuple[str, ...] = ()  # a second, misleading message that must not appear
    then: Then | None = None  # more to check after the run
    github: bool = False  # the fake GitHub serves GITHUB_API_URL with a token for `rollout-bot`
    server: str = ""  # a fixture below: a loopback server that is not GitHub, as ctx.server


# -- paths the OS refuses (root ignores file modes, so it gets kernel files that refuse everyone) ----


def unwritable_dir(ctx: Ctx) -> Path:
    if os.geteuid() == 0:
        return Path("/sys")  # sysfs: no new entries, not even for root
    locked = ctx.tmp / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    return locked


def unreadable_file(ctx: Ctx) -> Path:
    if os.geteuid() == 0:
        return Path("/proc/sys/vm/drop_caches")  # mode 0200: reading it is refused, even to root
    secret = ctx.tmp / "unreadable.yaml"
    secret.write_text("campaign: x\n")
    secret.chmod(0)
    return secret


def a_file(ctx: Ctx) -> Path:
    path = ctx.tmp / "a-file"
    path.write_text("not a directory\n")
    return path


# -- loopback servers that are not GitHub ----------------------------------------------------------


@pytest.fixture
def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once closed


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections (the kernel's backlog does) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[str]:
    """An ordinary web server (a wrong GITHUB_API_URL): 404 pages for every API path."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# -- after-run checks --------------------------------------------------------------------------


def relative_workspace_used(name: str) -> Then:
    def check(ctx: Ctx, out: str, err: str) -> None:
        cache = ctx.tmp / name / "cache" / "example+good.git"
        assert cache.is_dir()
        worktrees = git.Repo(cache).git.worktree("list").splitlines()
        assert len(worktrees) == 1, worktrees  # the bare cache only: no worktree left behind

    return check


def bundle_in_workspace(status: str) -> Then:
    """The bundle that could not go to --output-dir is in <workspace>/reports/, complete."""

    def check(ctx: Ctx, out: str, err: str) -> None:
        (summary,) = (ctx.tmp / "ws" / "reports").glob("*/summary.json")
        (change,) = json.loads(summary.read_text())["change_sets"]
        assert change["status"] == status
        if status == "opened":
            assert change["pr_url"].endswith("/pull/1")
        assert "1 change sets:" in out  # the totals on stdout, the loss on stderr
        assert f"written to {summary.parent} instead" in err

    return check


def nothing_written_outside(ctx: Ctx, out: str, err: str) -> None:
    assert (ctx.tmp / "outside.toml").read_text() == "[tool.poetry]\n"


def one_problem(ctx: Ctx, out: str, err: str) -> None:
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1, err


# -- setups that need more than one line ---------------------------------------------------------


def labels_as_a_string(ctx: Ctx) -> None:
    ctx.edit("recipes.yaml", lambda d: d["items"][0].__setitem__("labels", "phase-3"))


def environment(**broken: str) -> Setup:
    """recipes.yaml gets environments.dev, with `broken` replacing some of its values."""
    dev = {
        "namespace": "dev-ns", "pyroscope_url": "http://pyroscope:4040", "alloy_profile_url": "http://alloy:4041",
        "faro_url": "http://alloy:12347/collect", "loki_url": "http://loki:3100", "tempo_url": "http://tempo:3200",
    }  # fmt: skip
    return lambda ctx: ctx.edit(
        "recipes.yaml", lambda d: d.__setitem__("environments", {"dev": dev | broken})
    )


def stack_at_server(ctx: Ctx) -> None:
    """environments.dev with every endpoint at the row's loopback server."""
    fields = ("pyroscope_url", "alloy_profile_url", "faro_url", "loki_url", "tempo_url")
    environment(**dict.fromkeys(fields, ctx.server))(ctx)


def service_gate(ctx: Ctx) -> None:
    """Per-service change sets wait for `bot gate --env dev` before publishing."""
    ctx.edit("recipes.yaml", lambda d: d["settings"].__setitem__("service_gate", "dev"))


def placeholder_tracking_repo(ctx: Ctx) -> None:
    tracking = {"repo": "example/tracking", "placeholder": True}
    ctx.edit("recipes.yaml", lambda d: d.__setitem__("tracking_repo", tracking))


def no_request(ctx: Ctx, out: str, err: str) -> None:
    assert ctx.github is not None and ctx.github.requests == []


def nothing_cloned(ctx: Ctx, out: str, err: str) -> None:
    assert [p for p in ctx.tmp.rglob("cache") if p.is_dir()] == []
    assert ctx.github is None or ctx.github.writes == []


def change_field(**fields: Any) -> Setup:
    """Set fields of the change set good/profiling."""
    return lambda ctx: ctx.edit(
        "recipes/good.yaml", lambda d: d["changes"]["profiling"].update(fields)
    )


def validator_chart_outside(ctx: Ctx) -> None:
    check = {"helm_render": {"chart": "../charts/good", "enable": {}, "expect": []}}
    ctx.edit(
        "recipes/good.yaml", lambda d: d["changes"]["profiling"].__setitem__("validate", [check])
    )


def link_escaping_the_repo(ctx: Ctx) -> None:
    outside = ctx.tmp / "outside.toml"
    outside.write_text("[tool.poetry]\n")
    files = {k: v for k, v in SERVICE_FILES.items() if k != "pyproject.toml"}
    ctx.remote_files(files, {"pyproject.toml": str(outside)})


def directory_where_a_file_should_be(ctx: Ctx) -> None:
    files = {k: v for k, v in SERVICE_FILES.items() if k != "pyproject.toml"}
    ctx.remote_files({**files, "pyproject.toml/README": "a directory\n"}, {})


def summary_on_a_full_disk(ctx: Ctx) -> None:
    (ctx.tmp / "out").mkdir()
    (ctx.tmp / "out" / "summary.json").symlink_to("/dev/full")
    ctx.options["output"] = str(ctx.tmp / "out")


def app_credentials(key_bytes: bytes | None, installation: str = "2") -> Setup:
    def setup(ctx: Ctx) -> None:
        key = ctx.tmp / "app.pem"
        if key_bytes is None:
            key.mkdir()
        else:
            key.write_bytes(key_bytes)
        ctx.monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        for name, value in {
            "GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY_FILE": str(key),
            "GITHUB_APP_INSTALLATION_ID": installation,
        }.items():  # fmt: skip
            ctx.env(name, value)

    return setup


def api_at(timeout: str = "") -> Setup:
    """GITHUB_API_URL pointed at the row's loopback server that is not GitHub."""

    def setup(ctx: Ctx) -> None:
        ctx.env("GITHUB_API_URL", ctx.server)
        if timeout:
            ctx.env("BOT_GITHUB_CHECK_TIMEOUT", timeout)

    return setup


def invalid_utf8(relative: str) -> Setup:
    return lambda ctx: ctx.write(relative, (ctx.root / relative).read_bytes() + b"# caf\xe9\n")


def do(*setups: Setup) -> Setup:
    def setup(ctx: Ctx) -> None:
        for one in setups:
            one(ctx)

    return setup


def option(name: str, value: Callable[[Ctx], object] | str | None) -> Setup:
    def setup(ctx: Ctx) -> None:
        found = value(ctx) if callable(value) else value
        ctx.options[name] = None if found is None else str(found)

    return setup


def env(name: str, value: Callable[[Ctx], object] | str) -> Setup:
    return lambda ctx: ctx.env(name, str(value(ctx) if callable(value) else value))


DRY = "apply --service good --dry-run --no-diff"
PUBLISH = "apply --service good --no-diff"

ROWS = [
    # -- the campaign files: every kind of bad content is `file: problem` --------------------
    Row("recipes.yaml not UTF-8", "validate", EXIT_USAGE,
        ("recipes.yaml:", "not UTF-8 text (byte 0xe9"), invalid_utf8("recipes.yaml")),
    Row("recipe not UTF-8", "validate", EXIT_USAGE,
        ("recipes/good.yaml:", "not UTF-8 text"), invalid_utf8("recipes/good.yaml")),
    Row("recipes.yaml is a directory", DRY, EXIT_USAGE,
        ("recipes.yaml: is a directory, expected a file",),
        lambda ctx: ctx.replace_with_dir("recipes.yaml")),
    Row("recipe is a directory", "validate", EXIT_USAGE,
        ("recipes/good.yaml: is a directory, expected a file",),
        lambda ctx: ctx.replace_with_dir("recipes/good.yaml"), absent=("no recipes/good.yaml",)),
    Row("recipes.yaml unreadable", "list", EXIT_USAGE, ("recipes.yaml: cannot read: Permission denied",),
        lambda ctx: ctx.link("recipes.yaml", unreadable_file(ctx))),
    Row("recipe unreadable", DRY, EXIT_USAGE, ("recipes/good.yaml: cannot read: Permission denied",),
        lambda ctx: ctx.link("recipes/good.yaml", unreadable_file(ctx))),
    Row("recipes.yaml is a device", "validate", EXIT_USAGE,
        ("recipes.yaml: is not a regular file",), lambda ctx: ctx.link("recipes.yaml", Path("/dev/zero"))),
    Row("recipe far too big", "validate", EXIT_USAGE, ("recipes/good.yaml: larger than 2048 KiB",),
        lambda ctx: ctx.write("recipes/good.yaml", b"# padding\n" * 300_000)),
    Row("recipes.yaml empty", "validate", EXIT_USAGE,
        ("recipes.yaml: the file is empty; expected a mapping with the keys campaign, plan",),
        lambda ctx: ctx.write("recipes.yaml", b""), absent=("parameters",)),
    Row("recipes.yaml whitespace only", "validate", EXIT_USAGE, ("recipes.yaml: the file is empty",),
        lambda ctx: ctx.write("recipes.yaml", b"\n  \n# nothing\n")),
    Row("recipes.yaml a list", "validate", EXIT_USAGE,
        ("recipes.yaml: found a list; expected a mapping with the keys campaign",),
        lambda ctx: ctx.write("recipes.yaml", b"- campaign\n")),
    Row("recipe empty", "validate", EXIT_USAGE,
        ("recipes/good.yaml: the file is empty; expected a mapping with the keys service, changes",),
        lambda ctx: ctx.write("recipes/good.yaml", b"")),
    Row("recipes.yaml not YAML", "validate", EXIT_USAGE, ("recipes.yaml:2: not valid YAML",),
        lambda ctx: ctx.write("recipes.yaml", b"campaign: [phase-3\n")),
    Row("duplicate key", "validate", EXIT_USAGE, ("recipes/good.yaml:2: not valid YAML: found duplicate key",),
        lambda ctx: ctx.write("recipes/good.yaml", b"service: good\nservice: good\n")),
    Row("BOM is fine", "validate", EXIT_OK, ("ok: 1 tracking items",),
        lambda ctx: ctx.write("recipes.yaml", b"\xef\xbb\xbf" + (ctx.root / "recipes.yaml").read_bytes())),
    Row("item labels a string", "validate", EXIT_USAGE,
        ("recipes.yaml:", "items[0].labels: expected a list, got str 'phase-3'"), labels_as_a_string,
        absent=("unknown tracking item",), then=one_problem),
    # -- environments and the tracking repository ------------------------------------------------
    Row("unknown environment", "validate", EXIT_USAGE,
        ("recipes/good.yaml:", "changes.profiling.environment: unknown environment 'staging'"),
        do(environment(), change_field(environment="staging"))),
    Row("requires not a gate", "validate", EXIT_USAGE, ("changes.profiling.requires[0]: expected gate:<environment>, got 'dev'",),
        do(environment(), change_field(requires=["dev"]))),
    Row("requires an unknown gate", "validate", EXIT_USAGE, ("requires[0]: unknown environment 'prod'",),
        do(environment(), change_field(requires=["gate:prod"]))),
    Row("environment URL not http", "validate", EXIT_USAGE,
        ("recipes.yaml:", "environments.dev.pyroscope_url: expected an http(s) URL, got 'pyroscope:4040'"),
        environment(pyroscope_url="pyroscope:4040")),
    Row("environment URL with credentials", DRY, EXIT_USAGE,
        ("environments.dev.loki_url: credentials must not be part of the URL",),
        environment(loki_url="https://tenant:secret@loki.example.org")),
    Row("environment namespace", "validate", EXIT_USAGE, ("environments.dev.namespace: not a Kubernetes namespace name",),
        environment(namespace="Dev_NS")),
    Row("env reference without environment", "validate", EXIT_USAGE,
        ("steps[1].with.application_name: ${env.namespace} is not a field of the change set's environment",),
        lambda ctx: ctx.step_at(1, application_name="${env.namespace}")),
    Row("env reference to no field", "validate", EXIT_USAGE, ("${env.cluster} is not a field",),
        do(environment(), change_field(environment="dev"), lambda ctx: ctx.step_at(1, application_name="${env.cluster}"))),
    Row("tracking_repo not owner/name", "validate", EXIT_USAGE, ("recipes.yaml:", "tracking_repo: expected owner/name, got 'tracking'"),
        lambda ctx: ctx.edit("recipes.yaml", lambda d: d.__setitem__("tracking_repo", "tracking"))),
    # -- gate and verify: the environment and its endpoints ------------------------------------------
    Row("gate unknown --env", "gate --env staging", EXIT_USAGE, ("--env: unknown environment 'staging'",), environment()),
    Row("verify unknown --env and service", "verify --env staging --service gone", EXIT_USAGE,
        ("--env: unknown environment 'staging'", "--service: unknown service 'gone'"), environment()),
    Row("gate endpoint variable not http", "gate --env dev", EXIT_USAGE,
        ("BOT_PYROSCOPE_URL: expected an http(s) URL, got 'pyroscope:4040'",),
        do(environment(), env("BOT_PYROSCOPE_URL", "pyroscope:4040"))),
    Row("verify endpoint flag with credentials", "verify --env dev --all --loki-url https://t:s@loki.example.org",
        EXIT_USAGE, ("--loki-url: credentials must not be part of the URL",), environment()),
    Row("gate timeout 0", "gate --env dev --timeout 0", EXIT_USAGE, ("'--timeout'",), environment()),
    Row("gate on an unreachable stack", "gate --env dev --timeout 5", EXIT_FAILED,
        ("NO-GO", "connection refused by Pyroscope"), stack_at_server, server="closed_port"),
    Row("gate on a silent stack", "gate --env dev --timeout 2", EXIT_FAILED, ("NO-GO",),
        stack_at_server, server="silent_server"),
    Row("publishing gate with a bad endpoint", PUBLISH, EXIT_USAGE, ("BOT_LOKI_URL: expected an http(s) URL",),
        do(environment(), service_gate, env("BOT_LOKI_URL", "loki")), github=True),
    Row("publishing waits for a failing gate", PUBLISH, EXIT_FAILED,
        ("nothing pushed: the gate for dev failed",), do(stack_at_server, service_gate),
        then=nothing_cloned, github=True, server="closed_port"),
    # -- the tracking issues ------------------------------------------------------------------------
    Row("track with a placeholder tracking repo", "track", EXIT_USAGE,
        ("recipes.yaml: tracking_repo: example/tracking is a placeholder", "before `bot track`"),
        placeholder_tracking_repo, then=no_request, github=True),
    Row("verify --report with a placeholder tracking repo", "verify --env dev --all --report", EXIT_USAGE,
        ("tracking_repo: example/tracking is a placeholder", "before `bot verify --report`"),
        do(environment(), placeholder_tracking_repo), then=no_request, github=True),
    Row("gate --report with a placeholder tracking repo and a bad --env", "gate --env prod --report", EXIT_USAGE,
        ("--env: unknown environment 'prod'", "before `bot gate --report`"),
        do(environment(), placeholder_tracking_repo), then=no_request, github=True),
    Row("track with a wrong token", "track", EXIT_USAGE, ("GITHUB_TOKEN: refused by",),
        env("GITHUB_TOKEN", OTHER_TOKEN), github=True),
    Row("gate --report without credentials", "gate --env dev --report", EXIT_USAGE, ("no GitHub credentials",),
        do(environment(), lambda ctx: ctx.monkeypatch.delenv("GITHUB_TOKEN")), github=True),
    # -- recipe paths: a step never leaves the repository --------------------------------------
    Row("step path with ..", "validate", EXIT_USAGE,
        ("recipes/good.yaml:", "changes.profiling.steps[0].path: '../pyproject.toml' leaves the repository"),
        lambda ctx: ctx.step(path="../pyproject.toml")),
    Row("step path .. in the middle", DRY, EXIT_USAGE, ("'app/../../pyproject.toml' leaves the repository",),
        lambda ctx: ctx.step(path="app/../../pyproject.toml")),
    Row("step path absolute", DRY, EXIT_USAGE,
        ("steps[0].path: '/etc/pyproject.toml' is absolute",), lambda ctx: ctx.step(path="/etc/pyproject.toml")),
    Row("step path empty", "validate", EXIT_USAGE, ("changes.profiling.steps[0].path: empty path",),
        lambda ctx: ctx.step(path="")),
    Row("validator chart outside", "validate", EXIT_USAGE,
        ("changes.profiling.validate[0].helm_render.chart: '../charts/good' leaves the repository",),
        validator_chart_outside),
    Row("symlink out of the repo", DRY, EXIT_FAILED,
        ("FAILED good/profiling", "pyproject.toml is a symlink to", "outside the repository"),
        link_escaping_the_repo, then=nothing_written_outside),
    Row("directory where the file should be", DRY, EXIT_FAILED,
        ("pyproject.toml is a directory in the repository",), directory_where_a_file_should_be,
        absent=("missing target file",)),
    # -- the campaign directory ------------------------------------------------------------------
    Row("--campaign without recipes.yaml", "validate", EXIT_USAGE, ("--campaign: no recipes.yaml in ",),
        option("campaign", lambda ctx: ctx.tmp)),
    Row("--campaign missing", DRY, EXIT_USAGE, ("--campaign: ", "/nowhere does not exist"),
        option("campaign", lambda ctx: ctx.tmp / "nowhere")),
    Row("BOT_CAMPAIGN missing", "list", EXIT_USAGE, ("BOT_CAMPAIGN: ", "/nowhere does not exist"),
        do(option("campaign", None), env("BOT_CAMPAIGN", lambda ctx: ctx.tmp / "nowhere"))),
    Row("--campaign is a file", "validate", EXIT_USAGE, ("is not a directory",), option("campaign", a_file)),
    # -- workspace: relative paths just work; unusable ones stop before any clone --------------
    Row("relative --workspace", DRY, EXIT_OK, ("1 change sets: 1 dry-run",),
        do(lambda ctx: ctx.monkeypatch.chdir(ctx.tmp), option("workspace", "rel-ws")),
        then=relative_workspace_used("rel-ws")),
    Row("relative BOT_WORKSPACE", DRY, EXIT_OK, ("1 change sets: 1 dry-run",),
        do(lambda ctx: ctx.monkeypatch.chdir(ctx.tmp), option("workspace", None), env("BOT_WORKSPACE", "env-ws")),
        then=relative_workspace_used("env-ws")),
    Row("--workspace under a file", DRY, EXIT_USAGE,
        ("--workspace: cannot create ", "a-file is a file, not a directory"),
        option("workspace", lambda ctx: a_file(ctx) / "ws")),
    Row("BOT_WORKSPACE under a file", DRY, EXIT_USAGE, ("BOT_WORKSPACE: cannot create ",),
        do(option("workspace", None), env("BOT_WORKSPACE", lambda ctx: a_file(ctx) / "ws"))),
    Row("--workspace is a file", DRY, EXIT_USAGE, ("--workspace: ", "exists and is not a directory"),
        option("workspace", a_file)),
    Row("--workspace not writable", DRY, EXIT_USAGE, ("--workspace: cannot ",),
        option("workspace", lambda ctx: unwritable_dir(ctx) / "ws")),
    Row("--samples and a broken workspace", "apply --service good --dry-run --samples", EXIT_USAGE,
        ("--workspace: cannot create ",), option("workspace", lambda ctx: a_file(ctx) / "ws")),
    Row("default workspace unusable", DRY, EXIT_USAGE, ("--workspace (default): cannot create ",),
        do(option("workspace", None), env("XDG_CACHE_HOME", a_file))),
    Row("--chart-cache is a file", DRY, EXIT_USAGE, ("--chart-cache: ", "a-file is not a directory"),
        lambda ctx: ctx.extra.extend(["--chart-cache", str(a_file(ctx))])),
    Row("BOT_CHART_CACHE unusable for --pull-charts", DRY + " --pull-charts", EXIT_USAGE,
        ("BOT_CHART_CACHE: cannot create ", "a-file is a file, not a directory"),
        env("BOT_CHART_CACHE", lambda ctx: a_file(ctx) / "charts")),
    Row("BOT_LOCKFILES not a boolean", DRY, EXIT_USAGE, ("'--lockfiles'", "'maybe' is not a valid boolean"),
        env("BOT_LOCKFILES", "maybe")),
    # -- outputs: checked first; a late failure is reported after the totals, the report kept ----
    Row("--output-dir under a file", DRY, EXIT_USAGE, ("--output-dir: cannot create ",),
        option("output", lambda ctx: a_file(ctx) / "out")),
    Row("--output-dir not writable", DRY, EXIT_USAGE, ("--output-dir: cannot ",),
        option("output", lambda ctx: unwritable_dir(ctx) / "out")),
    Row("summary.json is a directory", DRY, EXIT_USAGE, ("--output-dir: ", "summary.json is a directory"),
        do(lambda ctx: (ctx.tmp / "out" / "summary.json").mkdir(parents=True), option("output", lambda ctx: ctx.tmp / "out"))),
    Row("GITHUB_STEP_SUMMARY under a file", DRY, EXIT_USAGE, ("GITHUB_STEP_SUMMARY: cannot write ",),
        env("GITHUB_STEP_SUMMARY", lambda ctx: a_file(ctx) / "summary.md")),
    Row("GITHUB_STEP_SUMMARY a directory", DRY, EXIT_USAGE, ("GITHUB_STEP_SUMMARY: cannot write ", "Is a directory"),
        env("GITHUB_STEP_SUMMARY", lambda ctx: ctx.tmp)),
    Row("step summary on a full disk", DRY, EXIT_REPORT_LOST,
        ("1 change sets: 1 dry-run", "GITHUB_STEP_SUMMARY: the run's table was not appended to /dev/full: No space left"),
        env("GITHUB_STEP_SUMMARY", "/dev/full")),
    Row("bundle on a full disk", DRY, EXIT_REPORT_LOST,
        ("1 change sets: 1 dry-run", "review bundle: not written to ", "No space left on device"),
        summary_on_a_full_disk, then=bundle_in_workspace("dry-run")),
    Row("failed change set and a lost summary", DRY, EXIT_REPORT_LOST,
        ("FAILED good/profiling", "GITHUB_STEP_SUMMARY: the run's table was not appended"),
        do(option("template", lambda ctx: url_template(ctx.tmp / "no-remotes")), env("GITHUB_STEP_SUMMARY", "/dev/full"))),
    Row("clone fails", DRY, EXIT_FAILED, ("FAILED good/profiling: [example/good] cannot get main",),
        option("template", lambda ctx: url_template(ctx.tmp / "no-remotes"))),
    # -- clone URL template ----------------------------------------------------------------------
    Row("template placeholder", DRY, EXIT_USAGE,
        ("--clone-url-template: clone URL template 'file:///m/{owner}/{name}.git': unknown placeholder {name}",),
        option("template", "file:///m/{owner}/{name}.git")),
    Row("template placeholder from env", DRY, EXIT_USAGE, ("BOT_CLONE_URL_TEMPLATE: ", "unknown placeholder {0}"),
        do(option("template", None), env("BOT_CLONE_URL_TEMPLATE", "file:///m/{0}/{owner}/{repo}"))),
    Row("template unbalanced", DRY, EXIT_USAGE, ("--clone-url-template: ", "expected '}' before end of string"),
        option("template", "file:///m/{owner}/{repo")),
    Row("template without {repo}", DRY, EXIT_USAGE, ("--clone-url-template: clone URL template has no {repo}",),
        option("template", "file:///m/{owner}.git")),
    Row("template with credentials", DRY, EXIT_USAGE, ("must not contain credentials",),
        option("template", "https://user:pw@example.org/{owner}/{repo}.git")),
    Row("GITHUB_SERVER_URL with a brace", DRY, EXIT_USAGE, ("GITHUB_SERVER_URL: clone URL template",),
        do(option("template", None), env("GITHUB_SERVER_URL", "https://ghe.example.org/{team"))),
    # -- selection -----------------------------------------------------------------------------
    Row("unknown service", "apply --service gone --dry-run", EXIT_USAGE, ("--service: unknown service 'gone'",)),
    Row("unknown change", "apply --service good --change rum --dry-run", EXIT_USAGE,
        ("--change: no change set 'rum' in good",)),
    Row("no selection", "apply --dry-run", EXIT_USAGE, ("give --service NAME (repeatable) or --all",)),
    Row("samples need dry-run", "apply --service good --samples", EXIT_USAGE, ("--samples is an offline demo",)),
    Row("jobs 0", "apply --service good --dry-run --jobs 0", EXIT_USAGE, ("'--jobs'",)),
    Row("problems reported together", "apply --service gone --dry-run", EXIT_USAGE,
        ("--service: unknown service 'gone'", "--workspace: cannot create ", "--output-dir: cannot create "),
        do(option("workspace", lambda ctx: a_file(ctx) / "ws"), option("output", lambda ctx: ctx.tmp / "a-file" / "o"))),
    # -- credentials: checked with one request before any clone ------------------------------------
    Row("publishing works", PUBLISH, EXIT_OK, ("1 change sets: 1 opened",), github=True),
    Row("blank GITHUB_TOKEN", PUBLISH, EXIT_USAGE,
        ("no GitHub credentials (GITHUB_TOKEN is set but blank",), env("GITHUB_TOKEN", " \n"), github=True),
    Row("no credentials", "status", EXIT_USAGE, ("no GitHub credentials: set GITHUB_TOKEN",),
        lambda ctx: ctx.monkeypatch.delenv("GITHUB_TOKEN"), github=True),
    Row("wrong token", PUBLISH, EXIT_USAGE, ("GITHUB_TOKEN: refused by http://127.0.0.1", "401 Bad credentials"),
        env("GITHUB_TOKEN", OTHER_TOKEN), github=True),
    Row("wrong token for status", "status", EXIT_USAGE, ("GITHUB_TOKEN: refused by",),
        env("GITHUB_TOKEN", OTHER_TOKEN), github=True),
    Row("API refuses connections", PUBLISH, EXIT_USAGE, ("GITHUB_API_URL: http://127.0.0.1:", "cannot reach it: Connection refused"),
        api_at(), github=True, server="closed_port"),
    Row("API is not GitHub", "close --service good --yes", EXIT_USAGE, ("GITHUB_API_URL: ", "answered 404"),
        api_at(), github=True, server="web_server"),
    Row("API never answers", PUBLISH, EXIT_USAGE, ("GITHUB_API_URL: ", "no answer within 1s (BOT_GITHUB_CHECK_TIMEOUT)"),
        api_at(timeout="1"), github=True, server="silent_server"),
    Row("check timeout not a number", PUBLISH, EXIT_USAGE, ("BOT_GITHUB_CHECK_TIMEOUT: expected seconds",),
        env("BOT_GITHUB_CHECK_TIMEOUT", "soon"), github=True),
    Row("negative request interval", PUBLISH, EXIT_USAGE, ("BOT_GITHUB_REQUEST_INTERVAL: expected seconds (0 or more), got '-1'",),
        env("BOT_GITHUB_REQUEST_INTERVAL", "-1"), github=True),
    Row("API URL not http", PUBLISH, EXIT_USAGE, ("GITHUB_API_URL: expected an http or https URL",),
        env("GITHUB_API_URL", "ftp://ghe.example.org"), github=True),
    Row("app key not UTF-8", PUBLISH, EXIT_USAGE, ("GITHUB_APP_PRIVATE_KEY_FILE: ", "not UTF-8 text"),
        app_credentials(b"\x30\x82\x04\xa4\x02\x01"), github=True),
    Row("app key a directory", PUBLISH, EXIT_USAGE, ("GITHUB_APP_PRIVATE_KEY_FILE: ", "is a directory"),
        app_credentials(None), github=True),
    Row("app ID not a number", PUBLISH, EXIT_USAGE, ("GITHUB_APP_ID: expected a number",),
        do(app_credentials(b"x"), env("GITHUB_APP_ID", "one")), github=True),
    Row("token and app", PUBLISH, EXIT_USAGE, ("set either GITHUB_TOKEN or GitHub App credentials, not both",),
        do(app_credentials(b"x"), env("GITHUB_TOKEN", TOKEN)), github=True),
    Row("placeholder repo", PUBLISH, EXIT_USAGE, ("recipes.yaml: repos.good: example/good is a placeholder",),
        lambda ctx: ctx.edit("recipes.yaml", lambda d: d["repos"]["good"].__setitem__("placeholder", True)),
        github=True),
    Row("PRs opened, bundle lost", PUBLISH, EXIT_REPORT_LOST, ("1 change sets: 1 opened", "review bundle: not written to "),
        summary_on_a_full_disk, then=bundle_in_workspace("opened"), github=True),
]  # fmt: skip


@pytest.fixture
def ctx(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Ctx]:
    row: Row = request.param
    items = [item("good-profiling", "good")]
    recipe = {
        "item": "good-profiling",
        "subject": "add profiling",
        "steps": copy.deepcopy(PYROSCOPE_STEPS),
    }
    write_campaign(tmp_path / "campaign", campaign({"good": "example/good"}, items),
                   {"good": {"service": "good", "changes": {"profiling": recipe}}})  # fmt: skip
    remote = make_remote(tmp_path / "remotes", "example/good", SERVICE_FILES)
    github = request.getfixturevalue("fake") if row.github else None
    options: dict[str, str | None] = {
        "campaign": str(tmp_path / "campaign"),
        "workspace": str(tmp_path / "ws"),
        "template": url_template(tmp_path / "remotes"),
    }
    if github is not None:
        github.add_user("rollout-bot", TOKEN)
        github.add_repo("example/good", dict(SERVICE_FILES), roles={"rollout-bot": "write"})
        options["template"] = github.clone_url_template()
        for name, value in {
            "GITHUB_API_URL": github.api_url, "GITHUB_TOKEN": TOKEN,
            "BOT_GITHUB_REQUEST_INTERVAL": "0", "BOT_GITHUB_WRITE_INTERVAL": "0",
        }.items():  # fmt: skip
            monkeypatch.setenv(name, value)
    server = request.getfixturevalue(row.server) if row.server else ""
    yield Ctx(tmp_path, monkeypatch, github, remote, options, server)


@pytest.mark.parametrize("ctx", ROWS, ids=[row.id for row in ROWS], indirect=True)
def test_bad_input(
    ctx: Ctx, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    row: Row = request.node.callspec.params["ctx"]
    if row.setup is not None:
        row.setup(ctx)
    refs = git.Repo(ctx.remote).git.for_each_ref()

    code = main(ctx.argv(row.command))
    out, err = capsys.readouterr()

    text = out + err
    assert "Traceback" not in text
    for fragment in row.expect:
        assert fragment in text, text
    for fragment in row.absent:
        assert fragment not in text, text
    assert code == row.code, text
    if code == EXIT_USAGE:  # caught before any work: nothing cloned, pushed or left behind
        assert [p for p in ctx.tmp.rglob("cache") if p.is_dir()] == []
        assert not (ctx.tmp / "ws").exists()
        assert git.Repo(ctx.remote).git.for_each_ref() == refs
        assert ctx.github is None or ctx.github.writes == []
    if row.then is not None:
        row.then(ctx, out, err)
