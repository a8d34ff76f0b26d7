"""
gunicorn settings for production, read from the environment. gunicorn loads this file from
the working directory: `gunicorn newsroom.wsgi` (or `make serve`).
"""

import multiprocessing
import os

from newsroom.settings import SECURE_PROXY_SSL_HEADER

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
# Threads, each serving one connection at a time; a request must arrive whole within a few
# seconds, so that clients sending half a request cannot hold them (newsroom/serving.py).
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# The benchmark measures with "sync" workers, as the Wagtail harness does (bench/serving.py).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "newsroom.serving.ThreadWorker")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take a server down.
max_requests = 2000
max_requests_jitter = 200
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"

# Forwarded headers are believed exactly as Django believes them: DJANGO_TRUST_X_FORWARDED_PROTO
# decides (newsroom/settings.py). With it off, none, from anyone (this machine and a Unix socket
# included), so a request's scheme is its connection's; with it on, X-Forwarded-Proto, set by
# the proxy in front. No proxy sets a script name or path for the site.
if SECURE_PROXY_SSL_HEADER:
    header, secure_value = SECURE_PROXY_SSL_HEADER
    secure_scheme_headers = {header.removeprefix("HTTP_").replace("_", "-"): secure_value}
    forwarded_allow_ips = "*"
else:
    secure_scheme_headers = {}
    forwarded_allow_ips = ""
forwarder_headers = ""
