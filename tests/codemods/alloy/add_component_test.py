import pytest

from codemods.alloy import _syntax, add_component
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

CONFIG = """\
// Phase 1
logging {
  level = "info"
}

loki.write "default" {
  endpoint {
    url = "http://loki:3100/loki/api/v1/push"
  }
}

otelcol.exporter.otlp "tempo" {
  client {
    endpoint = "tempo:4317"
  }
}
"""

WRITE = {
    "component": "pyroscope.write",
    "label": "default",
    "body": 'endpoint {\n  url = "http://pyroscope:4040"\n}\n',
    "comment": "Profiles -> Pyroscope",
}


def test_adds_a_block_at_the_end_with_a_comment():
    assert_codemod(add_component, WRITE, path="config.alloy", before=CONFIG, after=CONFIG + """
// Profiles -> Pyroscope
pyroscope.write "default" {
  endpoint {
    url = "http://pyroscope:4040"
  }
}
""")  # fmt: skip


def test_adds_after_a_named_component_and_keeps_the_rest():
    params = {**WRITE, "after": "loki.write.default", "comment": ""}
    result = assert_codemod(add_component, params, path="config.alloy", before=CONFIG, after=CONFIG.replace(
        '  }\n}\n\notelcol', '  }\n}\n\npyroscope.write "default" {\n  endpoint {\n    url = "http://pyroscope:4040"\n  }\n}\n\notelcol'
    ))  # fmt: skip
    assert [b.id for b in _syntax.top_blocks(result)] == [
        "logging", "loki.write.default", "pyroscope.write.default", "otelcol.exporter.otlp.tempo",
    ]  # fmt: skip


def test_same_name_and_label_is_left_alone():
    text = (
        CONFIG
        + '\npyroscope.write "default" {\n  endpoint {\n    url = "http://elsewhere:4040"\n  }\n}\n'
    )
    assert_unchanged(add_component, WRITE, path="config.alloy", text=text)


def test_follows_tab_indentation():
    before = 'logging {\n\tlevel = "info"\n}\n'
    assert_codemod(add_component, {**WRITE, "comment": ""}, path="config.alloy", before=before,
                   after=before + '\npyroscope.write "default" {\n\tendpoint {\n\t\turl = "http://pyroscope:4040"\n\t}\n}\n')  # fmt: skip


def test_alloy_inside_helm_values():
    before = """\
alloy:
  configMap:
    content: |
      logging {
        level = "info"
      }
  extraPorts: []
"""
    after = """\
alloy:
  configMap:
    content: |
      logging {
        level = "info"
      }

      pyroscope.write "default" {
        endpoint {
          url = "http://pyroscope:4040"
        }
      }
  extraPorts: []
"""
    params = {**WRITE, "comment": "", "path": ["alloy", "configMap", "content"]}
    assert_codemod(add_component, params, path="values.yaml", before=before, after=after)


@pytest.mark.parametrize(
    ("params", "text", "message"),
    [
        ({**WRITE, "body": "endpoint {\n"}, CONFIG, "does not parse"),
        ({**WRITE, "after": "loki.write.other"}, CONFIG, "no component loki.write.other"),
        (WRITE, "logging {\n", "does not parse"),
    ],
)
def test_refuses_what_it_cannot_do_safely(params, text, message):
    assert_codemod_error(
        add_component, params, path="config.alloy", text=text, match=message, dedent=False
    )


def test_yaml_needs_the_location_of_the_configuration():
    assert_codemod_error(
        add_component, WRITE, path="values.yaml", text="alloy: {}\n", match="needs `path`"
    )
