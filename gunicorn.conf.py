"""gunicorn's settings, read from the working directory: `gunicorn iwaki_support.wsgi`.

Each value can be overridden on the command line (`-w 8`, `-b 0.0.0.0:8000`) or by the
environment variables below (docs/operations.md, "Environment").
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Sync workers: one request per process at a time, each keeping its own database connection.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle each worker after a thousand or so requests so that no slow leak grows unbounded;
# the jitter keeps the workers from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# X-Forwarded-* are trusted only from the reverse proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Errors go to stderr (journald). Access logging stays off by default: the reverse proxy keeps it.
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
