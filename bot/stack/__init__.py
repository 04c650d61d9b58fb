"""Clients for the live observability stack: Pyroscope, Loki, Tempo, Alloy (Faro and profiles), Grafana and
the Kubernetes API. Plain HTTP with a deadline on every request; every failure is a StackError whose message
says what to do. No campaign logic here."""
