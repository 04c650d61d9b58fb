"""Load YAML with libyaml's C parser, into the same objects ruamel.yaml builds.

ruamel.yaml's scanner and parser are pure Python (ruamel.yaml.clib is optional) and were most of
the codemods' CPU time. PyYAML (a libcst dependency) ships libyaml; its event stream is turned
into ruamel events and fed to the ruamel composer, resolver (YAML 1.2) and constructor of the
YAML instance given, so the data, types, quotes and line/column info are ruamel's. Only comments
are missing: a caller that dumps what it loaded again must use ruamel's own parser.

Whatever the translation does not cover (tags, directives) and any error take ruamel's own path,
so an error message is ruamel's word for word. Without libyaml everything takes that path.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML, events
from ruamel.yaml.error import YAMLError

try:
    import yaml as _pyyaml  # type: ignore[import-untyped]
    from yaml.cyaml import CParser as _CParser  # type: ignore[import-untyped]
except ImportError:  # no PyYAML, or PyYAML built without libyaml: ruamel's parser only
    _CParser = None


def load_all(yaml: YAML, text: str) -> list[Any]:
    """Every document of `text`, as `yaml.load_all` returns them (without comments)."""
    converted = (
        _events(text) if "\t" not in text else None
    )  # ruamel refuses some TABs libyaml takes
    if converted is not None:
        try:
            return _construct(yaml, converted)
        except YAMLError:
            pass  # ruamel's own parser raises it again, with its own message
    return list(yaml.load_all(text))


def load(yaml: YAML, text: str) -> Any:
    """The single document of `text`, as `yaml.load` returns it (without comments)."""
    found = load_all(yaml, text)
    if len(found) > 1:
        return yaml.load(text)  # ruamel's error for a second document
    return found[0] if found else None


def _construct(yaml: YAML, converted: list[Any]) -> list[Any]:
    # the composer asks the YAML instance for its parser: an event list takes the parser's place
    yaml._parser = _Events(converted)  # type: ignore[attr-defined]
    try:
        constructor = yaml.constructor
        found = []
        while constructor.check_data():
            found.append(constructor.get_data())
        return found
    finally:  # the instance parses text again afterwards (ruamel's own path after an error)
        for attribute in ("_parser", "_composer", "_constructor"):
            vars(yaml).pop(attribute, None)


class _Events:
    """The three calls ruamel's composer makes on a parser, over a list of events."""

    def __init__(self, converted: list[Any]):
        self._events = converted
        self._next = 0

    def check_event(self, *choices: Any) -> bool:
        if self._next >= len(self._events):
            return False
        return not choices or isinstance(self._events[self._next], choices)

    def peek_event(self) -> Any:
        return self._events[self._next]

    def get_event(self) -> Any:
        event = self._events[self._next]
        self._next += 1
        return event

    def dispose(self) -> None:
        pass


def _events(text: str) -> list[Any] | None:
    """ruamel events for `text`, or None: no libyaml, a parse error, or something not translated."""
    if _CParser is None:
        return None
    parser = _CParser(text)
    converted: list[Any] = []
    try:
        while (event := parser.get_event()) is not None:
            ruamel_event = _convert(event)
            if ruamel_event is None:
                return None
            converted.append(ruamel_event)
    except _pyyaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return converted


def _convert(event: Any) -> Any:
    start, end = event.start_mark, event.end_mark
    kind = type(event)
    if kind is _pyyaml.ScalarEvent:
        if event.tag is not None:
            return None
        return events.ScalarEvent(
            event.anchor, None, event.implicit, event.value, start, end, style=event.style
        )
    if kind is _pyyaml.MappingStartEvent or kind is _pyyaml.SequenceStartEvent:
        if event.tag is not None:
            return None
        ruamel_kind = (
            events.MappingStartEvent
            if kind is _pyyaml.MappingStartEvent
            else events.SequenceStartEvent
        )
        return ruamel_kind(
            event.anchor, None, event.implicit, start, end, flow_style=event.flow_style
        )
    if kind is _pyyaml.MappingEndEvent:
        return events.MappingEndEvent(start, end)
    if kind is _pyyaml.SequenceEndEvent:
        return events.SequenceEndEvent(start, end)
    if kind is _pyyaml.AliasEvent:
        return events.AliasEvent(event.anchor, start, end)
    if kind is _pyyaml.DocumentStartEvent:
        if event.version is not None or event.tags:
            return None
        return events.DocumentStartEvent(start, end, explicit=event.explicit)
    if kind is _pyyaml.DocumentEndEvent:
        return events.DocumentEndEvent(start, end, explicit=event.explicit)
    if kind is _pyyaml.StreamStartEvent:
        return events.StreamStartEvent(start, end, encoding=event.encoding)
    if kind is _pyyaml.StreamEndEvent:
        return events.StreamEndEvent(start, end)
    return None
