"""bot/checks/kubernetes.py: objects it cannot check are named once per reason, not once per object."""

from __future__ import annotations

from bot.checks.kubernetes import check_manifests

WIDGETS = """\
apiVersion: example.com/v1
kind: Widget
metadata: {name: a}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: b}
---
apiVersion: example.com/v2
kind: Gadget
metadata: {name: c}
"""


def test_unchecked_objects_are_grouped_by_reason():
    [result] = check_manifests({"deploy/widgets.yaml": WIDGETS})
    assert result.status == "skipped"
    assert result.detail == (
        "Widget a, Widget b: no schema for example.com/v1 Widget; "
        "Gadget c: no schema for example.com/v2 Gadget"
    )
