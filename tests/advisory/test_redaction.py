"""Personal link tokens never reach the logs."""

from __future__ import annotations

import logging

from gunicorn.config import Config

from advisory.redaction import RedactingGunicornLogger, RedactTokens, redact

TOKEN = "q3Jx9fT0kLmN2pQ7rS8tU1vW4xY5zA6bC7dE8fG9hI0"


def test_redact_hides_questionnaire_and_download_tokens():
    assert (
        redact(f"GET /a/{TOKEN}/step/profile/ HTTP/1.1") == "GET /a/[link]/step/profile/ HTTP/1.1"
    )
    assert redact(f"Gone: /m/{TOKEN}/") == "Gone: /m/[link]/"
    assert redact("GET /accounts/login/") == "GET /accounts/login/"


def test_django_log_records_are_redacted_by_the_console_handler():
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
    assert TOKEN not in record.getMessage()
    console = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert any(isinstance(f, RedactTokens) for h in console for f in h.filters)


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
