"""Grafana Alloy configurations must still load: the structural checks `alloy run` would fail on.

No Alloy binary can be installed here (tooling.md §1), so this reads the configuration with the
codemods' own parser (codemods/alloy/_syntax.py) and checks:
- the syntax: braces and brackets balance, a newline after every attribute and block;
- component labels are unique (two `loki.write "default"` blocks do not load);
- every reference in a `forward_to` attribute or an `output` block names a component that exists;
- no two listeners share a port: each of faro.receiver, pyroscope.receive_http, loki.source.api,
  prometheus.receive_http and otelcol.receiver.otlp opens its own server, and a second bind of a
  port fails with EADDRINUSE (observability.md §2.4); Alloy's own HTTP server holds 12345.
Alloy strings inside YAML (Helm values `alloy.configMap.content`) are checked the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from bot.checks import CheckResult, register_file_check, yaml_documents
from codemods.alloy import _syntax

ALLOY_SERVER_PORT = 12345  # Alloy's own HTTP server (chart alloy.listenPort, the CLI default)
_WILDCARD = {"", "0.0.0.0", "::", "[::]"}
# component -> (block holding the listener, address attribute, port attribute, default address, default port)
_SERVERS = {
    "faro.receiver": ("server", "listen_address", "listen_port", "127.0.0.1", 12347),
    "pyroscope.receive_http": ("http", "listen_address", "listen_port", "", 8080),
    "loki.source.api": ("http", "listen_address", "listen_port", "", 8080),
    "prometheus.receive_http": ("http", "listen_address", "listen_port", "", 8080),
}
_OTLP_DEFAULTS = {"grpc": "0.0.0.0:4317", "http": "0.0.0.0:4318"}


class Listener(NamedTuple):
    owner: str  # 'faro.receiver.browser'
    address: str
    port: int

    def __str__(self) -> str:
        return f"{self.owner} {self.address or '0.0.0.0'}:{self.port}"


def problems(config: str) -> tuple[list[str], list[Listener]]:
    """What would stop this configuration from loading, and the listeners it opens."""
    try:
        blocks = _syntax.top_blocks(config)
    except _syntax.AlloySyntaxError as exc:
        return [f"syntax: {exc}"], []
    found = _duplicates(blocks) + _unresolved(blocks)
    listeners, unknown = _listeners(blocks)
    return found + unknown + _clashes(listeners), listeners


def _duplicates(blocks: list[_syntax.Block]) -> list[str]:
    seen: dict[str, int] = {}
    found = []
    for block in blocks:
        if block.id in seen:
            found.append(f"{block.id} is defined twice (lines {seen[block.id]} and {block.line})")
        seen.setdefault(block.id, block.line)
    return found


def _unresolved(blocks: list[_syntax.Block]) -> list[str]:
    components = {block.id for block in blocks if block.label is not None}
    found = []
    for block in blocks:
        for attribute, line in _wiring(block):
            for reference in attribute.references():
                if not any(
                    reference.startswith(f"{c}.") and len(reference) > len(c) + 1
                    for c in components
                ):
                    found.append(
                        f"{block.id}: {attribute.name} on line {line} refers to {reference}, which is not defined"
                    )
    return found


def _wiring(block: _syntax.Block) -> Iterator[tuple[_syntax.Attribute, int]]:
    for inner in block.walk():
        for item in inner.body:
            if isinstance(item, _syntax.Attribute) and (
                item.name == "forward_to" or inner.name == "output"
            ):
                yield item, item.line


def _listeners(blocks: list[_syntax.Block]) -> tuple[list[Listener], list[str]]:
    listeners: list[Listener] = []
    unknown: list[str] = []
    for block in blocks:
        if block.name in _SERVERS:
            inner, address_key, port_key, address, port = _SERVERS[block.name]
            server = next(iter(block.blocks(inner)), None)
            if server is not None:
                address = _literal(server, address_key, address)
                port = _literal(server, port_key, port)
            if isinstance(port, int) and isinstance(address, str):
                listeners.append(Listener(block.id, address, port))
            else:
                unknown.append(
                    f"{block.id}: the listen address or port is not a literal; cannot check it"
                )
        elif block.name == "otelcol.receiver.otlp":
            for protocol, default in _OTLP_DEFAULTS.items():
                for server in block.blocks(protocol):
                    endpoint = str(_literal(server, "endpoint", default))
                    host, _, port_text = endpoint.rpartition(":")
                    if port_text.isdigit():
                        listeners.append(Listener(f"{block.id} ({protocol})", host, int(port_text)))
    return listeners, unknown


def _literal(block: _syntax.Block, name: str, default: Any) -> Any:
    attribute = block.attribute(name)
    return default if attribute is None else attribute.literal()


def _clashes(listeners: list[Listener]) -> list[str]:
    found = []
    server = Listener("Alloy's own HTTP server", "", ALLOY_SERVER_PORT)
    for index, listener in enumerate(listeners):
        for other in [server, *listeners[:index]]:
            overlap = (
                listener.address in _WILDCARD
                or other.address in _WILDCARD
                or listener.address == other.address
            )
            if listener.port == other.port and overlap:
                found.append(
                    f"port clash: {listener} and {other} (the second bind fails with EADDRINUSE)"
                )
    return found


def check_alloy(path: str, text: str) -> CheckResult:
    return _result(path, text)


def _result(target: str, config: str) -> CheckResult:
    found, listeners = problems(config)
    if found:
        return CheckResult("alloy", target, "failed", "; ".join(found))
    ports = ", ".join(str(listener) for listener in listeners) or "none"
    return CheckResult("alloy", target, "passed", f"components resolve; listeners: {ports}")


def check_embedded(path: str, text: str) -> CheckResult | None:
    """Alloy configurations inside YAML: strings at `alloy.configMap.content`."""
    documents = yaml_documents.documents(text)
    if documents is None:
        return None  # the YAML check reports it
    configs = [(where, config) for doc in documents for where, config in _embedded(doc, ())]
    if not configs:
        return None
    results = [_result(f"{path} ({where})", config) for where, config in configs]
    failed = [r for r in results if r.status == "failed"]
    if failed:
        return CheckResult(
            "alloy", path, "failed", "; ".join(f"{r.target}: {r.detail}" for r in failed)
        )
    return CheckResult(
        "alloy", path, "passed", "; ".join(f"{r.target}: {r.detail}" for r in results)
    )


def _embedded(node: Any, where: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            inner = (*where, str(key))
            if inner[-3:] == ("alloy", "configMap", "content") and isinstance(value, str):
                yield ".".join(inner), value
            else:
                yield from _embedded(value, inner)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _embedded(item, (*where, str(index)))


register_file_check((".alloy",), check_alloy)
register_file_check((".yaml", ".yml"), check_embedded)
