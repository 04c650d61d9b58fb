from codemods.node import add_dependency
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged
from tests.helpers.parsers import assert_parses

PYROSCOPE = {"name": "@pyroscope/nodejs", "version": "^0.6.4"}


def test_sorted_dependencies_get_the_sorted_slot_and_final_newline_stays():
    result = assert_codemod(
        add_dependency,
        PYROSCOPE,
        path="services/tenant-ui/package.json",
        before="""\
            {
              "name": "tenant-ui",
              "type": "module",
              "dependencies": {
                "axios": "^1.18.1",
                "config": "^4.4.2",
                "express": "^5.2.1"
              },
              "devDependencies": {
                "@types/express": "^5.0.6"
              }
            }
        """,
        after="""\
            {
              "name": "tenant-ui",
              "type": "module",
              "dependencies": {
                "@pyroscope/nodejs": "^0.6.4",
                "axios": "^1.18.1",
                "config": "^4.4.2",
                "express": "^5.2.1"
              },
              "devDependencies": {
                "@types/express": "^5.0.6"
              }
            }
        """,
    )
    assert_parses("services/tenant-ui/package.json", result)


def test_unsorted_dependencies_append_and_catalog_entries_stay_verbatim():
    assert_codemod(
        add_dependency,
        PYROSCOPE,
        path="apps/mediator/package.json",
        before="""\
            {
              "dependencies": {
                "zod": "^4.1.13",
                "@credo-ts/core": "catalog:",
                "express": "^5.1.0"
              }
            }
        """,
        after="""\
            {
              "dependencies": {
                "zod": "^4.1.13",
                "@credo-ts/core": "catalog:",
                "express": "^5.1.0",
                "@pyroscope/nodejs": "^0.6.4"
              }
            }
        """,
    )


def test_dev_dependencies_section_and_four_space_indent_without_final_newline():
    before = '{\n    "name": "credo-ts",\n    "devDependencies": {\n        "express": "catalog:",\n        "vitest": "catalog:"\n    }\n}'
    after = (
        '{\n    "name": "credo-ts",\n    "devDependencies": {\n        "@pyroscope/nodejs": "0.6.4",\n'
        '        "express": "catalog:",\n        "vitest": "catalog:"\n    }\n}'
    )
    params = {"name": "@pyroscope/nodejs", "version": "0.6.4", "section": "devDependencies"}
    assert_codemod(
        add_dependency, params, path="package.json", before=before, after=after, dedent=False
    )


def test_missing_section_is_created_last():
    assert_codemod(
        add_dependency,
        {"name": "@grafana/faro-web-sdk", "version": "^2.12.1"},
        path="demo/nuxt/package.json",
        before="""\
            {
              "name": "demo",
              "private": true
            }
        """,
        after="""\
            {
              "name": "demo",
              "private": true,
              "dependencies": {
                "@grafana/faro-web-sdk": "^2.12.1"
              }
            }
        """,
    )


def test_same_version_already_there_is_unchanged():
    assert_unchanged(
        add_dependency,
        PYROSCOPE,
        path="package.json",
        text='{\n  "dependencies": {\n    "@pyroscope/nodejs": "^0.6.4"\n  }\n}\n',
        dedent=False,
    )


def test_other_version_or_other_section_is_left_to_a_human():
    assert_codemod_error(
        add_dependency,
        PYROSCOPE,
        path="package.json",
        text='{\n  "dependencies": {\n    "@pyroscope/nodejs": "^0.5.0"\n  }\n}\n',
        match=r"already a dependency \(\^0.5.0\)",
        dedent=False,
    )
    assert_codemod_error(
        add_dependency,
        PYROSCOPE,
        path="package.json",
        text='{\n  "devDependencies": {\n    "@pyroscope/nodejs": "^0.6.4"\n  }\n}\n',
        match="already in devDependencies",
        dedent=False,
    )


def test_hand_formatted_or_broken_json_is_refused():
    assert_codemod_error(
        add_dependency,
        PYROSCOPE,
        path="package.json",
        text='{\n  "files": ["build", "src"],\n  "dependencies": {}\n}\n',
        match="rewriting it would reformat unrelated lines",
        dedent=False,
    )
    assert_codemod_error(
        add_dependency,
        PYROSCOPE,
        path="package.json",
        text='{\n  "a": 1,\n}\n',
        match="does not parse as JSON",
        dedent=False,
    )


def test_unknown_section_is_an_error():
    assert_codemod_error(
        add_dependency,
        {**PYROSCOPE, "section": "bundledDependencies"},
        path="package.json",
        text="{}\n",
        match="section must be one of",
        dedent=False,
    )
