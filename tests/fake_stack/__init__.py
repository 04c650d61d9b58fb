"""Loopback fakes of the observability stack (Pyroscope, Alloy's faro.receiver and pyroscope.receive_http,
Loki, Tempo, Grafana, the Kubernetes apps/v1 API), speaking the real wire formats. Test code only."""
