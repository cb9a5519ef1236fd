"""The whole memo pipeline against PostgreSQL and a real Celery worker on Redis: no eager
mode, no mocks. Skipped when the test services are not available (SQLite/file broker)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from advisory.celery import app
from advisory.models import Engagement
from assessments.methodology import NEWEST as METHODOLOGY_VERSION
from assessments.questionnaire import DIMENSIONS
from reports.models import MemoVersion
from reports.services.memos import memo_request, memo_sweep
from tests.conftest import needs_redis, require_postgresql, running_worker, stored_files
from tests.pdf import pages_text

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    needs_redis,
]


@pytest.fixture(scope="module")
def celery_worker(django_db_blocker):
    with running_worker(django_db_blocker) as worker:
        yield worker


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    require_postgresql()


@contextmanager
def broker_down() -> Iterator[None]:
    """Points publishing at a port where nothing listens, as if Redis were down."""
    good = app.conf.broker_write_url
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_write_url = good
        app._pool = None
        app.amqp._producer_pool = None


def wait_for(version: MemoVersion, states: set[str], timeout: float = 30) -> MemoVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.state in states:
            return version
        time.sleep(0.1)
    raise AssertionError(f"memo v{version.number} stayed {version.state}")


def test_request_is_rendered_by_a_worker_into_a_readable_memo(
    celery_worker, submitted, advisor, memo_storage
) -> None:
    engagement = submitted.engagement
    version = memo_request(engagement=engagement, actor=advisor, commentary="Board: act now.")
    version = wait_for(version, {"ready", "failed"})

    assert version.state == "ready", version.failure_reason
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.MEMO_READY
    with version.pdf.open("rb") as handle:
        pages = pages_text(handle.read())
    text = " ".join(" ".join(pages).split())
    assert "Acme Logistics" in text
    assert "brings in a fractional Chief AI Officer" in text
    for dimension in DIMENSIONS:
        assert dimension.name in text
    assert "CTO mandate" in text and "CAIO mandate" in text
    assert METHODOLOGY_VERSION in text
    assert f"answers {version.answers_sha256[:12]}" in text
    assert len(pages) == version.page_count <= 8
    assert engagement.audit_events.filter(action="memo.rendered").exists()


def test_memo_requested_while_the_broker_is_down_is_rendered_after_the_sweep(
    celery_worker, submitted, advisor, settings, tmp_path
) -> None:
    # About the broker, not where the file goes: the file system only.
    settings.MEDIA_ROOT = tmp_path
    with broker_down():
        version = memo_request(engagement=submitted.engagement, actor=advisor)

    time.sleep(1)
    version.refresh_from_db()
    assert version.state == "queued"  # recorded, waiting; the request itself succeeded

    # The broker is back; once the version has waited long enough the sweep republishes it.
    MemoVersion.objects.filter(pk=version.pk).update(
        requested_at=timezone.now() - timedelta(minutes=2)
    )
    assert memo_sweep() == [version.pk]
    version = wait_for(version, {"ready", "failed"})
    assert version.state == "ready", version.failure_reason


def test_two_workers_rendering_one_version_at_once_leave_one_file(
    submitted, advisor, memo_storage
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from reports.services.memos import memo_render

    with broker_down():  # keep the real worker out of it: only the two threads render
        version = memo_request(engagement=submitted.engagement, actor=advisor)

    def render() -> None:
        try:
            memo_render(version_id=version.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(render), pool.submit(render)]:
            future.result()

    version.refresh_from_db()
    assert version.state == "ready"
    assert stored_files() == [version.pdf.name]
