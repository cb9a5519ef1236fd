"""Keeps personal link tokens out of logs: whoever reads a log must not be able to open a
CEO's questionnaire or a board member's memo."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

_TOKEN_PATH = re.compile(r"/(a|m)/[^/\s?\"]+")


def redact(text: str) -> str:
    return _TOKEN_PATH.sub(r"/\1/[link]", text)


class RedactTokens(logging.Filter):
    """For Django's loggers: rewrites the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


class RedactingGunicornLogger(GunicornLogger):
    """For gunicorn's access log (`--logger-class advisory.redaction.RedactingGunicornLogger`)."""

    def atoms(self, resp, req, environ, request_time):  # noqa: ANN001, ANN201 - gunicorn's API
        atoms = super().atoms(resp, req, environ, request_time)
        # The path shows up in several atoms (request line, path, raw URI, referer).
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}
