"""Celery tasks for the outbox. Each takes an id and calls one service in advisory.outbox;
that module imports this one at load time, so the service is imported inside the task."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import OperationalError


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=10,
    ignore_result=True,
)
def send_email(self: Task, email_id: int) -> None:
    from advisory.outbox import EmailDeferred, email_deliver

    try:
        email_deliver(email_id=email_id)
    except EmailDeferred as deferred:
        # The row counts the attempts and gives up after EMAIL_MAX_ATTEMPTS; Celery only waits.
        raise self.retry(countdown=deferred.retry_in, max_retries=None) from deferred


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep() -> None:
    from advisory.outbox import outbox_sweep as sweep

    sweep()
