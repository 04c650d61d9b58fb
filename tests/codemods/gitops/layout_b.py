"""A second GitOps layout, written for these tests: one directory per cluster namespace, Applications
registered in a kustomization's `resources`, inline `valuesObject` values, the `tempo` (monolithic)
chart, Alloy's configuration inside its values, Grafana values as a `values: |` string, the bucket
list in a MinIO-style Application, NetworkPolicies that take their namespace from kustomize."""

from __future__ import annotations

NS = "ca7f8f-dev"


def files(*, tempo: bool = True, secret: bool = True) -> dict[str, str]:
    tree = {
        "clusters/ca7f8f-dev/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- buckets.yaml
- tempo.yaml
- alloy.yaml
- grafana.yaml
""",
        "clusters/ca7f8f-dev/policies/kustomization.yaml": """\
namespace: ca7f8f-dev
resources:
- netpol.yaml
""",
        "clusters/ca7f8f-dev/policies/netpol.yaml": """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes:
  - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: otlp-to-alloy
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: alloy
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: dts
    ports:
    - port: 4317
      protocol: TCP
""",
        "clusters/ca7f8f-dev/buckets.yaml": """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: dev-object-storage
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "-5"
spec:
  project: observability
  source:
    repoURL: https://charts.example.org
    chart: object-storage
    targetRevision: 1.0.0
    helm:
      valuesObject:
        buckets:
        - name: dts-traces-dev-blocks
          versioning: false
  destination:
    server: https://kubernetes.default.svc
    namespace: ca7f8f-dev
""",
        "clusters/ca7f8f-dev/alloy.yaml": """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: dev-alloy
  namespace: argocd
spec:
  project: observability
  source:
    repoURL: https://grafana.github.io/helm-charts
    chart: alloy
    targetRevision: 1.11.1
    helm:
      valuesObject:
        alloy:
          configMap:
            content: |
              loki.write "logs" {
                endpoint {
                  url = "http://loki:3100/loki/api/v1/push"
                }
              }

              otelcol.exporter.otlphttp "traces" {
                client {
                  endpoint = "http://tempo.ca7f8f-dev.svc:4318"
                }
              }
  destination:
    server: https://kubernetes.default.svc
    namespace: ca7f8f-dev
""",
        "clusters/ca7f8f-dev/grafana.yaml": """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: dev-grafana
  namespace: argocd
spec:
  project: observability
  source:
    repoURL: https://grafana.github.io/helm-charts
    chart: grafana
    targetRevision: 10.5.15
    helm:
      values: |
        datasources:
          datasources.yaml:
            apiVersion: 1
            datasources:
            - name: Traces
              type: tempo
              uid: traces
              url: http://tempo:3200
  destination:
    server: https://kubernetes.default.svc
    namespace: ca7f8f-dev
""",
    }
    if tempo:
        tree["clusters/ca7f8f-dev/tempo.yaml"] = (
            """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: dev-tempo
  namespace: argocd
  labels:
    team: dts
spec:
  project: observability
  source:
    repoURL: https://grafana.github.io/helm-charts
    chart: tempo
    targetRevision: 1.23.0
    helm:
      valuesObject:
        tempo:
          storage:
            trace:
              backend: s3
              s3:
                bucket: dts-traces-dev-blocks
                endpoint: http://minio.storage.svc:9000
                access_key: ${AWS_ACCESS_KEY_ID}
                secret_key: ${AWS_SECRET_ACCESS_KEY}
"""
            + (
                """\
          extraEnvFrom:
          - secretRef:
              name: tempo-s3
"""
                if secret
                else ""
            )
            + """\
  destination:
    server: https://kubernetes.default.svc
    namespace: ca7f8f-dev
  syncPolicy:
    automated: {}
"""
        )
    return tree
