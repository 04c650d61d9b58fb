"""codemods/helm/_yaml.py: load + dump keeps every values file we write byte-identical."""

from pathlib import Path

import pytest

from codemods import CodemodError
from codemods.helm import _yaml

ROOT = Path(__file__).resolve().parents[3]
VALUES = sorted(p for p in (ROOT / "samples").rglob("*.yaml") if p.name.startswith("values"))


def test_there_are_sample_values_files():
    assert len(VALUES) >= 8


@pytest.mark.parametrize("path", VALUES, ids=lambda p: str(p.relative_to(ROOT / "samples")))
def test_sample_values_round_trip_byte_identical(path):
    text = path.read_text()
    assert _yaml.roundtrip(str(path), text) == text


def test_quotes_nulls_document_start_and_long_lines_survive():
    text = (
        '---\nname: \'single\'\nother: "double"\nempty: ""\nvalue: null\n'
        "list:\n  - name: A\n    value: null       # inline comment\n"
        "long: "
        + "x" * 200
        + '\ntemplate: \'{{- printf "%s-%s" (include "common.names.fullname" .) "a" }}\'\n'
    )
    assert _yaml.roundtrip("values.yaml", text) == text


def test_flat_sequences_and_four_space_mappings_are_detected():
    text = "a:\n    b:\n        c: 1\nlist:\n- x\n- y\n"
    assert _yaml.detect_layout(text) == _yaml.Layout(mapping=4, offset=0, explicit_start=False)
    assert _yaml.roundtrip("values.yaml", text) == text


def test_what_a_dump_would_rewrite_so_set_value_splices_text_instead():
    # the real traction values.yaml writes empty maps on the next line and a bare `key:` for null
    text = (
        "ui:\n  podSecurityContext:\n    {}\n    # fsGroup: 2000\n  selector:\n    policy-group:\n"
    )
    assert _yaml.roundtrip("values.yaml", text) != text


def test_parse_errors_name_the_file():
    with pytest.raises(CodemodError, match=r"^values.yaml does not parse as YAML: "):
        _yaml.load("values.yaml", "a: [1\n")
