"""An edited YAML file is parsed once for the checks that read its documents."""

from __future__ import annotations

from bot.checks import check_files, yaml_documents

VALUES = """alloy:
  configMap:
    content: |
      prometheus.exporter.self "alloy" { }
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
"""


def test_the_schema_and_alloy_checks_share_one_parse() -> None:
    yaml_documents.documents.cache_clear()
    results = {result.name: result for result in check_files({"deploy/values.yaml": VALUES})}
    assert {"alloy", "kubernetes-validate", "yaml"} <= set(results)
    info = yaml_documents.documents.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_text_that_is_not_yaml_gives_none() -> None:
    assert yaml_documents.documents("a: [unclosed\n") is None
    assert yaml_documents.documents("a: 1\n---\nb: 2\n") == ({"a": 1}, {"b": 2})
