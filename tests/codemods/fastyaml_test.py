"""codemods/_fastyaml.py loads what ruamel.yaml loads: data, types, line/column info, and errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from codemods import _fastyaml
from codemods.helm._yaml import Layout, _yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FILES = sorted(
    path
    for pattern in ("samples/**/*.yaml", "samples/**/*.yml", "recipes/*.yaml")
    for path in ROOT.glob(pattern)
)
CASES = {
    "empty values": "a:\n-\n- x\n-\nb:\nc: 1\n",
    "nested empty": "- a:\n  b:\n-\n",
    "flow": "k: {a: , b}\nl: [a, , ]\n",
    "anchors and merge": "x: &a {p: 1}\ny: *a\nz:\n  <<: *a\n  q: 2\n",
    "scalars": "a: >\n  folded\n  text\nb: |-\n  lit\nc: \"q\"\nd: 's'\ne: 0x1F\nf: 1.50\ng: 0o17\nh: 2026-01-01\ni: yes\nj: ~\n",
    "complex key": "? complex\n: value\n",
    "BOM and CRLF": "\ufeffa: 1\r\nb: \u00e9\u00e9\r\nc: [1,\r\n 2]\r\n",
    "multi-document": "---\nkind: A\n---\n# only a comment\n---\nkind: B\n...\n",
    "tagged": "a: !!str 1\nb: !custom x\n",
    "directive": "%YAML 1.1\n---\na: yes\n",
    "empty": "",
}
ERRORS = {
    "duplicate key": "a: 1\na: 2\n",
    "TAB after the colon": "a:\tb\n",  # libyaml takes it, ruamel does not
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "undefined alias": "a: *nope\n",
    "unclosed flow": "a: [1, 2\n",
}


def shape(node: Any) -> Any:
    """Everything a codemod reads: types, values, anchors, flow style and where keys and items are.
    Not compared: where an empty value starts, and the fold positions of `>` scalars (dumping only)."""
    if isinstance(node, CommentedMap):
        where = {
            key: tuple(spot if node[key] is not None else spot[:2])
            for key, spot in (node.lc.data or {}).items()
        }
        items = [(shape(key), shape(value)) for key, value in node.items()]
        return ("map", node.lc.line, node.lc.col, where, node.fa.flow_style(), items)
    if isinstance(node, CommentedSeq):
        where = {index: tuple(spot) for index, spot in (node.lc.data or {}).items()}
        items = [shape(value) for value in node]
        return ("seq", node.lc.line, node.lc.col, where, node.fa.flow_style(), items)
    if isinstance(node, dict):
        return ("dict", [(shape(key), shape(value)) for key, value in node.items()])
    if isinstance(node, list):
        return ("list", [shape(value) for value in node])
    anchor = getattr(node, "anchor", None)
    return (type(node).__name__, repr(node), getattr(anchor, "value", None))


def ruamel(round_trip: bool) -> YAML:
    """ruamel's own loader, as the codemods configure it."""
    return _yaml(Layout()) if round_trip else YAML(typ="safe")


def texts() -> list[tuple[str, str]]:
    return [(str(path.relative_to(ROOT)), path.read_text()) for path in SAMPLE_FILES] + list(
        CASES.items()
    )


@pytest.mark.parametrize(("name", "text"), texts())
def test_loads_what_ruamel_loads(name: str, text: str) -> None:
    for round_trip in (True, False):
        try:
            expected = list(ruamel(round_trip).load_all(text))
        except YAMLError:  # a Helm template: the error is compared below
            with pytest.raises(YAMLError):
                _fastyaml.load_all(text, round_trip=round_trip)
            continue
        assert shape(_fastyaml.load_all(text, round_trip=round_trip)) == shape(expected), name


@pytest.mark.parametrize("text", ERRORS.values(), ids=ERRORS.keys())
def test_errors_are_ruamels(text: str) -> None:
    for round_trip in (True, False):
        with pytest.raises(YAMLError) as expected:
            list(ruamel(round_trip).load_all(text))
        with pytest.raises(type(expected.value)) as found:
            _fastyaml.load_all(text, round_trip=round_trip)
        assert str(found.value) == str(expected.value)


def test_load_takes_one_document() -> None:
    assert _fastyaml.load("a: 1\n", round_trip=False) == {"a": 1}
    assert _fastyaml.load("", round_trip=True) is None
    with pytest.raises(YAMLError, match="expected a single document"):
        _fastyaml.load("a: 1\n---\nb: 2\n", round_trip=False)


@pytest.mark.parametrize("round_trip", [True, False])
def test_each_caller_gets_its_own_copy(round_trip: bool) -> None:
    text = "a:\n  b: [1, 2]\n  c: 'x'\n"
    first = _fastyaml.load(text, round_trip=round_trip)
    expected = shape(first)
    first["a"]["b"].append(3)
    first["a"]["d"] = 4
    again = _fastyaml.load(text, round_trip=round_trip)
    assert again is not first
    assert shape(again) == expected


@pytest.mark.parametrize(("name", "text"), texts())
def test_read_views_what_load_returns(name: str, text: str) -> None:
    for round_trip in (True, False):
        try:
            expected = shape(_fastyaml.load(text, round_trip=round_trip))
        except YAMLError:
            with pytest.raises(YAMLError):
                _fastyaml.read(text, shape, round_trip=round_trip)
            continue
        assert _fastyaml.read(text, shape, round_trip=round_trip) == expected, name


def test_aliases_stay_shared_in_a_safe_copy() -> None:
    loaded = _fastyaml.load("a: &x [1]\nb: *x\n", round_trip=False)
    assert loaded["a"] is loaded["b"]
