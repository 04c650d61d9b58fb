from bot.campaign.model import Step
from bot.rollout.changes import apply_steps
from codemods.python import add_dependency, add_startup_call

DEP = Step(
    "python.add_dependency", "pyproject.toml", add_dependency.Params("pyroscope-io", "^1.4.0")
)


def _start(path="app/main.py", function="main", create=False):
    params = add_startup_call.Params(
        function, "svc", "PYROSCOPE_SERVER_ADDRESS", version_expr='"1"'
    )
    return Step("python.add_startup_call", path, params, create)


def _tree(root, files):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(text.encode())


def test_edits_are_written_and_reported(tmp_path):
    _tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.13"\n',
            "app/main.py": "def main():\n    pass\n",
        },
    )
    edits = apply_steps((DEP, _start()), tmp_path)
    assert not edits.failed
    assert sorted(edits.files) == ["app/main.py", "pyproject.toml"]
    assert 'pyroscope-io = "^1.4.0"' in (tmp_path / "pyproject.toml").read_text()
    assert apply_steps((DEP, _start()), tmp_path).files == {}  # second run: nothing to write


def test_missing_target_file_fails_with_its_path(tmp_path):
    edits = apply_steps((DEP,), tmp_path)
    assert edits.error == (
        "python.add_dependency on pyproject.toml: missing target file pyproject.toml "
        "(the recipe expects it; has the repo moved it?)"
    )


def test_unparsable_source_fails_and_writes_nothing(tmp_path):
    _tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.13"\n',
            "app/main.py": "def main(:\n",
        },
    )
    edits = apply_steps((DEP, _start()), tmp_path)
    assert edits.error.startswith(
        "python.add_startup_call on app/main.py: app/main.py does not parse as Python"
    )
    assert "pyroscope" not in (tmp_path / "pyproject.toml").read_text()  # all or nothing


def test_paths_outside_the_repository_are_refused(tmp_path):
    edits = apply_steps((_start(path="../escape.py", create=True),), tmp_path / "repo")
    assert "outside the repository" in edits.error


def test_non_utf8_file_is_a_clear_failure(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b"\xff\xfe[tool]\n")
    assert "is not UTF-8 text" in apply_steps((DEP,), tmp_path).error


def test_crlf_and_missing_final_newline_survive(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(
        b'[tool.poetry.dependencies]\r\npython = "^3.13"\r\nhttpx = "1"'
    )
    apply_steps((DEP,), tmp_path)
    assert (
        (tmp_path / "pyproject.toml")
        .read_bytes()
        .startswith(b'[tool.poetry.dependencies]\r\npython = "^3.13"\r\n')
    )


def test_a_crashing_codemod_fails_only_its_change_set(tmp_path, monkeypatch):
    monkeypatch.setattr(add_dependency, "apply", lambda *args: 1 / 0)
    (tmp_path / "pyproject.toml").write_text("")
    assert apply_steps((DEP,), tmp_path).error == (
        "python.add_dependency on pyproject.toml: codemod crashed: ZeroDivisionError: division by zero"
    )
