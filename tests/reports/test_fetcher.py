"""The memo renderer's URL fetcher: bundled static files and data: URLs, nothing else."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from weasyprint import HTML

from reports.fetcher import STATIC_ORIGIN, FetchRefused, StaticOnlyFetcher, static_url


class _Redirector(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", static_url("css/memo.css"))
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redirecting_server() -> Iterator[str]:
    """A real local server that answers every request with a redirect to a static file."""
    _Redirector.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_serves_a_bundled_stylesheet() -> None:
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(static_url("css/fonts.css"))
    assert b"Source Sans 3" in response.read()
    assert response.content_type == "text/css"


def test_serves_data_urls() -> None:
    response = StaticOnlyFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://169.254.169.254/",
        "https://example.com/font.woff",
        "ftp://example.com/x.css",
        STATIC_ORIGIN + "css/no-such-file.css",
        STATIC_ORIGIN + "../../../../etc/passwd",
        STATIC_ORIGIN + "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        STATIC_ORIGIN + "css/..%2f..%2f..%2fetc%2fpasswd",
        STATIC_ORIGIN + "vendor/README.md",  # exists, but not a font, style or image
        "http://memo-static.invalid/css/memo.css",  # the right host over the wrong scheme
    ],
)
def test_refuses_everything_else(url: str) -> None:
    fetcher = StaticOnlyFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_a_redirect_without_contacting_the_server(redirecting_server: str) -> None:
    fetcher = StaticOnlyFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(redirecting_server + "style.css")
    assert _Redirector.hits == []


def test_refuses_a_symlink_out_of_the_static_dir(tmp_path) -> None:
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    (root / "css" / "leak.css").symlink_to(secret)
    fetcher = StaticOnlyFetcher(root=root)
    with pytest.raises(FetchRefused):
        fetcher.fetch(static_url("css/leak.css"))


def test_weasyprint_through_the_fetcher_loads_nothing_forbidden(redirecting_server: str) -> None:
    html = f"""<html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{redirecting_server}evil.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="css/memo.css">
      <style>@import url("http://169.254.169.254/x.css");</style></head>
      <body><img src="file:///etc/hostname" alt=""><img src="{redirecting_server}i.png" alt="">
      <img src="../../../etc/passwd" alt=""></body></html>"""
    fetcher = StaticOnlyFetcher()
    HTML(string=html, base_url=static_url(""), url_fetcher=fetcher).write_pdf()
    assert _Redirector.hits == []
    assert static_url("css/memo.css") in fetcher.requested
    assert static_url("css/memo.css") not in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://169.254.169.254/x.css" in fetcher.refused
    assert f"{redirecting_server}evil.css" in fetcher.refused
    assert static_url("etc/passwd") in fetcher.refused
