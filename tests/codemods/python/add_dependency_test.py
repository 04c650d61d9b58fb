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


def test_hybrid_pyproject_with_tab_uses_the_poetry_table():
    # [project] without dependencies + package-mode = false: Poetry's table is the real one.
    before = (
        '[project]\nname = "svc"\nversion = "2.4.0"\nclassifiers = [\n'
        '    "Programming Language :: Python :: 3",\n\t    "Operating System :: OS Independent",\n]\n\n'
        '[tool.poetry]\npackage-mode = false\n\n'
        '[tool.poetry.dependencies]\npython = ">=3.13,<4.0"\nhttpx = "^0.28.1"\n'
    )
    after = before + 'pyroscope-io = "^1.4.0"\n'
    assert_codemod(add_dependency, PYROSCOPE, path="pyproject.toml", before=before, after=after, dedent=False)


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
        PYROSCOPE,
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
        add_dependency, PYROSCOPE, path="pyproject.toml", text='[project]\nname = "x"\n', match="neither"
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
        add_dependency, PYROSCOPE, path="plugins/x/pyproject.toml", text="[tool.poetry\n", match="plugins/x/pyproject.toml"
    )
