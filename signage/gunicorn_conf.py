"""The project's gunicorn settings; `signage serve` and `signage quickstart` use this file."""

import multiprocessing
import os

bind = os.environ.get("SIGNAGE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SIGNAGE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("SIGNAGE_THREADS", "4"))
timeout = 60
graceful_timeout = 10
keepalive = 5
accesslog = os.environ.get("SIGNAGE_ACCESS_LOG") or None
errorlog = "-"
# Off: each worker imports and builds the app after the fork, so no database engine, connection
# pool or thread lock made in one process is shared with another, and a HUP to the master makes
# the new workers load the code as it is now on disk.
preload_app = False
