"""Just enough of the protobuf wire format to read what the SDKs send: Pyroscope's PushRequest
(push/v1/push.proto) and pprof profiles (google/v1/profile.proto), by field number."""

from __future__ import annotations

import gzip
from collections import defaultdict

VARINT, I64, LEN, I32 = 0, 1, 2, 5


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def fields(data: bytes) -> dict[int, list[int | bytes]]:
    """Field number -> values (ints for varints and fixed, bytes for length-delimited)."""
    found: dict[int, list[int | bytes]] = defaultdict(list)
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, pos = _varint(data, pos)
        elif wire == LEN:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire == I64:
            value, pos = int.from_bytes(data[pos : pos + 8], "little"), pos + 8
        elif wire == I32:
            value, pos = int.from_bytes(data[pos : pos + 4], "little"), pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        found[number].append(value)
    return found


def packed(values: list[int | bytes]) -> list[int]:
    """A repeated varint field: packed (one bytes value) or not (ints)."""
    out: list[int] = []
    for value in values:
        if isinstance(value, int):
            out.append(value)
            continue
        pos = 0
        while pos < len(value):
            number, pos = _varint(value, pos)
            out.append(number)
    return out


def gunzip(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def push_request(body: bytes) -> list[tuple[dict[str, str], list[bytes]]]:
    """PushRequest -> [(labels, [raw pprof, ...]) per series]."""
    series = []
    for raw_series in fields(body)[1]:
        parts = fields(raw_series)  # type: ignore[arg-type]
        labels = {}
        for pair in parts[1]:
            pair_fields = fields(pair)  # type: ignore[arg-type]
            labels[pair_fields[1][0].decode()] = pair_fields[2][0].decode()  # type: ignore[union-attr]
        samples = [fields(sample)[1][0] for sample in parts[2]]  # type: ignore[arg-type]
        series.append((labels, samples))  # type: ignore[arg-type]
    return series


def pprof(
    data: bytes,
) -> tuple[list[tuple[str, str]], tuple[str, str], dict[tuple[str, ...], list[int]]]:
    """A pprof Profile -> (sample types [(type, unit)], period type, {stack root-first: values})."""
    profile = fields(gunzip(data))
    strings = [s.decode() for s in profile[6]]  # type: ignore[union-attr]

    def value_type(raw: bytes) -> tuple[str, str]:
        parts = fields(raw)
        return strings[parts[1][0] if parts[1] else 0], strings[parts[2][0] if parts[2] else 0]  # type: ignore[index]

    functions = {}
    for raw in profile[5]:
        parts = fields(raw)  # type: ignore[arg-type]
        functions[parts[1][0]] = strings[parts[2][0] if parts[2] else 0]  # type: ignore[index]
    locations = {}
    for raw in profile[4]:
        parts = fields(raw)  # type: ignore[arg-type]
        names = [functions.get(fields(line)[1][0], "?") for line in parts[4] if fields(line)[1]]  # type: ignore[arg-type]
        locations[parts[1][0]] = names or ["?"]
    stacks: dict[tuple[str, ...], list[int]] = {}
    for raw in profile[2]:
        parts = fields(raw)  # type: ignore[arg-type]
        frames = [name for loc in packed(parts[1]) for name in reversed(locations.get(loc, ["?"]))]
        stack = tuple(reversed(frames))  # pprof lists the leaf first
        values = packed(parts[2])
        old = stacks.get(stack, [0] * len(values))
        stacks[stack] = [a + b for a, b in zip(old, values, strict=False)]
    types = [value_type(raw) for raw in profile[1]]  # type: ignore[arg-type]
    period = value_type(profile[11][0]) if profile[11] else ("", "")  # type: ignore[arg-type]
    return types, period, stacks
