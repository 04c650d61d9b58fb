import pytest

from codemods.python import add_dependency
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

PYROSCOPE = {"name": "pyroscope-io", "constraint": "^1.4.0"}


def test_poetry_table_sorted_slot_keeps_python_first():
    assert_codemod(
        add_dependency,
        PYROSCOPE,
        path="pyproject.toml",
        before="""\
            [tool.poetry.dependencies]
            python = "^3.14"
            aiohttp = "^3.14.1"
            pydantic-settings = "^2.14.2"
            requests = "^2.34.2"

            [tool.poetry.group.dev.dependencies]
            pytest = "^9.0"
        """,
        after="""\
            [tool.poetry.dependencies]
            python = "^3.14"
            aiohttp = "^3.14.1"
            pydantic-settings = "^2.14.2"
            pyroscope-io = "^1.4.0"
            requests = "^2.34.2"

            [tool.poetry.group.dev.dependencies]
            pytest = "^9.0"
        """,
    )


def test_poetry_unsorted_table_appends_after_last_entry():
    assert_codemod(
        add_dependency,
        PYROSCOPE,
        path="pyproject.toml",
        before="""\
            [tool.poetry.dependencies]
            python = ">=3.13,<4.0"
            fastapi = "^0.136.3"
            canonicaljson = "^2.0.0" # keeps identifiers stable
            httpx = "^0.28.1"

            [tool.poetry.group.dev.dependencies]
            ruff = "^0.15"
        """,
        after="""\
            [tool.poetry.dependencies]
            python = ">=3.13,<4.0"
            fastapi = "^0.136.3"
            canonicaljson = "^2.0.0" # keeps identifiers stable
            httpx = "^0.28.1"
            pyroscope-io = "^1.4.0"

            [tool.poetry.group.dev.dependencies]
            ruff = "^0.15"
        """,
    )


def test_poetry_table_without_python_takes_a_first_name_first():
    assert_codemod(
        add_dependency,
        {"name": "aiohttp", "constraint": "^3.11"},
        path="pyproject.toml",
        before="""\
            [tool.poetry.dependencies]
            httpx = "^0.28.1"
            requests = "^2.34.2"

            [tool.poetry.group.dev.dependencies]
            pytest = "^9.0"
        """,
        after="""\
            [tool.poetry.dependencies]
            aiohttp = "^3.11"
            httpx = "^0.28.1"
            requests = "^2.34.2"

            [tool.poetry.group.dev.dependencies]
            pytest = "^9.0"
        """,
    )


def test_hybrid_pyproject_with_tab_uses_the_poetry_table():
    # [project] without dependencies + package-mode = false: Poetry's table is the real one.
    before = (
        '[project]\nname = "svc"\nversion = "2.4.0"\nclassifiers = [\n'
        '    "Programming Language :: Python :: 3",\n\t    "Operating System :: OS Independent",\n]\n\n'
        "[tool.poetry]\npackage-mode = false\n\n"
        '[tool.poetry.dependencies]\npython = ">=3.13,<4.0"\nhttpx = "^0.28.1"\n'
    )
    after = before + 'pyroscope-io = "^1.4.0"\n'
    assert_codemod(
        add_dependency, PYROSCOPE, path="pyproject.toml", before=before, after=after, dedent=False
    )


def test_after_places_the_entry_inside_a_commented_group():
    assert_codemod(
        add_dependency,
        {**PYROSCOPE, "after": "pynacl"},
        path="pyproject.toml",
        before="""\
            [tool.poetry.dependencies]
            python = "^3.13"

            aiohttp = ">=3.11"
            pynacl = ">=1.5,<1.7"
            python-dateutil = "^2.9.0"

            # askar
            aries-askar = ">=0.4.3"
        """,
        after="""\
            [tool.poetry.dependencies]
            python = "^3.13"

            aiohttp = ">=3.11"
            pynacl = ">=1.5,<1.7"
            pyroscope-io = "^1.4.0"
            python-dateutil = "^2.9.0"

            # askar
            aries-askar = ">=0.4.3"
        """,
    )


def test_pep621_list_appends_in_file_style():
    assert_codemod(
        add_dependency,
        {"name": "pyroscope-io", "constraint": ">=1.4.0"},
        path="server/pyproject.toml",
        before="""\
            [project]
            name = "server"
            dependencies = [
                "fastapi>=0.115.2",
                "anyio>=4.7.0",
                "httpx>=0.28.1",
            ]

            [dependency-groups]
            dev = ["ruff>=0.9.1"]
        """,
        after="""\
            [project]
            name = "server"
            dependencies = [
                "fastapi>=0.115.2",
                "anyio>=4.7.0",
                "httpx>=0.28.1",
                "pyroscope-io>=1.4.0",
            ]

            [dependency-groups]
            dev = ["ruff>=0.9.1"]
        """,
    )


WINDOWS_LESS = {**PYROSCOPE, "markers": "sys_platform != 'win32'"}


def test_poetry_markers_become_an_inline_table():
    assert_codemod(
        add_dependency,
        {**WINDOWS_LESS, "after": "pynacl"},
        path="pyproject.toml",
        before="""\
            [tool.poetry.dependencies]
            python = "^3.13"
            pynacl = ">=1.5,<1.7"
            requests = "^2.34.2"
        """,
        after="""\
            [tool.poetry.dependencies]
            python = "^3.13"
            pynacl = ">=1.5,<1.7"
            pyroscope-io = { version = "^1.4.0", markers = "sys_platform != 'win32'" }
            requests = "^2.34.2"
        """,
    )


def test_pep621_markers_follow_a_semicolon():
    assert_codemod(
        add_dependency,
        {**WINDOWS_LESS, "constraint": ">=1.4.0"},
        path="pyproject.toml",
        before='[project]\nname = "s"\ndependencies = ["httpx>=0.28"]\n',
        after='[project]\nname = "s"\ndependencies = ["httpx>=0.28", "pyroscope-io>=1.4.0; sys_platform != \'win32\'"]\n',
        dedent=False,
    )


def test_existing_entries_count_only_with_the_same_markers():
    assert_unchanged(
        add_dependency,
        WINDOWS_LESS,
        path="pyproject.toml",
        text="""\
            [tool.poetry.dependencies]
            pyroscope-io = {version = "^1.4.0", markers = 'sys_platform != "win32"'}
        """,
    )
    assert_unchanged(
        add_dependency,
        {**WINDOWS_LESS, "constraint": ">=1.4.0"},
        path="pyproject.toml",
        text='[project]\nname = "s"\ndependencies = ["pyroscope_io >= 1.4.0 ; sys_platform!=\'win32\'"]\n',
        dedent=False,
    )
    assert_codemod_error(
        add_dependency,
        WINDOWS_LESS,
        path="pyproject.toml",
        text='[tool.poetry.dependencies]\npyroscope-io = "^1.4.0"\n',
        match=r"already a dependency \(\^1.4.0\), not \^1.4.0; sys_platform != 'win32'",
        dedent=False,
    )


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (PYROSCOPE, r"'pyroscope-io\^1.4.0' is not a PEP 508 requirement"),
        (
            {**PYROSCOPE, "constraint": ">=1.4", "markers": "os == 'x"},
            "is not a PEP 508 requirement",
        ),
        ({**PYROSCOPE, "constraint": ">=1.4", "markers": "sys_platform = 'x'"}, "PEP 508"),
    ],
)
def test_pep621_constraints_and_markers_must_be_pep_508(params, match):
    assert_codemod_error(
        add_dependency,
        params,
        path="pyproject.toml",
        text='[project]\nname = "s"\ndependencies = []\n',
        match=match,
        dedent=False,
    )


def test_poetry_markers_must_be_pep_508():
    assert_codemod_error(
        add_dependency,
        {**PYROSCOPE, "markers": "windows"},
        path="pyproject.toml",
        text='[tool.poetry.dependencies]\npython = "^3.13"\n',
        match="markers 'windows' are not PEP 508 environment markers",
        dedent=False,
    )


def test_existing_same_constraint_is_unchanged_under_another_spelling():
    assert_unchanged(
        add_dependency,
        PYROSCOPE,
        path="pyproject.toml",
        text="""\
            [tool.poetry.dependencies]
            python = "^3.13"
            Pyroscope_IO = { version = "^1.4.0", optional = false }
        """,
    )


def test_existing_other_constraint_is_left_to_a_human():
    assert_codemod_error(
        add_dependency,
        {**PYROSCOPE, "constraint": ">=1.4.0"},
        path="pyproject.toml",
        text="""\
            [project]
            name = "x"
            dependencies = ["pyroscope-io>=0.8"]
        """,
        match=r"already a dependency \(>=0.8\)",
    )


def test_no_dependency_table_is_an_error():
    assert_codemod_error(
        add_dependency,
        PYROSCOPE,
        path="pyproject.toml",
        text='[project]\nname = "x"\n',
        match="neither",
    )


def test_unknown_after_is_an_error():
    assert_codemod_error(
        add_dependency,
        {**PYROSCOPE, "after": "nope"},
        path="pyproject.toml",
        text='[tool.poetry.dependencies]\npython = "^3.13"\n',
        match="no such dependency",
    )


def test_broken_toml_is_an_error_naming_the_file():
    assert_codemod_error(
        add_dependency,
        PYROSCOPE,
        path="plugins/x/pyproject.toml",
        text="[tool.poetry\n",
        match="plugins/x/pyproject.toml",
    )
