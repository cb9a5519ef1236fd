"""Personal link tokens never reach the logs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from gunicorn.config import Config

from advisory.redaction import RedactingGunicornLogger, RedactTokens, redact

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "q3Jx9fT0kLmN2pQ7rS8tU1vW4xY5zA6bC7dE8fG9hI0"


def test_redact_hides_questionnaire_and_download_tokens():
    assert (
        redact(f"GET /a/{TOKEN}/step/profile/ HTTP/1.1") == "GET /a/[link]/step/profile/ HTTP/1.1"
    )
    assert redact(f"Gone: /m/{TOKEN}/") == "Gone: /m/[link]/"
    assert redact("GET /accounts/login/") == "GET /accounts/login/"


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
