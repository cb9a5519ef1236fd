"""Readying a web process before its first request: every template the pages use compiled
into the cached loader, and the URLconf built both ways (resolving and reversing). gunicorn
loads the app in its master (``preload_app``), so its workers fork with all of it in place
and a worker's first request to a page costs about what every later one does."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)

# The form templates the pages render besides the project's own.
_PACKAGES = ("crispy_forms", "crispy_bootstrap5")


def _template_roots() -> list[Path]:
    import importlib

    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for package in _PACKAGES:
        module = importlib.import_module(package)
        roots.append(Path(module.__file__).parent / "templates")
    return [root for root in roots if root.is_dir()]


def web_warm_up() -> None:
    started = time.perf_counter()
    engine = engines["django"]
    compiled = 0
    for root in _template_roots():
        for path in sorted(root.rglob("*")):
            if path.suffix not in {".html", ".txt", ".css"} or not path.is_file():
                continue
            try:
                engine.get_template(str(path.relative_to(root)))
            except (TemplateDoesNotExist, TemplateSyntaxError):
                # Shadowed by another root, or a file that is not meant for this engine.
                continue
            compiled += 1
    # Imports every view and compiles the routes, and builds the table reverse() reads: built
    # on a page's first reverse() otherwise, a third of the questionnaire step's first request.
    get_resolver().reverse_dict  # noqa: B018
    # gunicorn forks its workers from this process: none may inherit a connection of its own.
    connections.close_all()
    logger.info(
        "Web process warmed up: %s templates in %.0f ms",
        compiled,
        (time.perf_counter() - started) * 1000,
    )


def worker_connect() -> None:
    """Opens this worker's database and cache connections before its first request, which
    would otherwise pay for them. A service that is down is the first request's to report."""
    from django.core.cache import cache
    from django.db import connection

    try:
        connection.ensure_connection()
        cache.get("warm-up")
    except Exception:  # a worker that cannot connect still starts
        logger.warning("Could not connect before the first request", exc_info=True)
