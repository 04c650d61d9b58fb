import pytest

from codemods.gitops import add_list_item
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

BUCKETS = """\
filer:
  s3:
    createBuckets:
      # test
      - name: dts-traces-test-blocks
        anonymousRead: false
      - name: dts-logs-test-chunks
        anonymousRead: false
      # prod
      - name: dts-traces-prod-blocks
        anonymousRead: false
"""
PROFILES_TEST = {
    "path": ["filer", "s3", "createBuckets"],
    "item": {"name": "dts-profiles-test-blocks", "anonymousRead": False},
    "after": "dts-*-test-*",
}


def test_inserts_after_the_environment_group_and_keeps_the_next_comment_in_place():
    assert_codemod(add_list_item, PROFILES_TEST, path="values/seaweedfs.yaml", before=BUCKETS, after="""\
filer:
  s3:
    createBuckets:
      # test
      - name: dts-traces-test-blocks
        anonymousRead: false
      - name: dts-logs-test-chunks
        anonymousRead: false
      - name: dts-profiles-test-blocks
        anonymousRead: false
      # prod
      - name: dts-traces-prod-blocks
        anonymousRead: false
""")  # fmt: skip


def test_appends_at_the_end_without_a_match():
    params = {
        **PROFILES_TEST,
        "item": {"name": "dts-profiles-prod-blocks", "anonymousRead": False},
        "after": "",
    }
    assert_codemod(add_list_item, params, path="v.yaml", before=BUCKETS,
                   after=BUCKETS + "      - name: dts-profiles-prod-blocks\n        anonymousRead: false\n")  # fmt: skip


def test_an_item_with_that_name_is_left_alone():
    assert_unchanged(
        add_list_item,
        {**PROFILES_TEST, "item": {"name": "dts-logs-test-chunks"}},
        path="v.yaml",
        text=BUCKETS,
    )


def test_scalar_items_in_a_kustomization():
    before = "resources:\n- apps/tempo.yaml\n- apps/loki.yaml\n"
    params = {
        "path": ["resources"],
        "item": "apps/pyroscope.yaml",
        "key": "",
        "after": "apps/tempo.yaml",
    }
    assert_codemod(add_list_item, params, path="kustomization.yaml", before=before,
                   after="resources:\n- apps/tempo.yaml\n- apps/pyroscope.yaml\n- apps/loki.yaml\n")  # fmt: skip


def test_list_inside_an_application_in_a_multi_document_file():
    before = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: alloy
spec:
  source:
    helm:
      valuesObject:
        alloy:
          extraPorts:
            - name: otlp-grpc
              port: 4317
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: grafana
spec: {}
"""
    params = {"document": "Application/alloy", "path": ["spec", "source", "helm", "valuesObject", "alloy", "extraPorts"],
              "item": {"name": "faro", "port": 12347}}  # fmt: skip
    after = before.replace(
        "              port: 4317\n",
        "              port: 4317\n            - name: faro\n              port: 12347\n",
    )
    assert_codemod(add_list_item, params, path="apps.yaml", before=before, after=after)


def test_list_inside_an_embedded_values_string():
    before = """\
spec:
  source:
    helm:
      values: |
        plugins:
          - a-app
        persistence:
          enabled: false
"""
    params = {
        "path": ["spec", "source", "helm", "values", "<yaml>", "plugins"],
        "item": "grafana-pyroscope-app",
        "key": "",
    }
    after = before.replace(
        "          - a-app\n", "          - a-app\n          - grafana-pyroscope-app\n"
    )
    assert_codemod(add_list_item, params, path="grafana.yaml", before=before, after=after)


def test_selects_list_items_by_field():
    before = """\
datasources:
  - uid: tempo
    tags:
      - a
  - uid: loki
    tags:
      - b
"""
    params = {"path": ["datasources", "[uid=loki]", "tags"], "item": "c", "key": ""}
    assert_codemod(
        add_list_item, params, path="ds.yaml", before=before, after=before + "      - c\n"
    )


@pytest.mark.parametrize(
    ("text", "params", "message"),
    [
        ("a: [x, y]\n", {"path": ["a"], "item": "z", "key": ""}, "flow style"),
        ("a:\n  b: 1\n", {"path": ["a", "c"], "item": "z", "key": ""}, "a.c not found"),
        ("a:\n  b: 1\n", {"path": ["a"], "item": "z", "key": ""}, "is not a list"),
        ("a: 1\n---\na: 2\n", {"path": ["a"], "item": "z", "key": ""}, "holds 2 documents"),
        ("a:\n  - b\n", {"path": ["a"], "item": {"other": 1}}, "has no 'name'"),
    ],
)
def test_clear_errors(text, params, message):
    assert_codemod_error(add_list_item, params, path="x.yaml", text=text, match=message)
