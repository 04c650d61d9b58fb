"""Clones, worktrees and diffs for the apply flow (bot/publish.py pushes; bot/samples.py builds samples).

Each target repository is cached as a shallow bare clone under `<workspace>/cache/`; a warm
run fetches instead of cloning. Each change set gets its own detached worktree of the base
branch tip in a temporary directory, so change sets of one repository never see each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
import shutil
import tarfile
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import git

from bot.campaign.model import Repo
from bot.checks.charts import ChartSource
from bot.errors import CloneError
from bot.forge.credentials import GitEnv
from bot.forge.urls import check_url_template
from bot.workspace import sparse
from bot.workspace.paths import absolute

log = logging.getLogger(__name__)

# Never prompt (a missing credential must fail, not hang) and ignore the user's pager/colour setup.
BASE_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
# clones and fetches at once, whatever --jobs says: they wait on the network, not the CPU
PREFETCH_JOBS = 8
LITERAL = {
    "GIT_LITERAL_PATHSPECS": "1"
}  # a recipe's path is a path, never a glob or pathspec magic


@dataclass
class Checkout:
    """A detached worktree of a repository's base branch, with the change applied in place."""

    path: Path
    repo: Repo
    base_sha: str
    _git: git.Repo = field(repr=False)
    _base_copy: Path | None = None
    _base_paths: set[str] = field(default_factory=set)  # extracted into _base_copy so far
    _base_whole: bool = False  # the whole base commit is there
    charts: ChartSource | None = None  # where render checks find third-party charts

    def diff(self) -> str:
        """Every change (new files included) as a patch `git apply` accepts at the repo root."""
        self._git.git.add("--all")
        return self._git.git.diff(
            "--cached", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/",
            "--full-index", stdout_as_string=True, strip_newline_in_stdout=False,
        )  # fmt: skip

    def changed_files(self) -> list[str]:
        self._git.git.add("--all")
        return self._git.git.diff("--cached", "--name-only").splitlines()

    @property
    def work_dir(self) -> Path:
        return self.path

    def base_dir(self, *paths: str) -> Path:
        """A pristine copy of the base commit, for before/after comparisons: only `paths` (repo-relative
        files or directories; those missing at the base are left out) when given, else all of it.
        Made on first use; a later call adds what it asks for."""
        if self._base_copy is None:
            self._base_copy = Path(tempfile.mkdtemp(prefix="base-", dir=self.path.parent))
        if self._base_whole or (paths and set(paths) <= self._base_paths):
            return self._base_copy
        wanted = self._present_at_base(paths) if paths else []
        if paths and not wanted:  # nothing of it exists at the base (a new chart, say)
            self._base_paths.update(paths)
            return self._base_copy
        archive = self._git.git.archive(
            self.base_sha, "--format=tar", "--", *wanted, stdout_as_string=False,
            env=LITERAL,
        )  # fmt: skip
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            if wanted and any(member.issym() or member.islnk() for member in tar.getmembers()):
                return self.base_dir()  # a link may lead to what was left out: copy everything
            tar.extractall(self._base_copy, filter="data")
        if paths:
            self._base_paths.update(paths)
        else:
            self._base_whole = True
        return self._base_copy

    def _present_at_base(self, paths: tuple[str, ...]) -> list[str]:
        listed = self._git.git.ls_tree(
            "--name-only", "-z", self.base_sha, "--", *paths,
            env=LITERAL,
        )  # fmt: skip
        return [name for name in listed.split("\0") if name]


class Workspace:
    def __init__(
        self,
        root: Path,
        url_template: str,
        git_env: dict[str, str] | None = None,
        charts: ChartSource | None = None,
    ):
        check_url_template(url_template)
        self.charts = charts  # third-party charts for render checks (bot/checks/charts.py)
        # git runs inside the cache: a relative root would point somewhere else there
        self.root = absolute(root)
        self.url_template = url_template
        self.env = GitEnv(
            {**BASE_ENV, **(git_env or {})}
        )  # prints as ****: it may hold a token header
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._fresh: set[str] = set()  # caches already fetched in this run

    def url(self, repo: Repo) -> str:
        return self.url_template.format(owner=repo.owner, repo=repo.name)

    @contextlib.contextmanager
    def prefetch(self, repos: Iterable[Repo]) -> Iterator[None]:
        """Clone or fetch every distinct repo at once, in the background of the block (which waits for
        them at its end). A failure is left for the change sets, which meet it again with the same message."""
        pool = ThreadPoolExecutor(PREFETCH_JOBS, thread_name_prefix="fetch")
        for repo in {repo.full_name: repo for repo in repos}.values():
            pool.submit(self._prefetch_one, repo)
        try:
            yield
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()

    def _prefetch_one(self, repo: Repo) -> None:
        with contextlib.suppress(CloneError):
            self._ensure_cache(repo)

    def base(self, repo: Repo) -> tuple[str, str]:
        """(commit, tree) of the base branch tip in the (fetched) cache, without a worktree."""
        cache = self._ensure_cache(repo)
        with self._lock(repo):
            ref = f"refs/heads/{repo.base}"
            commit, tree = cache.git.rev_parse(ref, f"{ref}^{{tree}}", env=self.env).split()
        return commit, tree

    @contextlib.contextmanager
    def checkout(self, repo: Repo, only: Sequence[str] | None = None) -> Iterator[Checkout]:
        """A worktree of the base branch tip; with `only` (repo-relative files or directories), a sparse one
        holding just those (bot/workspace/sparse.py), unless a symlink makes that unsafe."""
        cache = self._ensure_cache(repo)
        scratch = Path(tempfile.mkdtemp(prefix=f"{repo.name}-", dir=self._scratch_root()))
        path = scratch / repo.name
        ref = f"refs/heads/{repo.base}"
        try:
            with self._lock(repo):
                narrowed = sparse.patterns(cache, ref, only) if only is not None else None
                lazy = ["--no-checkout"] if narrowed is not None else []
                cache.git.worktree("add", *lazy, "--detach", str(path), ref, env=self.env)
        except git.GitCommandError as exc:
            shutil.rmtree(scratch, ignore_errors=True)
            raise CloneError(
                f"[{repo.full_name}] cannot check out {repo.base}: {_stderr(exc)}"
            ) from None
        try:
            worktree = git.Repo(path)
            if narrowed is not None:
                sparse.narrow(worktree, narrowed, self.env)
            yield Checkout(path, repo, worktree.head.commit.hexsha, worktree, charts=self.charts)
        finally:
            with self._lock(repo):
                cache.git.worktree("remove", "--force", str(path), env=self.env)
            shutil.rmtree(scratch, ignore_errors=True)

    def _scratch_root(self) -> Path:
        root = self.root / "tmp"
        root.mkdir(parents=True, exist_ok=True)
        return root

    def _cache_path(self, repo: Repo) -> Path:
        return self.root / "cache" / f"{repo.owner}+{repo.name}.git"

    def _ensure_cache(self, repo: Repo) -> git.Repo:
        path = self._cache_path(repo)
        with self._lock(repo):
            try:
                if (path / "HEAD").is_file():
                    cache = git.Repo(path)
                    if path.name not in self._fresh:
                        self._fetch(cache, repo)
                else:
                    cache = self._clone(path, repo)
            except git.GitCommandError as exc:
                raise CloneError(
                    f"[{repo.full_name}] cannot get {repo.base} from {self.url(repo)}: {_stderr(exc)}"
                ) from None
            self._fresh.add(path.name)
            return cache

    def _clone(self, path: Path, repo: Repo) -> git.Repo:
        log.info("$ git clone --bare --depth 1 --branch %s %s", repo.base, self.url(repo))
        partial = path.with_name(path.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        git.Repo.clone_from(
            self.url(repo),
            partial,
            bare=True,
            depth=1,
            branch=repo.base,
            env=self.env,
            no_tags=True,
        )
        partial.rename(path)  # a clone interrupted half-way never looks like a cache
        return git.Repo(path)

    def _fetch(self, cache: git.Repo, repo: Repo) -> None:
        log.info("$ git fetch --depth 1 origin %s", repo.base)
        cache.git.remote("set-url", "origin", self.url(repo), env=self.env)
        cache.git.worktree("prune", env=self.env)
        cache.git.fetch(
            "--depth",
            "1",
            "--no-tags",
            "origin",
            f"+refs/heads/{repo.base}:refs/heads/{repo.base}",
            env=self.env,
        )

    @contextlib.contextmanager
    def _lock(self, repo: Repo) -> Iterator[None]:
        """One git operation per cache at a time: threads of this run and other bot processes."""
        with self._locks_guard:
            lock = self._locks.setdefault(repo.full_name, threading.Lock())
        lock_file = self._cache_path(repo).with_suffix(".lock")
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        with lock, open(lock_file, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _stderr(exc: git.GitCommandError) -> str:
    """git's reason: its fatal/error lines (GitPython already redacts credentials in URLs)."""
    text = str(exc.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    reasons = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines[-1:]
    return " ".join(reasons) if reasons else f"git exited with {exc.status}"
