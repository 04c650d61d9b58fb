"""Data files (JSON, TOML, plain YAML) must still load after an edit."""

from __future__ import annotations

import json
import re
import tomllib

from ruamel.yaml.error import YAMLError

from bot.checks import CheckResult, register_file_check
from codemods import _fastyaml  # libyaml's parser into ruamel's objects

# Helm templates are Go templates, not YAML: `helm template` checks them (bot/checks/helm.py).
_HELM_TEMPLATE = re.compile(r"(^|/)templates/")


def check_json(path: str, text: str) -> CheckResult:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return CheckResult(
            "json", path, "failed", f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        )
    return CheckResult("json", path, "passed")


def check_toml(path: str, text: str) -> CheckResult:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return CheckResult("toml", path, "failed", str(exc))
    return CheckResult("toml", path, "passed")


def check_yaml(path: str, text: str) -> CheckResult | None:
    if _HELM_TEMPLATE.search(path):
        return None
    try:
        _fastyaml.load_all(text, round_trip=False)  # errors: ruamel's own words
    except YAMLError as exc:
        return CheckResult("yaml", path, "failed", str(exc).replace("\n", " "))
    return CheckResult("yaml", path, "passed")


register_file_check((".json",), check_json)
register_file_check((".toml",), check_toml)
register_file_check((".yaml", ".yml"), check_yaml)
