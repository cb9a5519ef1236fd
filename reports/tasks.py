"""Celery tasks for memos: thin adapters that take an id and call the service."""

from __future__ import annotations

from celery import Task, shared_task
from celery.signals import worker_process_init

from reports.services.memos import TRANSIENT_ERRORS, memo_render
from reports.services.memos import memo_sweep as sweep
from reports.worker import warm_renderer


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
)
def render_memo_version(self: Task, version_id: int) -> None:
    memo_render(version_id=version_id)


@shared_task(acks_late=True, ignore_result=True)
def memo_sweep() -> None:
    sweep()


worker_process_init.connect(warm_renderer, weak=False)
