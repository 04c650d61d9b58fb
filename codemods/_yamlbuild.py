"""Build ruamel.yaml's data straight from libyaml's events, for the plain shapes most files have.

codemods/_fastyaml.py composes libyaml's events into ruamel nodes and lets ruamel's constructor
(pure Python, generators, a dict lookup per node) build the data: most of a parse's time. For
mappings, sequences and scalars without anchors, aliases, tags, merge keys, duplicate keys or
non-scalar keys, this builds the same objects in one pass: the same classes, line/column info
and flow style, each scalar from ruamel's own constructor for its tag except the strings and
nulls that make up most files (tests/codemods/yamlbuild_test.py compares the two paths).
Anything else returns None and takes the composer's path.
"""

from __future__ import annotations

import types
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")  # `<<` and `=`

# A scalar's tag depends on its text and quoting only (the loaders here are ruamel's defaults,
# YAML 1.2; directives are not built here): resolved once per process, for every parse. Plain
# dicts are safe to share between threads; a bounded number of texts are kept.
_TAGS: dict[bool, dict[tuple[str, Any], tuple[Any, str]]] = {True: {}, False: {}}
_TAGS_KEPT = 20_000


class _Unsupported(Exception):
    pass


def build_all(yaml: Any, parser: Any, events: Any, round_trip: bool) -> list[Any] | None:
    """Every document's data from `parser` (libyaml's), as `yaml`'s constructor would build it,
    or None when the stream has something only that constructor handles."""
    try:
        return _Builder(yaml, parser, events, round_trip).documents()
    except _Unsupported:
        return None


class _Builder:
    def __init__(self, yaml: Any, parser: Any, events: Any, round_trip: bool):
        self._next = parser.get_event
        self._events = events  # PyYAML's event classes
        self._resolver = yaml.resolver
        self._constructor = yaml.constructor
        self._round_trip = round_trip
        self._quotes = round_trip and bool(self._constructor._preserve_quotes)
        self._tags = _TAGS[round_trip]

    def documents(self) -> list[Any]:
        events = self._events
        self._next()  # stream start
        found = []
        while not isinstance(event := self._next(), events.StreamEndEvent):
            if event.version is not None or event.tags:  # %YAML / %TAG directives
                raise _Unsupported
            found.append(self._value(self._next()))
            self._next()  # document end
        return found

    def _value(self, event: Any) -> Any:
        if event.anchor is not None or event.tag is not None:
            raise _Unsupported
        kind = type(event)
        events = self._events
        if kind is events.ScalarEvent:
            return self._scalar(event)
        if kind is events.MappingStartEvent:
            return self._mapping(event) if self._round_trip else self._dict()
        if kind is events.SequenceStartEvent:
            return self._sequence(event) if self._round_trip else self._list()
        raise _Unsupported  # an alias

    def _tag(self, event: Any) -> tuple[Any, str]:
        key = (event.value, event.implicit)
        found = self._tags.get(key)
        if found is None:
            tag = self._resolver.resolve(ScalarNode, event.value, event.implicit)
            found = (tag, str(ScalarNode(tag, "").tag))
            if len(self._tags) < _TAGS_KEPT:
                self._tags[key] = found
        return found

    def _scalar(self, event: Any, resolved: tuple[Any, str] | None = None) -> Any:
        tag, name = resolved or self._tag(event)
        style = event.style
        if name == _STR and (style in ("", None) or not self._round_trip):
            return event.value  # the safe constructor keeps no style
        if name == _NULL:
            return None
        if self._quotes and name == _STR:
            if style == "'":
                return SingleQuotedScalarString(event.value, anchor=None)
            if style == '"':
                return DoubleQuotedScalarString(event.value, anchor=None)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style)
        value = self._constructor.construct_non_recursive_object(node)
        if isinstance(value, types.GeneratorType):
            raise _Unsupported
        return value

    def _key(self, event: Any) -> Any:
        if type(event) is not self._events.ScalarEvent or event.anchor is not None:
            raise _Unsupported  # complex keys, aliases
        resolved = self._tag(event)
        if event.tag is not None or resolved[1] in _SPECIAL_KEYS:
            raise _Unsupported
        return self._scalar(event, resolved)

    def _mapping(self, start: Any) -> CommentedMap:
        data = CommentedMap()
        data._yaml_set_line_col(start.start_mark.line, start.start_mark.column)
        end = self._events.MappingEndEvent
        while not isinstance(key_event := self._next(), end):
            key = self._key(key_event)
            value_event = self._next()
            value = self._value(value_event)
            if key in data:
                raise _Unsupported  # ruamel's duplicate key error
            key_mark, value_mark = key_event.start_mark, value_event.start_mark
            data._yaml_set_kv_line_col(
                key, [key_mark.line, key_mark.column, value_mark.line, value_mark.column]
            )
            data[key] = value
        _style(data, start.flow_style)
        return data

    def _sequence(self, start: Any) -> CommentedSeq:
        data = CommentedSeq()
        data._yaml_set_line_col(start.start_mark.line, start.start_mark.column)
        items = []
        end = self._events.SequenceEndEvent
        while not isinstance(event := self._next(), end):
            items.append(self._value(event))
            data._yaml_set_idx_line_col(
                len(items) - 1, [event.start_mark.line, event.start_mark.column]
            )
        data.extend(items)
        _style(data, start.flow_style)
        return data

    def _dict(self) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        end = self._events.MappingEndEvent
        while not isinstance(key_event := self._next(), end):
            key = self._key(key_event)
            value = self._value(self._next())
            if key in data:
                raise _Unsupported
            data[key] = value
        return data

    def _list(self) -> list[Any]:
        items = []
        end = self._events.SequenceEndEvent
        while not isinstance(event := self._next(), end):
            items.append(self._value(event))
        return items


def _style(data: CommentedMap | CommentedSeq, flow_style: bool | None) -> None:
    """ruamel's set_collection_style."""
    if len(data) == 0:
        return
    if flow_style is True:
        data.fa.set_flow_style()
    elif flow_style is False:
        data.fa.set_block_style()
