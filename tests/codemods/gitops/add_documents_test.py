from codemods.gitops import add_documents
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

POLICY = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "NetworkPolicy",
    "metadata": {"name": "alloy-allow-faro-from-router", "namespace": "ca7f8f-dev"},
    "spec": {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "alloy"}},
        "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"policy-group.network.openshift.io/ingress": ""}}}],
                     "ports": [{"protocol": "TCP", "port": 12347}]}],
    },
}  # fmt: skip
EXISTING = """\
# baseline
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-by-default
  namespace: ca7f8f-dev
spec:
  podSelector: {}
  policyTypes:
    - Ingress
"""
NEW = """\
---
# router -> Faro
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: alloy-allow-faro-from-router
  namespace: ca7f8f-dev
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: alloy
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              policy-group.network.openshift.io/ingress: ""
      ports:
        - protocol: TCP
          port: 12347
"""
PARAMS = {
    "documents": [POLICY],
    "comments": {"NetworkPolicy/alloy-allow-faro-from-router": "router -> Faro"},
}


def test_appends_a_document_in_the_files_style():
    assert_codemod(
        add_documents,
        PARAMS,
        path="platform/networkpolicies.yaml",
        before=EXISTING,
        after=EXISTING + NEW,
    )


def test_starts_a_new_file():
    assert_codemod(
        add_documents, PARAMS, path="apps/new.yaml", before="", after=NEW.removeprefix("---\n")
    )


def test_an_object_with_that_kind_and_name_is_left_alone():
    assert_unchanged(
        add_documents, {"documents": [{**POLICY, "spec": {}}]}, path="n.yaml", text=EXISTING + NEW
    )


def test_objects_need_kind_and_name():
    assert_codemod_error(
        add_documents,
        {"documents": [{"kind": "ConfigMap"}]},
        path="n.yaml",
        text=EXISTING,
        match="no kind or metadata.name",
    )
