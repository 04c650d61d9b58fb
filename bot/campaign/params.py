"""Check a recipe's mapping against a NamedTuple of parameters: unknown, missing and mistyped keys."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, NamedTuple, Union


def check(params_type: type, values: Any) -> tuple[NamedTuple | None, list[tuple[str, str]]]:
    """Build params_type(**values), or return (None, [(key, problem), ...]) naming every problem."""
    if not isinstance(values, dict):
        return None, [("", f"expected a mapping of parameters, got {_describe(values)}")]
    hints = typing.get_type_hints(params_type)
    problems = [
        (key, f"unexpected key {key!r} (expected: {', '.join(hints)})")
        for key in values
        if key not in hints
    ]
    for name in hints:
        if name not in values and name not in getattr(params_type, "_field_defaults", {}):
            problems.append((name, "missing required parameter"))
        elif name in values and (problem := type_problem(values[name], hints[name])):
            problems.append((name, problem))
    if problems:
        return None, problems
    return params_type(**values), []


def type_problem(value: Any, expected: Any) -> str | None:
    """None when value fits the annotation, else what is wrong."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if expected is Any:
        return None
    if origin in (Union, types.UnionType):
        problems = [type_problem(value, option) for option in args]
        if all(problems):
            concrete = [
                p for option, p in zip(args, problems, strict=True) if option is not type(None)
            ]
            # Optional[X]: X's own message is the useful one ("tags.a: expected a string ...")
            return (
                concrete[0]
                if len(concrete) == 1
                else f"expected {_name(expected)}, got {_describe(value)}"
            )
        return None
    if origin is Literal:
        return (
            None
            if value in args
            else f"expected one of {', '.join(map(repr, args))}, got {value!r}"
        )
    if origin in (list, tuple):
        if not isinstance(value, list):
            return f"expected a list, got {_describe(value)}"
        inner = args[0] if args else Any
        return next(
            (f"[{i}]: {p}" for i, item in enumerate(value) if (p := type_problem(item, inner))),
            None,
        )
    if origin is dict:
        if not isinstance(value, dict):
            return f"expected a mapping, got {_describe(value)}"
        key_type, value_type = args or (Any, Any)
        for key, item in value.items():
            if problem := type_problem(key, key_type) or type_problem(item, value_type):
                return f"{key}: {problem}"
        return None
    if expected is type(None):
        return None if value is None else f"expected null, got {_describe(value)}"
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return None
    if isinstance(expected, type) and not (
        isinstance(value, expected) and (expected is bool or not isinstance(value, bool))
    ):
        hint = " (quote it)" if expected is str and isinstance(value, (int, float)) else ""
        return f"expected {_name(expected)}, got {_describe(value)}{hint}"
    return None


def _name(expected: Any) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        type(None): "null",
    }
    if typing.get_origin(expected) in (Union, types.UnionType):
        return " or ".join(_name(option) for option in typing.get_args(expected))
    if typing.get_origin(expected) in (list, tuple):
        return "a list"
    if typing.get_origin(expected) is dict:
        return "a mapping"
    return names.get(expected, getattr(expected, "__name__", str(expected)))


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"{type(value).__name__} {value!r}"
