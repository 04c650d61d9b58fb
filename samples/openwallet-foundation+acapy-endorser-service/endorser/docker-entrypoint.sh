#!/bin/bash
set -e

# database migrations first, then the API with WEB_CONCURRENCY workers
alembic upgrade head
	exec uvicorn api.main:app --host 0.0.0.0 --port "${PORT:-5000}" --workers "${WEB_CONCURRENCY:-1}"
