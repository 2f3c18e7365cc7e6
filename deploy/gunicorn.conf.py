"""gunicorn settings for the web process: ``gunicorn -c deploy/gunicorn.conf.py cms.wsgi``.

Workers are stateless (content in PostgreSQL, caches in Redis): scale by raising
``WEB_CONCURRENCY`` or by running more hosts behind the load balancer.

Metrics from several workers: set ``PROMETHEUS_MULTIPROC_DIR`` to a folder on local
disk that only this service uses (systemd's ``RuntimeDirectory`` is ideal). It is
emptied when gunicorn starts, and a worker that exits is marked dead, so ``/metrics``
adds up the live and the past workers' counts.
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycling workers (e.g. 5000) bounds slow memory growth, but each new worker adds its
# own metrics files until the next restart; off by default.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# The application writes one JSON line per request; gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
# nginx on the same host sets X-Forwarded-Proto; trust it from there only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
