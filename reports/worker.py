"""Worker start-up: load WeasyPrint, Pango and the memo fonts before the first task arrives."""

from __future__ import annotations

import logging
import time
from typing import Any

logger = logging.getLogger(__name__)


def warm_renderer(**_: Any) -> None:
    from reports.services.rendering import renderer_warm_up

    started = time.perf_counter()
    try:
        renderer_warm_up()
    except Exception:
        # A cold renderer is slower, not broken: the first memo pays the cost instead.
        logger.exception("Could not warm up the memo renderer")
        return
    logger.info("Memo renderer warmed up in %.0f ms", (time.perf_counter() - started) * 1000)
