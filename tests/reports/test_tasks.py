"""How the memo tasks are configured for a broker that redelivers, and the worker warm-up."""

from __future__ import annotations

from celery.signals import worker_process_init
from django.conf import settings
from django.db import OperationalError

from advisory.celery import app
from reports.tasks import memo_sweep, render_memo_version, warm_renderer


def test_render_task_survives_redelivery_and_retries_only_transient_errors() -> None:
    task = render_memo_version
    assert task.acks_late and task.reject_on_worker_lost
    assert set(task.autoretry_for) == {OperationalError, OSError}
    assert task.retry_backoff and task.max_retries == 5
    assert task.soft_time_limit == settings.MEMO_RENDER_SOFT_TIME_LIMIT
    assert task.time_limit == settings.MEMO_RENDER_TIME_LIMIT > task.soft_time_limit
    # The hard limit must end a stuck render long before the broker would hand it out again.
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
        > settings.MEMO_RENDER_TIME_LIMIT
    )


def test_the_beat_schedule_names_the_real_sweep_task() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stranded-memos"]
    assert app.tasks[entry["task"]].name == memo_sweep.name == "reports.tasks.memo_sweep"


def test_worker_children_warm_the_renderer_at_start(caplog) -> None:
    # Connected strongly (weak=False), so the receiver is stored as the function itself.
    assert warm_renderer in [receiver for _, receiver in worker_process_init.receivers]
    with caplog.at_level("INFO", logger="reports.tasks"):
        warm_renderer()
    assert "warmed up" in caplog.text


def test_a_render_that_runs_out_of_time_fails_with_a_plain_reason(monkeypatch, db) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    from reports.services import memos

    failed: list[dict] = []

    def too_slow(*, version_id: int) -> None:
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(memos, "memo_render", too_slow)
    monkeypatch.setattr(memos, "memo_fail", lambda **kwargs: failed.append(kwargs))
    render_memo_version.run(7)
    assert failed[0]["version_id"] == 7
    reason = failed[0]["reason"]
    assert f"longer than {settings.MEMO_RENDER_SOFT_TIME_LIMIT} seconds" in reason
    assert "SoftTimeLimitExceeded" not in reason and "Retry" in reason
