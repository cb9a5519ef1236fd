"""The only way WeasyPrint may load anything while it renders a memo.

Memo HTML refers to the project's bundled static files through a reserved origin,
``https://memo-static.invalid/`` (``.invalid`` never resolves, and nothing here opens a socket);
those URLs map to files under ``static/``, checked after resolving symlinks and ``..`` so they
cannot leave it. ``data:`` URLs are decoded in memory. Everything else (``file://``, any real
host, any other scheme) is refused, and there is nothing to redirect because no request is
ever made.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_ORIGIN = "https://memo-static.invalid/"
_STATIC_HOST = "memo-static.invalid"
# Fonts, styles and images only: nothing the renderer could execute or follow further.
_ALLOWED_SUFFIXES = frozenset(
    {".css", ".woff", ".woff2", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
)
_MAX_DATA_URL_BYTES = 5 * 1024 * 1024


class FetchRefused(ValueError):
    """A URL the memo renderer may not load."""


def static_dir() -> Path:
    return Path(settings.STATICFILES_DIRS[0]).resolve()


def static_url(path: str) -> str:
    """The URL memo HTML uses for a bundled static file, e.g. ``css/memo.css``."""
    return STATIC_ORIGIN + path.lstrip("/")


class StaticOnlyFetcher(URLFetcher):
    """Serves bundled static files and ``data:`` URLs; refuses and records everything else.

    ``requested`` and ``refused`` list every URL seen, so tests can prove that hostile input
    made the renderer ask for nothing.
    """

    def __init__(self, root: Path | None = None) -> None:
        # No protocol is allowed to reach urllib: every URL is answered or refused here.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.root = (root or static_dir()).resolve()
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        try:
            if url[:5].lower() == "data:":
                return self._data(url)
            return self._static(url)
        except FetchRefused as refusal:
            self.refused.append(url)
            logger.warning("Memo renderer refused %s: %s", url[:200], refusal)
            raise

    def _data(self, url: str) -> URLFetcherResponse:
        if len(url) > _MAX_DATA_URL_BYTES * 2:
            raise FetchRefused("data URL too large")
        try:
            # Only data: URLs reach here; DataHandler decodes them in memory, opening nothing.
            response = DataHandler().data_open(Request(url))  # noqa: S310
        except ValueError as error:
            raise FetchRefused(f"malformed data URL ({error})") from None
        body = response.read()
        content_type = response.headers.get("Content-Type", "text/plain")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _static(self, url: str) -> URLFetcherResponse:
        try:
            parts = urlsplit(url)
        except ValueError:
            raise FetchRefused("malformed URL") from None
        if parts.scheme != "https" or parts.netloc != _STATIC_HOST:
            raise FetchRefused("only bundled static files and data: URLs may be loaded")
        relative = unquote(parts.path).lstrip("/")
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or candidate == self.root:
            raise FetchRefused("path leaves the static directory")
        if candidate.suffix.lower() not in _ALLOWED_SUFFIXES:
            raise FetchRefused("not a font, stylesheet or image")
        if not candidate.is_file():
            raise FetchRefused("no such static file")
        content_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, candidate.read_bytes(), {"Content-Type": content_type})
