import pytest

from codemods.gitops import merge_values
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

GRAFANA = """\
datasources:
  datasources.yaml:
    datasources:
      - name: Tempo (dev)
        uid: tempo-dev
        jsonData:
          serviceMap:
            datasourceUid: mimir-dev
      - name: Loki (dev)
        uid: loki-dev

dashboards: {}
"""
LINK = {
    "path": ["datasources", "datasources.yaml", "datasources", "[uid=tempo-dev]"],
    "value": {
        "jsonData": {
            "tracesToProfiles": {
                "datasourceUid": "pyroscope-dev",
                "tags": [{"key": "service.name", "value": "service_name"}],
            }
        }
    },
}


def test_adds_a_nested_key_to_an_existing_mapping():
    assert_codemod(merge_values, LINK, path="values/grafana.yaml", before=GRAFANA, after=GRAFANA.replace(
        "            datasourceUid: mimir-dev\n",
        "            datasourceUid: mimir-dev\n          tracesToProfiles:\n            datasourceUid: pyroscope-dev\n"
        "            tags:\n              - key: service.name\n                value: service_name\n",
    ))  # fmt: skip


def test_creates_missing_parents():
    params = {
        "path": ["datasources", "datasources.yaml", "datasources", "[uid=loki-dev]"],
        "value": {"jsonData": {"maxLines": 1000}},
    }
    assert_codemod(merge_values, params, path="g.yaml", before=GRAFANA, after=GRAFANA.replace(
        "        uid: loki-dev\n", "        uid: loki-dev\n        jsonData:\n          maxLines: 1000\n"))  # fmt: skip


def test_equal_values_change_nothing():
    assert_unchanged(
        merge_values,
        {"path": [], "value": {"datasources": {"datasources.yaml": {}}}},
        path="g.yaml",
        text=GRAFANA,
    )


def test_multi_line_strings_become_literal_blocks_and_a_new_file_gets_its_header():
    params = {"path": [], "value": {"pyroscope": {"replicaCount": 1, "podSecurityContext": {"fsGroup": None}}, "json": "{\n  \"a\": 1\n}\n", "flag": "true"},
              "comment": "Grafana Pyroscope for ca7f8f-dev"}  # fmt: skip
    assert_codemod(merge_values, params, path="values/pyroscope.yaml", before="", after="""\
# Grafana Pyroscope for ca7f8f-dev
pyroscope:
  replicaCount: 1
  podSecurityContext:
    fsGroup: null
json: |
  {
    "a": 1
  }
flag: "true"
""")  # fmt: skip


def test_a_different_value_is_a_conflict():
    params = {
        "path": ["datasources", "datasources.yaml", "datasources", "[uid=tempo-dev]"],
        "value": {"name": "Tempo"},
    }
    assert_codemod_error(
        merge_values,
        params,
        path="g.yaml",
        text=GRAFANA,
        match="is 'Tempo \\(dev\\)', not 'Tempo'; change it by hand",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("dashboards: {}\n", "is empty"), ("a: {b: 1}\n", "flow style")],
)
def test_mappings_it_cannot_extend(text, message):
    path = ["dashboards"] if text.startswith("dashboards") else ["a"]
    assert_codemod_error(
        merge_values, {"path": path, "value": {"x": 1}}, path="v.yaml", text=text, match=message
    )
