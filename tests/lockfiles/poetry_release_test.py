"""A relock through the simple index keeps the release metadata the lock already had (measured on
openwallet-foundation/acapy: 17 of the 18 removed lines were these, for releases that did not move)."""

from __future__ import annotations

from bot.workspace.lockfiles import churn, poetry_release


def block(name: str, version: str, description: str, python: str, extra: str = "") -> str:
    return (
        f'[[package]]\nname = "{name}"\nversion = "{version}"\ndescription = "{description}"\n'
        f'optional = false\npython-versions = "{python}"\ngroups = ["main"]\nfiles = [\n'
        f'    {{file = "{name}-{version}.whl", hash = "sha256:00"}},\n]\n\n{extra}'
    )


DEPS = '[package.dependencies]\ndescription = ">=1"\n\n'  # a dependency that happens to share a key's name
OLD = (
    block("Anoncreds", "0.2.3", "", "<4.0,>=3.10", DEPS)
    + block("moved", "1.0", "", ">=3.8")
    + '[metadata]\nlock-version = "2.1"\ncontent-hash = "aa"\n'
)
NEW = (
    block("anoncreds", "0.2.3", "UNKNOWN", ">=3.10,<4.0", DEPS)
    + block("moved", "2.0", "UNKNOWN", ">=3.9")
    + block("added", "1.4.0", "Added", ">=3.10")
    + '[metadata]\nlock-version = "2.1"\ncontent-hash = "bb"\n'
)


def test_unchanged_releases_keep_their_lines_and_new_ones_keep_the_relock():
    kept = poetry_release.keep(OLD, NEW)
    # as the old lock wrote them
    assert block("anoncreds", "0.2.3", "", "<4.0,>=3.10", DEPS) in kept
    assert block("moved", "2.0", "UNKNOWN", ">=3.9") in kept  # another release: the relock's lines
    assert block("added", "1.4.0", "Added", ">=3.10") in kept
    assert 'content-hash = "bb"' in kept
    assert churn.line_churn(OLD, NEW)[1] > churn.line_churn(OLD, kept)[1]


def test_a_release_locked_twice_is_left_as_relocked():
    twice = block("dup", "1.0", "", ">=3.8") + block("dup", "1.0", "", ">=3.9")
    relocked = block("dup", "1.0", "UNKNOWN", ">=3.8,<4") * 2
    assert poetry_release.keep(twice, relocked) == relocked


def test_a_new_lock_is_untouched():
    assert poetry_release.keep("", NEW) == NEW


def test_a_sub_table_right_after_the_header_is_not_taken_for_it():
    tight_old, tight_new = (text.replace("]\n\n[package.", "]\n[package.") for text in (OLD, NEW))
    kept = poetry_release.keep(tight_old, tight_new)
    assert '[package.dependencies]\ndescription = ">=1"\n' in kept and 'description = ""\n' in kept
