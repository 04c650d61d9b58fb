"""Load YAML with libyaml's C parser, into the same objects ruamel.yaml builds.

ruamel.yaml's scanner, parser and composer are pure Python (ruamel.yaml.clib is optional) and
were most of the codemods' CPU time. PyYAML (a libcst dependency) ships libyaml; its events are
composed here into ruamel nodes, tagged by ruamel's resolver (YAML 1.2), and built by
ruamel's constructor, so the data, types, quotes and line/column info are ruamel's.
Not carried over: comments, the fold positions of `>` scalars and where an empty value starts,
which no codemod reads; a caller that dumps what it loaded again must use ruamel's own parser.

Whatever this does not cover (tags, directives, reused anchors, TABs, which libyaml takes in
places where ruamel does not) and any error take ruamel's own path, so an error message is
ruamel's word for word. Without libyaml everything takes that path.

Several steps of a change set parse the same file, and a planner the same repository once per
environment: each text is parsed once (a small LRU keyed by the text) and every caller gets its
own deep copy, so the codemods stay pure.
"""

from __future__ import annotations

import copy
import datetime
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from ruamel.yaml import YAML, comments
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from codemods import _yamlbuild

_T = TypeVar("_T")

try:
    import yaml as _pyyaml  # type: ignore[import-untyped]
    from yaml.cyaml import CParser as _CParser  # type: ignore[import-untyped]
except ImportError:  # no PyYAML, or PyYAML built without libyaml: ruamel's parser only
    _CParser = None


def load_all(text: str, *, round_trip: bool) -> list[Any]:
    """Every document of `text`, as `YAML().load_all` (round-trip, quotes preserved) or
    `YAML(typ="safe").load_all` return them, without comments. Each text is parsed once; every
    caller gets its own copy, and may change it."""
    if not round_trip:
        documents = _parsed(text, round_trip=False)
        if "*" in text:  # aliases: deepcopy keeps what they share shared
            return copy.deepcopy(documents)
        return [_plain_copied(document) for document in documents]
    if "<<" in text:  # merge keys: a copy cannot tell merged keys from the map's own
        return _parse(text, round_trip=True)
    return [_copied(document) for document in _parsed(text, round_trip=True)]


def load(text: str, *, round_trip: bool) -> Any:
    """The single document of `text` (see load_all)."""
    found = load_all(text, round_trip=round_trip)
    if len(found) > 1:
        return _new_yaml(round_trip).load(text)  # ruamel's error for a second document
    return found[0] if found else None


def read_all(text: str, view: Callable[[list[Any]], _T], *, round_trip: bool) -> _T:
    """`view` of every document of `text` (see load_all), computed on the shared parse without a
    copy, for a caller that only reads them into data of its own (the verification of an edit)."""
    if round_trip and "<<" in text:
        return view(_parse(text, round_trip=True))
    return view(_parsed(text, round_trip))


def read(text: str, view: Callable[[Any], _T], *, round_trip: bool) -> _T:
    """`view` of the single document of `text` (see load and read_all)."""

    def single(found: list[Any]) -> _T:
        if len(found) > 1:
            return view(load(text, round_trip=round_trip))  # raises ruamel's error
        return view(found[0] if found else None)

    return read_all(text, single, round_trip=round_trip)


def _new_yaml(round_trip: bool) -> YAML:
    if not round_trip:
        return YAML(typ="safe")
    yaml = YAML()
    yaml.preserve_quotes = True
    return yaml


@functools.lru_cache(maxsize=512)
def _parsed(text: str, round_trip: bool) -> list[Any]:
    """Never handed out, only copies: several steps parse the same file, a planner the same
    repository once per environment."""
    return _parse(text, round_trip)


def _parse(text: str, round_trip: bool) -> list[Any]:
    yaml = _new_yaml(round_trip)
    built = _built(yaml, text, round_trip)
    if built is not None:
        return built
    nodes = _compose_all(yaml, text)
    if nodes is not None:
        try:
            return _construct(yaml, nodes)
        except YAMLError:
            pass  # ruamel's own parser raises it again, with its own message
    return list(_new_yaml(round_trip).load_all(text))


_IMMUTABLE = frozenset({str, int, float, bool, type(None), bytes, datetime.date, datetime.datetime})


def _plain_copied(value: Any) -> Any:
    """A deep copy of safe-loaded data without aliases: copy.deepcopy's memo is most of its time."""
    kind = type(value)
    if kind is dict:
        return {key: _plain_copied(item) for key, item in value.items()}
    if kind is list:
        return [_plain_copied(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)  # sets, ordered pairs and anything else


def _copied(value: Any) -> Any:
    """A deep copy of round-trip data without merge keys. ruamel's own deepcopy drops an empty
    list's line info, copies a list's attributes once per item, and is as slow as parsing."""
    if isinstance(value, (str, int, float)) or value is None:
        return value  # ruamel's scalars: immutable values (their format attributes are set once)
    if type(value) is CommentedMap:
        copied: Any = CommentedMap()
        for key, item in value.items():
            copied[key] = _copied(item)
    elif type(value) is CommentedSeq:
        copied = CommentedSeq([_copied(item) for item in list.__iter__(value)])  # not item by item
    else:
        return copy.deepcopy(value)
    for attribute, attached in vars(value).items():  # line info, flow style, anchor, ...
        setattr(copied, attribute, _attached_copy(attached))
    if hasattr(value, comments.comment_attrib):  # a slot: ruamel's own path keeps comments
        setattr(copied, comments.comment_attrib, copy.deepcopy(value.ca))
    return copied


def _attached_copy(attached: Any) -> Any:
    if type(attached) is comments.LineCol:
        copied = comments.LineCol()
        copied.line, copied.col = attached.line, attached.col
        copied.data = (
            None if attached.data is None else {k: list(v) for k, v in attached.data.items()}
        )
        return copied
    if type(attached) is comments.Format:
        copied_format = comments.Format()
        copied_format._flow_style = attached._flow_style
        return copied_format
    return copy.deepcopy(attached)


def _construct(yaml: YAML, nodes: list[Node]) -> list[Any]:
    constructor = yaml.constructor
    return [constructor.construct_document(node) for node in nodes]


def _libyaml_reads(yaml: YAML, text: str) -> bool:
    """libyaml is there, and reads `text` as this ruamel loader would."""
    return not (
        _CParser is None
        or "\t" in text
        or getattr(yaml, "max_depth", None)
        or yaml.resolver.yaml_path_resolvers
    )


def _built(yaml: YAML, text: str, round_trip: bool) -> list[Any] | None:
    """Each document's data built straight from libyaml's events (codemods/_yamlbuild.py), or
    None: no libyaml, or something for the composer's path."""
    if not _libyaml_reads(yaml, text):
        return None
    parser = _CParser(text)
    try:
        return _yamlbuild.build_all(yaml, parser, _pyyaml, round_trip)
    except (_pyyaml.YAMLError, YAMLError):
        return None  # the composer's path, then ruamel's, give ruamel's error
    finally:
        parser.dispose()


def _compose_all(yaml: YAML, text: str) -> list[Node] | None:
    """ruamel's node of each document, or None: no libyaml, or something for ruamel's own path."""
    if not _libyaml_reads(yaml, text):
        return None
    resolver = yaml.resolver
    parser = _CParser(text)
    try:
        return _Composer(parser, resolver).documents()
    except (_pyyaml.YAMLError, _NotComposed):
        return None
    finally:
        parser.dispose()


class _NotComposed(Exception):
    pass


class _Composer:
    """ruamel.yaml.composer.Composer over libyaml's events, without its per-event indirections."""

    def __init__(self, parser: Any, resolver: Any):
        self._next = parser.get_event
        self._resolver = resolver
        self._sequence_tag = resolver.resolve(SequenceNode, None, (True, False))
        self._mapping_tag = resolver.resolve(MappingNode, None, (True, False))
        self._scalar_tags: dict[tuple[str, Any], Any] = {}
        self._anchors: dict[str, Node] = {}

    def documents(self) -> list[Node]:
        event = self._next()  # stream start
        found = []
        while not isinstance(event := self._next(), _pyyaml.StreamEndEvent):
            if event.version is not None or event.tags:  # %YAML / %TAG directives
                raise _NotComposed
            self._anchors = {}
            found.append(self._node(self._next()))
            self._next()  # document end
        return found

    def _node(self, event: Any) -> Node:
        kind = type(event)
        if kind is _pyyaml.AliasEvent:
            if event.anchor not in self._anchors:
                raise _NotComposed  # ruamel's error message
            return self._anchors[event.anchor]
        if event.tag is not None or event.anchor in self._anchors:  # tags, reused anchors
            raise _NotComposed
        node: Node
        if kind is _pyyaml.ScalarEvent:
            key = (event.value, event.implicit)
            tag = self._scalar_tags.get(key)
            if tag is None:
                tag = self._scalar_tags[key] = self._resolver.resolve(
                    ScalarNode, event.value, event.implicit
                )
            node = ScalarNode(
                tag, event.value, event.start_mark, event.end_mark, event.style, None, event.anchor
            )
        elif kind is _pyyaml.SequenceStartEvent:
            items: list[Node] = []
            node = SequenceNode(
                self._sequence_tag,
                items,
                event.start_mark,
                None,
                event.flow_style,
                None,
                event.anchor,
            )
            self._remember(node)
            while not isinstance(item := self._next(), _pyyaml.SequenceEndEvent):
                items.append(self._node(item))
            node.end_mark = item.end_mark
        elif kind is _pyyaml.MappingStartEvent:
            pairs: list[tuple[Node, Node]] = []
            node = MappingNode(
                self._mapping_tag,
                pairs,
                event.start_mark,
                None,
                event.flow_style,
                None,
                event.anchor,
            )
            self._remember(node)
            while not isinstance(key_event := self._next(), _pyyaml.MappingEndEvent):
                pairs.append((self._node(key_event), self._node(self._next())))
            node.end_mark = key_event.end_mark
        else:
            raise _NotComposed
        self._remember(node)
        return node

    def _remember(self, node: Node) -> None:
        if node.anchor is not None:
            self._anchors[node.anchor] = node
