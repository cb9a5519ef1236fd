"""Secret link tokens never reach the logs: one rule, read from the URLconf."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.urls import get_resolver
from gunicorn.config import Config

from advisory.redaction import (
    SECRET_PARAMETERS,
    RedactingGunicornLogger,
    RedactTokens,
    _routes,
    redact,
)

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "q3Jx9fT0kLmN2pQ7rS8tU1vW4xY5zA6bC7dE8fG9hI0"
RESET_TOKEN = "cdq4k2-6f1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b"


def test_redact_hides_questionnaire_and_download_tokens():
    assert (
        redact(f"GET /a/{TOKEN}/step/profile/ HTTP/1.1") == "GET /a/[link]/step/profile/ HTTP/1.1"
    )
    assert redact(f"Gone: /m/{TOKEN}/") == "Gone: /m/[link]/"
    assert redact("GET /accounts/login/") == "GET /accounts/login/"


def test_password_reset_links_are_redacted():
    line = f'"GET /accounts/reset/MQ/{RESET_TOKEN}/ HTTP/1.1" 302'
    assert redact(line) == '"GET /accounts/reset/[link]/[link]/ HTTP/1.1" 302'
    assert redact("GET /accounts/reset/done/") == "GET /accounts/reset/done/"


def _sample_path(route: str) -> str:
    return "/" + re.sub(
        r"<(?:[^>:]+:)?([^>]+)>",
        lambda m: TOKEN if m[1] in SECRET_PARAMETERS else "7",
        route,
    )


def test_every_route_with_a_secret_parameter_is_redacted():
    secret_routes = [
        route
        for route in _routes(get_resolver().url_patterns)
        if any(f"{name}>" in route for name in SECRET_PARAMETERS)
    ]
    # The questionnaire (welcome, steps, autosave, review), the download, the password reset.
    assert len(secret_routes) >= 6
    for route in secret_routes:
        path = _sample_path(route)
        assert TOKEN not in redact(f"GET {path}?x=1 HTTP/1.1"), route
        assert TOKEN not in redact(f"Referer: http://example.com{path}"), route


def test_log_records_are_redacted():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/a/{TOKEN}/review/",),
        None,
    )
    RedactTokens().filter(record)
    assert record.getMessage() == "Not Found: /a/[link]/review/"


def test_the_apps_logging_redacts_what_django_logs(tmp_path):
    # In a fresh process: here, an in-process Celery worker may have replaced the handlers.
    code = (
        "import logging; "
        f"logging.getLogger('django.request').warning('Not Found: %s', '/m/{TOKEN}/')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "VAR_DIR": str(tmp_path)},
    )
    assert "Not Found: /m/[link]/" in result.stderr
    assert TOKEN not in result.stderr + result.stdout


def test_gunicorn_access_log_lines_are_redacted():
    class Request:
        method, path, query, version, headers = "GET", f"/m/{TOKEN}/", "", (1, 1), []
        uri = f"/m/{TOKEN}/"

    class Response:
        status, sent, headers, response_length = "200 OK", 10, [], 10

    environ = {
        "RAW_URI": f"/m/{TOKEN}/",
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "PATH_INFO": f"/m/{TOKEN}/",
    }
    atoms = RedactingGunicornLogger(Config()).atoms(Response(), Request(), environ, _Delta())
    assert TOKEN not in " ".join(str(v) for v in atoms.values())


class _Delta:
    seconds, microseconds = 0, 1000

    def total_seconds(self) -> float:
        return 0.001


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_env() -> dict[str, str]:
    """The test database, for a server process of its own."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"DATABASE_URL": "", "SQLITE_PATH": str(settings["NAME"])}
    return {
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    }


@pytest.mark.django_db(transaction=True)
def test_a_real_gunicorn_logs_no_token(tmp_path):
    port = _free_port()
    access_log = tmp_path / "access.log"
    error_log = tmp_path / "error.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **_database_env(),
        "VAR_DIR": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(access_log),
        "WEB_CONCURRENCY": "1",
        # Static files straight from static/, with no collectstatic manifest to build first.
        "DEBUG": "1",
    }
    paths = [
        f"/a/{TOKEN}/",
        f"/a/{TOKEN}/step/profile/",
        f"/m/{TOKEN}/",
        f"/accounts/reset/MQ/{RESET_TOKEN}/",
    ]
    with open(error_log, "w") as errors:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=errors,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(port)
            for path in paths:
                # 404 is the expected answer to an unknown link.
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            deadline = time.monotonic() + 10
            while access_log.read_text().count("\n") < len(paths) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(timeout=20)
    access = access_log.read_text()
    logged = access + error_log.read_text()
    assert access.count("[link]") >= len(paths)
    assert "Not Found: /a/[link]/" in logged  # Django's own log line, through the filter
    assert TOKEN not in logged
    assert RESET_TOKEN not in logged


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def test_set_password_links_are_redacted():
    line = f'"GET /accounts/welcome/{TOKEN}/ HTTP/1.1" 200'
    assert redact(line) == '"GET /accounts/welcome/[link]/ HTTP/1.1" 200'
    assert redact("GET /accounts/two-factor/") == "GET /accounts/two-factor/"
