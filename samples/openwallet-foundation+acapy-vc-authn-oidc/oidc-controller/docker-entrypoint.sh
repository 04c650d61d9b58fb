#!/bin/bash
set -e
# one uvicorn process, no workers: the chart sets no WEB_CONCURRENCY
exec uvicorn api.main:app --host 0.0.0.0 --port "${CONTROLLER_PORT:-5000}"
