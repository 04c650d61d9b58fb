#!/bin/bash

alembic upgrade head
	exec uvicorn api.main:app --host 0.0.0.0 --port 5000 --workers ${WEB_CONCURRENCY:-1}
