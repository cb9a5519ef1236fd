"""Celery tasks for memos.

Each task takes an id and calls one service; what is Celery's business stays here: which
errors are worth another try, the time limits, and what running out of time means. The
services import these tasks at module level (``render_memo_version as
render_memo_version_task``); the tasks import the services inside their bodies, so neither
module imports the other while it loads.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings
from django.db import OperationalError

logger = logging.getLogger(__name__)

# The database or the disk hiccuped: worth another try. Anything else is a fault in the memo
# itself (a template error, bad data) and would fail the same way every time.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, OSError)

# What the advisor reads; the technical detail goes to the worker's log.
TOO_SLOW = (
    "The memo took longer than {limit} seconds to render and was stopped. Retry it; if it "
    "happens again, shorten the commentary or tell your administrator."
)
BROKEN = (
    "The memo could not be rendered because of a fault in the memo template or its data. "
    "Tell your administrator (the details are in the worker's log), then retry."
)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=settings.MEMO_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.MEMO_RENDER_TIME_LIMIT,
)
def render_memo_version(self: Task, version_id: int) -> None:
    from reports.services.memos import memo_fail, memo_render

    try:
        memo_render(version_id=version_id)
    except TRANSIENT_ERRORS:
        raise  # retried by autoretry_for, with backoff
    except SoftTimeLimitExceeded:
        # Too slow once is too slow every time: the same input makes the same memo.
        logger.warning("Memo version %s hit the soft time limit", version_id)
        memo_fail(
            version_id=version_id,
            reason=TOO_SLOW.format(limit=settings.MEMO_RENDER_SOFT_TIME_LIMIT),
        )
    except Exception:
        logger.exception("Memo version %s failed to render", version_id)
        memo_fail(version_id=version_id, reason=BROKEN)


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def prepare_draft_memo(engagement_id: int) -> None:
    from reports.services.memos import memo_draft_prepare

    memo_draft_prepare(engagement_id=engagement_id)


@shared_task(acks_late=True, ignore_result=True)
def memo_sweep() -> None:
    from reports.services.memos import memo_sweep as sweep

    sweep()


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> None:
    """The day's reminders before board meetings: respondents who have not finished, board
    members who have not opened the memo. Run several times a day; each goes once."""
    from django.utils import timezone

    from assessments.services.reminders import questionnaire_reminders_send
    from reports.services.reminders import board_reminders_send

    today = timezone.localdate()
    questionnaire_reminders_send(today=today)
    board_reminders_send(today=today)


def warm_renderer(**_: Any) -> None:
    """Worker start-up: load WeasyPrint, Pango and the memo fonts before the first task."""
    from reports.services.rendering import renderer_warm_up

    started = time.perf_counter()
    try:
        renderer_warm_up()
    except Exception:
        # A cold renderer is slower, not broken: the first memo pays the cost instead.
        logger.exception("Could not warm up the memo renderer")
        return
    logger.info("Memo renderer warmed up in %.0f ms", (time.perf_counter() - started) * 1000)


worker_process_init.connect(warm_renderer, weak=False)
