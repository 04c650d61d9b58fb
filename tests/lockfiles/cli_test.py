"""The offline demo (`--samples`) stays offline: it notes the lockfiles instead of regenerating them, and says so."""

from __future__ import annotations

import json

from bot.cli import main


def test_samples_note_the_lockfiles_and_say_why(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("BOT_LOCKFILES")
    args = [
        "apply",
        "--service",
        "didwebvh",
        "--change",
        "profiling",
        "--dry-run",
        "--samples",
        "--no-diff",
    ]
    assert (
        main([*args, "--workspace", str(tmp_path / "ws"), "--output-dir", str(tmp_path / "out")])
        == 0
    )
    err = capsys.readouterr().err
    assert "lockfiles: not regenerated with --samples (the offline demo needs no registry)" in err
    (change,) = json.loads((tmp_path / "out" / "summary.json").read_text())["change_sets"]
    assert change["lockfiles"] == []
    assert (
        "server/uv.lock must be regenerated for server/pyproject.toml: run `uv lock` in server/"
        in change["notes"]
    )
    assert not (tmp_path / "ws" / "tools").exists()  # no package manager was installed
