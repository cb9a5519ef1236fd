"""Failure drills with a real worker process: killed mid-render, the memo still completes
with exactly one file. Runs against PostgreSQL and Redis only."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reports.models import MemoVersion
from reports.services.memos import memo_request, memo_sweep
from tests.conftest import needs_redis

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    needs_redis,
]

# A long commentary makes the render take long enough to be caught in the middle.
LONG_COMMENTARY = "\n\n".join(
    f"Point {n}: the board should agree who owns the results of AI work, and say so in "
    "writing before the next budget round."
    for n in range(120)
)


def wait_until(version: MemoVersion, condition, timeout: float, what: str) -> MemoVersion:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if condition(version):
            return version
        time.sleep(0.02)
    raise AssertionError(f"memo v{version.number} never became {what}: {version.state}")


def memo_files() -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_render_child_killed_mid_render_is_retried_to_one_file(
    workers, engagement, submitted, advisor
):
    worker = workers()
    version = memo_request(engagement=engagement, actor=advisor, commentary=LONG_COMMENTARY)
    wait_until(version, lambda v: v.state == MemoVersion.State.RENDERING, 60, "rendering")
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)  # as the kernel's out-of-memory killer would

    version = wait_until(version, lambda v: v.state == MemoVersion.State.READY, 90, "ready")
    assert version.attempts >= 2
    assert [p.name for p in memo_files()] == [Path(version.pdf.name).name]


def test_whole_worker_killed_mid_render_completes_after_a_new_worker_starts(
    workers, engagement, submitted, advisor
):
    first = workers()
    version = memo_request(engagement=engagement, actor=advisor, commentary=LONG_COMMENTARY)
    wait_until(version, lambda v: v.state == MemoVersion.State.RENDERING, 60, "rendering")
    first.kill()
    version.refresh_from_db()
    assert version.state == MemoVersion.State.RENDERING
    assert memo_files() == []

    workers()
    # The periodic sweep republishes a version left rendering past the hard time limit;
    # move the clock of this version instead of waiting minutes for it.
    stale = timezone.now() - timedelta(seconds=settings.MEMO_RENDER_TIME_LIMIT + 60)
    MemoVersion.objects.filter(pk=version.pk).update(render_started_at=stale)
    assert memo_sweep() == [version.pk]

    version = wait_until(version, lambda v: v.state == MemoVersion.State.READY, 90, "ready")
    assert len(memo_files()) == 1
    assert MemoVersion.objects.filter(engagement=engagement).count() == 1
