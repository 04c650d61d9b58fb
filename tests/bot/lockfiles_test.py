from bot.workspace.lockfiles import notes


def test_nearest_lockfile_up_the_tree(tmp_path):
    for path in [
        "pnpm-lock.yaml",
        "apps/mediator/package.json",
        "server/uv.lock",
        "server/pyproject.toml",
        "x/pyproject.toml",
    ]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    assert notes(
        tmp_path,
        ["apps/mediator/package.json", "server/pyproject.toml", "x/pyproject.toml", "README.md"],
    ) == [
        "pnpm-lock.yaml must be regenerated for apps/mediator/package.json: run `pnpm install --lockfile-only` in the repository root",
        "server/uv.lock must be regenerated for server/pyproject.toml: run `uv lock` in server/",
    ]
