"""Failure drills with a real worker process: killed mid-render, the memo still completes
with exactly one file. Runs against PostgreSQL and Redis only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from advisory.celery import app
from reports.models import MemoVersion
from reports.services.memos import memo_request, memo_sweep
from tests.conftest import needs_redis, require_postgresql

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


class Worker:
    """A real `celery worker` process on the test database and broker."""

    def __init__(self, media_root: Path, log: Path) -> None:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "MEDIA_ROOT": str(media_root),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "advisory",
                "worker",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(tmp_path, settings) -> Iterator[callable]:
    require_postgresql()
    settings.MEDIA_ROOT = tmp_path / "media"
    app.control.purge()
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(settings.MEDIA_ROOT, tmp_path / "worker.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


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
