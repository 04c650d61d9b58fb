"""A canary token drives real pushes over HTTP and API calls, then must appear nowhere the bot leaves traces."""

from __future__ import annotations

import base64
import logging
import secrets
from pathlib import Path
from typing import ClassVar

import git.cmd
import pytest

from bot.errors import ForgeError
from tests.fake_github import FakeGitHub
from tests.helpers.publishing import BASE_FILES, REPO, Runner, run_git


class RecordingPopen(git.cmd.Popen):  # type: ignore[misc,name-defined]
    """GitPython starts every git process through git.cmd.safer_popen (subprocess.Popen on POSIX)."""

    argv: ClassVar[list[list[str]]] = []

    def __init__(self, args, *rest, **kwargs):
        RecordingPopen.argv.append([str(a) for a in args])
        super().__init__(args, *rest, **kwargs)


def files_text(root: Path) -> str:
    """Every file under a git dir except compressed objects (checked through `git log -p` instead)."""
    texts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "objects" not in path.relative_to(root).parts:
            texts.append(f"== {path}\n{path.read_text(errors='replace')}")
    return "\n".join(texts)


def test_the_token_never_shows_up(
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    canary = "ghp_CANARY" + secrets.token_hex(16)
    forms = {
        "raw": canary,
        "basic": base64.b64encode(f"x-access-token:{canary}".encode()).decode(),
        "tail": canary[-16:],
    }
    fake.add_user("rollout-bot", canary)
    fake.add_repo(REPO, BASE_FILES, roles={"rollout-bot": "write"})
    fake.add_repo("locked/repo", BASE_FILES)
    fake.repo("locked/repo").allow_forking = False
    monkeypatch.setenv(
        "GIT_TRACE", str(tmp_path / "git-trace.txt")
    )  # every git process and its children's argv
    monkeypatch.setenv("GIT_TRACE_CURL", str(tmp_path / "git-curl.txt"))  # HTTP headers git sends
    monkeypatch.setattr(git.cmd, "safer_popen", RecordingPopen)
    RecordingPopen.argv = []
    caplog.set_level(logging.DEBUG)
    run = Runner(fake, tmp_path / "runs", token=canary, http=True)

    seen: dict[str, str] = {}

    def snapshot(work: Path) -> None:  # before the workspace removes the worktree
        git_dir = Path(run_git("rev-parse", "--absolute-git-dir", cwd=work))
        common = Path(run_git("rev-parse", "--path-format=absolute", "--git-common-dir", cwd=work))
        seen[str(work)] = "\n".join(
            [files_text(git_dir), files_text(common), (work / ".git").read_text()]
        )

    first = run(during=snapshot)
    second = run(during=snapshot)
    with pytest.raises(ForgeError) as refused:
        run(repo="locked/repo")

    # positive controls: the token did authenticate the pushes and the API calls
    assert (first.status, second.status) == ("opened", "up-to-date")
    assert any(
        g.service == "git-receive-pack" and g.login == "rollout-bot" and g.status == 200
        for g in fake.git_requests
    )
    assert fake.pulls(REPO)[0].user == "rollout-bot"
    curl = (tmp_path / "git-curl.txt").read_text()
    assert "Authorization: Basic <redacted>" in curl

    out, err = capfd.readouterr()
    bare = fake.repo(REPO).path
    places = {
        "stdout": out,
        "stderr": err,
        "logs": caplog.text,
        "git trace (argv of git and its children)": (tmp_path / "git-trace.txt").read_text(),
        "git curl trace": curl,
        "argv of GitPython's git processes": "\n".join(" ".join(a) for a in RecordingPopen.argv),
        "worktree and cache git dirs (config, FETCH_HEAD, shallow, logs, ...)": "\n".join(
            seen.values()
        ),
        "pushed history (what a patch bundle holds)": run_git("log", "-p", "--all", cwd=bare),
        "format-patch of the bot's commit": run_git(
            "format-patch", "-1", "--stdout", f"refs/heads/{first.head.split(':')[1]}", cwd=bare
        ),
        "error message": str(refused.value),
        "results": repr((first, second)),
        "settings": repr(run.settings),
    }
    assert len(seen) == 2 and "FETCH_HEAD" in "".join(
        seen.values()
    )  # the second run fetched the branch
    assert RecordingPopen.argv and "git push" in places[
        "git trace (argv of git and its children)"
    ].replace("'", "")
    leaks = [
        f"{form} in {where}"
        for where, text in places.items()
        for form, value in forms.items()
        if value in text
    ]
    assert leaks == []
