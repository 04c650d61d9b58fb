"""Grafana Alloy configuration codemods (our own parser: codemods/alloy/_syntax.py), keyed by name."""

from codemods.alloy import add_component

CODEMODS = {"add_component": add_component}
