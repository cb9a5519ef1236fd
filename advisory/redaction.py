"""Keeps secret link tokens out of logs: whoever reads a log must not be able to open a CEO's
questionnaire, a board member's memo or an advisor's password reset.

There is one rule, read from the URLconf: every route with a ``token`` or ``uidb64``
parameter is a secret link, and in any logged text the path segments those parameters fill
are replaced with ``[link]``. A token-bearing link the project adds later is covered by
naming its parameter ``token``; nothing here needs to change.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver
from gunicorn.glogging import Logger as GunicornLogger

SECRET_PARAMETERS = frozenset({"token", "uidb64"})
REPLACEMENT = "[link]"

# One path segment as it can appear in a log line: it stops at a slash, whitespace, a query
# string, a fragment or the quote that closes a logged request line.
_SEGMENT = r"[^/\s?#\"']+"
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns: list, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def _secret_pattern(route: str) -> str | None:
    """A regex for the part of ``route`` up to its last secret parameter, each secret
    parameter a capturing group; None for a route without a secret."""
    pieces, end, secret_seen = [], 0, False
    for match in _CONVERTER.finditer(route):
        pieces.append(re.escape(route[end : match.start()]))
        if match["name"] in SECRET_PARAMETERS:
            pieces.append(f"({_SEGMENT})")
            secret_seen = True
            last = len(pieces)
        else:
            pieces.append(_SEGMENT)
        end = match.end()
    if not secret_seen:
        return None
    return "/" + "".join(pieces[:last])


@cache
def _secret_paths() -> re.Pattern[str] | None:
    patterns = sorted(
        {p for route in _routes(get_resolver().url_patterns) if (p := _secret_pattern(route))},
        key=len,
        reverse=True,
    )
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _blank_secrets(match: re.Match[str]) -> str:
    text, start = [], match.start()
    for index in range(1, (match.lastindex or 0) + 1):
        if match.start(index) == -1:
            continue
        text.append(match.string[start : match.start(index)])
        text.append(REPLACEMENT)
        start = match.end(index)
    text.append(match.string[start : match.end()])
    return "".join(text)


def redact(text: str) -> str:
    if "/" not in text:
        # No path at all: nothing to blank, and no need to load the URLconf (a library
        # logging while it is imported, before the URLconf can be, must not have to).
        return text
    pattern = _secret_paths()
    return pattern.sub(_blank_secrets, text) if pattern is not None else text


class RedactTokens(logging.Filter):
    """For Django's loggers: rewrites the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


class RedactingGunicornLogger(GunicornLogger):
    """For gunicorn's access log (``logger_class`` in ``gunicorn.conf.py``)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # The path shows up in several atoms (request line, path, raw URI, referer).
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}
