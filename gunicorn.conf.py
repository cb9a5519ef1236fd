"""gunicorn's settings, the one copy: `make run` (bin/serve), the Dockerfile and docker-compose
all start `gunicorn -c gunicorn.conf.py`."""

import os

wsgi_app = "advisory.wsgi"
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Load the app once in the master, so workers fork with templates and settings ready.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The access log carries request paths; this logger blanks the link tokens in them.
logger_class = "advisory.redaction.RedactingGunicornLogger"
# gunicorn's runtime control socket is unused here; without it, several servers on one machine
# (make run beside the tests, say) do not contend for the same socket path.
control_socket_disable = True


def post_fork(server: object, worker: object) -> None:
    # Each worker opens its own connections (never the master's, which it must not share).
    from advisory.warmup import worker_connect

    worker_connect()
