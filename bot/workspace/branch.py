"""Git for publishing one change set: commit the worktree as the bot, read a remote branch, push with a lease.

The token reaches git only through `Remote.env` (see bot.forge.credentials.git_auth_env); error messages
are redacted once more before they are raised.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import git

from bot.errors import PushError
from bot.forge.api import CommitInfo
from bot.forge.credentials import Identity
from bot.secrets import Secret

log = logging.getLogger(__name__)

WALK_DEPTH = 20  # commits fetched from the remote branch to find the bot's commit under others'

# no hooks, signing or message cleanup from the user's config: the commit must be exactly the bot's
_COMMIT = ("-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false", "commit", "--no-verify", "--cleanup=verbatim")  # fmt: skip

# how git reports a refused credential: HTTP status, GitHub's messages, no prompt allowed
_DENIED = re.compile(
    r"\b40[13]\b|permission to .* denied|permission denied|authentication failed|could not read username"
    r"|repository not found",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Remote:
    url: str
    env: dict[str, str] = field(repr=False)
    token: Secret | None = field(repr=False)  # only to redact error messages


class Worktree:
    """A checked-out change set, seen as the commits it can publish."""

    def __init__(self, path: Path) -> None:
        self._repo = git.Repo(path)

    def git(self, *args: str, env: dict[str, str] | None = None, **kwargs: object) -> str:
        return str(self._repo.git.execute(["git", *args], env=env, **kwargs))  # type: ignore[call-overload]

    def commit_all(self, message: str, identity: Identity) -> str | None:
        """Commit everything as the bot; None when there is nothing to commit."""
        self.git("add", "-A")
        if not self.git("diff", "--cached", "--name-only"):
            return None
        env = {
            "GIT_AUTHOR_NAME": identity.name,
            "GIT_AUTHOR_EMAIL": identity.email,
            "GIT_COMMITTER_NAME": identity.name,
            "GIT_COMMITTER_EMAIL": identity.email,
        }
        with tempfile.NamedTemporaryFile("w", suffix=".msg", delete=False) as f:
            f.write(message)
        try:
            self.git(*_COMMIT, "-F", f.name, env=env)
        finally:
            Path(f.name).unlink()
        return self.git("rev-parse", "HEAD")

    def log(self, rev: str, count: int = WALK_DEPTH) -> list[CommitInfo]:
        """Up to `count` first-parent commits from `rev`, newest first (stops at a shallow boundary)."""
        log_format = "--format=%H%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e"
        out = self.git("log", f"-{count}", "--first-parent", log_format, rev)
        commits = []
        for record in out.split("\x1e"):
            fields = record.strip("\n").split("\x00")
            if len(fields) == 6:
                commits.append(CommitInfo(*fields))
        return commits

    def remote_tip(
        self, remote: Remote, branch: str, *, waits: tuple[float, ...] = ()
    ) -> str | None:
        """Fetch the remote branch (enough history to walk past others' commits); None when it does not exist.

        `waits`: seconds to wait between further tries while the repository is not reachable yet."""
        ref = f"refs/heads/{branch}"
        listed = ""
        for wait in (*waits, None):
            try:
                listed = self._network(remote, "ls-remote", "--heads", remote.url, ref)
                break
            except PushError as e:
                if wait is None or not e.denied:
                    raise
                log.info("%s is not reachable yet (%s); trying again in %ss", remote.url, e, wait)
                time.sleep(wait)
        if not listed.strip():
            return None
        shallow = self.git("rev-parse", "--is-shallow-repository") == "true"
        depth = [f"--depth={WALK_DEPTH}"] if shallow else []
        with self._store_lock():
            self._network(remote, "fetch", "--no-tags", *depth, remote.url, ref)
        return self.git("rev-parse", "FETCH_HEAD")

    def same_change(self, old: str, new: str, message: str) -> bool:
        """Is `new` already on the branch? Same message and the same tree, or the same patch on an older base."""
        if self.log(old, 1)[0].message.strip() != message.strip():
            return False
        if self.git("rev-parse", f"{old}^{{tree}}") == self.git("rev-parse", f"{new}^{{tree}}"):
            return True
        try:
            return self._patch_id(old) == self._patch_id(new)
        except git.GitCommandError:
            return False  # parent not fetched: treat as changed

    def push(self, remote: Remote, sha: str, branch: str, *, expect: str | None) -> None:
        # the lease makes the force conditional: the branch must still be where we saw it (or absent)
        lease = f"--force-with-lease=refs/heads/{branch}:{expect or ''}"
        self._network(
            remote,
            "push",
            "--porcelain",
            "--no-verify",
            lease,
            remote.url,
            f"{sha}:refs/heads/{branch}",
        )

    def _patch_id(self, commit: str) -> str:
        diff = self._repo.git.execute(
            ["git", "diff-tree", "-p", "--no-color", f"{commit}^", commit],
            stdout_as_string=False,
            strip_newline_in_stdout=False,
        )
        with tempfile.TemporaryFile() as f:
            f.write(diff)
            f.seek(0)
            out = self.git("patch-id", "--stable", istream=f)
        return out.split()[0] if out else ""

    def _network(self, remote: Remote, *args: str) -> str:
        try:
            return self.git(*args, env=remote.env)
        except git.GitCommandError as e:
            stderr = _redact(str(e.stderr or ""), remote.token).strip()
            denied = _DENIED.search(stderr) is not None
            rejected = [line for line in str(e.stdout or "").splitlines() if line.startswith("!")]
            if any("stale info" in line for line in rejected):
                reason = (
                    "someone pushed to the branch after the bot looked at it; left alone, run again"
                )
            else:
                reason = (
                    "; ".join(line.split("\t")[-1] for line in rejected) or stderr or str(e.status)
                )
            message = f"git {args[0]} {remote.url} failed: {_redact(reason, remote.token)}"
            raise PushError(message, denied=denied) from None

    @contextlib.contextmanager
    def _store_lock(self) -> Iterator[None]:
        """One fetch at a time per object store: the change sets of one repository share the workspace's
        shallow cache, and a second `fetch --depth` fails on its `shallow.lock` (threads and processes)."""
        common = Path(self.git("rev-parse", "--path-format=absolute", "--git-common-dir"))
        with _LOCKS_GUARD:
            lock = _LOCKS.setdefault(str(common), threading.Lock())
        # the same file bot.workspace.checkout locks for its clone/fetch of this cache (<cache>.git -> <cache>.lock)
        with lock, open(common.with_suffix(".lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _redact(text: str, token: Secret | None) -> str:
    """Belt and braces: git never sees the token on argv or in URLs, but never echo it either."""
    return text.replace(token.reveal(), "****") if token is not None else text
