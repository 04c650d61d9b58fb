"""The Alloy tokenizer and structural parser (codemods/alloy/_syntax.py)."""

import pytest

from codemods.alloy import _syntax

CONFIG = """\
/* block comment with { braces } */
faro.receiver "browser" {
  extra_log_labels = {
    app_name = "",
    kind     = "",
  }
  server {
    listen_address = "0.0.0.0" // trailing comment {
    listen_port    = 12347
  }
  output {
    logs   = [loki.write.default.receiver]
    traces = [otelcol.exporter.otlp.tempo.input, otelcol.exporter.otlp.other.input]
  }
}

local.file "token" {
  filename = sys.env("TOKEN_FILE")
  raw      = `a "raw" } string`
}
"""


def test_blocks_attributes_and_offsets():
    blocks = _syntax.top_blocks(CONFIG)
    assert [(b.name, b.label, b.line) for b in blocks] == [
        ("faro.receiver", "browser", 2),
        ("local.file", "token", 17),
    ]
    faro = blocks[0]
    assert (
        CONFIG[faro.start : faro.end].startswith('faro.receiver "browser" {')
        and CONFIG[faro.end - 1] == "}"
    )
    server = faro.blocks("server")[0]
    assert server.attribute("listen_port").literal() == 12347
    assert server.attribute("listen_address").literal() == "0.0.0.0"
    assert faro.attribute("extra_log_labels").literal() is None  # an object, not a plain literal


def test_references_are_dotted_names_not_calls_or_keys():
    faro, local = _syntax.top_blocks(CONFIG)
    output = faro.blocks("output")[0]
    assert output.attribute("traces").references() == [
        "otelcol.exporter.otlp.tempo.input",
        "otelcol.exporter.otlp.other.input",
    ]
    assert faro.attribute("extra_log_labels").references() == []
    assert local.attribute("filename").references() == []
    assert local.attribute("raw").literal() == 'a "raw" } string'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a "x" {\n  b = 1\n', "line 2: unexpected end of file: a block is not closed"),
        ('a "x" {\n  b = [1, 2\n}\n', "unclosed bracket|unbalanced"),
        ("}\n", "line 1: '}' without an open block"),
        ('a "x" { b = 1 } c "y" {\n}\n', "expected a newline after '}'"),
        ("a = \n", "has no value"),
        ('a "x" "y" {\n}\n', "expected '=' or '{'"),
    ],
)
def test_syntax_errors_name_the_line(text, message):
    with pytest.raises(_syntax.AlloySyntaxError, match=message):
        _syntax.parse(text)


def test_attributes_are_aligned_like_alloy_fmt():
    assert _syntax.attributes([("url", '"x"'), ("tenant_id", '"y"')], "  ") == [
        '  url       = "x"',
        '  tenant_id = "y"',
    ]
