"""codemods/_yamlbuild.py builds exactly what the composer's path (ruamel's constructor) builds:
same classes, values, line/column info and flow style, or declines."""

from __future__ import annotations

from typing import Any

import pytest

from codemods import _fastyaml
from tests.codemods.fastyaml_test import texts

MORE = {
    "ints": "a: 0x1F\nb: 0o17\nc: 1_000\nd: -5\ne: +7\nf: 007\ng: 12\nh: 0b101\n",
    "floats": "a: 1.50\nb: -0.0\nc: .inf\ne: 1e3\nf: 6.02E+23\n",
    "bools and times": "a: true\nb: False\nc: yes\nd: 2026-01-01T10:00:00Z\n",
    "styles": "e: |+\n  keep\n\nf: >-\n  x\ng: ''\nh: 'null'\ni: \"~\"\n",
    "keys": "1: a\n2.5: b\ntrue: c\n~: d\n'q': e\n\"dq\": f\n",
    "nesting": "a:\n- b: 1\n  c:\n  - d\n  - e: [1]\n-\n- - x\n  - y\no: [[1, 2], {x: y}, []]\n",
    "roots": "---\nhello\n---\n~\n---\n- 1\n",
    "value key": "=: x\n",
}
DECLINED = ["anchors and merge", "tagged", "directive", "value key"]


def exact(value: Any) -> Any:
    """The value with its class and every attribute ruamel attaches (line/column, format, anchor)."""
    attached = {
        name: repr(vars(found)) if hasattr(found, "__dict__") else repr(found)
        for name, found in sorted(vars(value).items())
    } if hasattr(value, "__dict__") else {}  # fmt: skip
    if isinstance(value, dict):
        items: Any = [(exact(key), exact(item)) for key, item in value.items()]
    elif isinstance(value, list):
        items = [exact(item) for item in value]
    else:
        items = repr(value)
    return (type(value).__name__, attached, items)


def composed(text: str, round_trip: bool) -> list[Any]:
    yaml = _fastyaml._new_yaml(round_trip)
    nodes = _fastyaml._compose_all(yaml, text)
    return _fastyaml._construct(yaml, nodes) if nodes is not None else list(yaml.load_all(text))


@pytest.mark.parametrize(("name", "text"), [*texts(), *MORE.items()])
def test_builds_what_the_constructor_builds(name: str, text: str) -> None:
    for round_trip in (True, False):
        built = _fastyaml._built(_fastyaml._new_yaml(round_trip), text, round_trip)
        if built is None:
            continue  # declined: the composer's path, tested in fastyaml_test.py
        assert exact(built) == exact(composed(text, round_trip)), name


@pytest.mark.parametrize("name", DECLINED)
def test_declines_what_only_the_constructor_handles(name: str) -> None:
    text = dict([*texts(), *MORE.items()])[name]
    for round_trip in (True, False):
        assert _fastyaml._built(_fastyaml._new_yaml(round_trip), text, round_trip) is None


def test_builds_the_sample_files() -> None:
    """The fast path is the common one: every sample values file and manifest without a template."""
    built = [
        name
        for name, text in texts()
        if name.startswith("samples/")
        and _fastyaml._built(_fastyaml._new_yaml(True), text, True) is not None
    ]
    assert len(built) > 60
