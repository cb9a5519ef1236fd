"""Throughput: memos through Redis with one and then two worker processes.

For each concurrency a real ``celery -A advisory worker`` starts on the bench broker (Redis
database 13). Once it is ready, 200 queued memo versions (the demo memo's answers, one per
engagement) are published with ``render_memo_version.delay`` and the clock runs until every
one is ready in the database. The worker's pool processes are measured from /proc: resident
memory when idle after start-up (the renderer already warmed), after the first 10 memos, and
after the last.

    python bench/throughput.py [--memos 200] [--timeout 1800]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_DIR,
    PrivateRedis,
    bench_env,
    children,
    cpu_seconds,
    db_retry,
    figure,
    new_memo_versions,
    print_load_after,
    print_machine,
    rss_kib,
    seed_engagements,
    setup_django,
)

SCALING_TARGET = 1.8  # issue 15
GROWTH_TARGET_MB = 30  # issue 15: over 200 renders
EARLY = 10


class Worker:
    """A Celery worker subprocess in its own session, so it and its pool stop together."""

    def __init__(self, concurrency: int) -> None:
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "advisory",
                "worker",
                f"--concurrency={concurrency}",
                "--pool=prefork",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=bench{concurrency}@%h",
            ],
            cwd=BASE_DIR,
            env=bench_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.concurrency = concurrency
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if " ready." in line:
                self.ready.set()

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("worker exited:\n" + "\n".join(self.lines[-30:]))
            pool = self.pool()
            # Ready, and every pool process has finished warming its renderer (idle again).
            if self.ready.is_set() and len(pool) == self.concurrency:
                warmed = sum("warmed up" in line for line in self.lines)
                if warmed >= self.concurrency:
                    return
            time.sleep(0.2)
        raise RuntimeError("worker not ready in time:\n" + "\n".join(self.lines[-30:]))

    def pool(self) -> list[int]:
        return children(self.process.pid)

    def rss_mb(self) -> dict[int, float]:
        return {pid: rss_kib(pid) / 1024 for pid in self.pool()}

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def purge_broker() -> None:
    """Empties the bench queue, so nothing left from an earlier run reaches the worker."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("redis://"):
        import redis

        # Only kombu's own keys: never flush a database someone else might share.
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(
            "celery", "unacked", "unacked_index", "unacked_mutex"
        )


def run(concurrency: int, engagement_ids: list[int], timeout: float) -> dict[str, float]:
    from django.db.models import Count

    from reports.models import MemoVersion
    from reports.tasks import render_memo_version

    version_ids = new_memo_versions(engagement_ids)
    purge_broker()
    worker = Worker(concurrency)
    try:
        worker.wait_ready(timeout=90)
        before = worker.rss_mb()
        processes = [worker.process.pid, *worker.pool()]
        cpu_before = sum(cpu_seconds(pid) for pid in processes)
        started = time.perf_counter()
        for pk in version_ids:
            render_memo_version.delay(pk)
        early: dict[int, float] = {}
        deadline = time.monotonic() + timeout
        pending = MemoVersion.objects.filter(pk__in=version_ids)
        while True:
            states = db_retry(lambda: dict(pending.values_list("state").annotate(n=Count("pk"))))
            ready = states.get(MemoVersion.State.READY, 0)
            failed = states.get(MemoVersion.State.FAILED, 0)
            if not early and ready >= EARLY:
                early = worker.rss_mb()
            if ready + failed >= len(version_ids):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"only {ready} of {len(version_ids)} memos ready in {timeout} s; worker log:\n"
                    + "\n".join(worker.lines[-40:])
                )
            if worker.process.poll() is not None:
                raise RuntimeError("worker died:\n" + "\n".join(worker.lines[-30:]))
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        cpu = sum(cpu_seconds(pid) for pid in processes) - cpu_before
        after = worker.rss_mb()
        if failed:
            raise RuntimeError(f"{failed} memos failed to render")
    finally:
        worker.stop()
    replaced = set(after) != set(before)
    growth = max(after.get(pid, 0) - rss for pid, rss in before.items())
    steady = max(after.get(pid, 0) - rss for pid, rss in early.items()) if early else 0.0
    for version in db_retry(lambda: list(MemoVersion.objects.filter(pk__in=version_ids))):
        version.pdf.delete(save=False)
    return {
        "seconds": elapsed,
        "rate": len(version_ids) / elapsed,
        "before": max(before.values()),
        "after": max(after.values()) if after else 0.0,
        "growth": growth,
        "steady": steady,
        "replaced": float(replaced),
        "cpu_per_memo": cpu / len(version_ids),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memos", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per concurrency")
    args = parser.parse_args()

    print(f"Throughput ({args.memos} memos through Redis, prefork workers)")
    print_machine()
    redis = PrivateRedis()
    try:
        env = setup_django()
        print(f"  broker: {env['CELERY_BROKER_URL']}")
        engagement_ids = seed_engagements(args.memos)
        results = {}
        for concurrency in (1, 2):
            results[concurrency] = run(concurrency, engagement_ids, args.timeout)
    finally:
        redis.stop()
    for concurrency, result in results.items():
        print(f"\n  concurrency={concurrency}")
        figure("wall time for all memos", f"{result['seconds']:.1f} s")
        figure("memos/second", f"{result['rate']:.2f}")
        # CPU seconds per memo hardly depend on other work on the machine; wall time does.
        figure("worker CPU seconds per memo (main + pool)", f"{result['cpu_per_memo']:.2f} s")
        figure("pool process RSS idle after start (max)", f"{result['before']:.0f} MB")
        figure("pool process RSS after the run (max)", f"{result['after']:.0f} MB")
        figure(
            "RSS growth over the run (max per process)",
            f"{result['growth']:+.0f} MB",
            f"< {GROWTH_TARGET_MB} MB",
        )
        figure(f"RSS growth after the first {EARLY} memos", f"{result['steady']:+.0f} MB")
        if result["replaced"]:
            print("  note: a pool process was replaced during the run (max memory per child)")
    print()
    figure(
        "scaling ratio 2 workers / 1",
        f"{results[2]['rate'] / results[1]['rate']:.2f}",
        f">= {SCALING_TARGET}",
    )
    print_load_after()
    return 0


if __name__ == "__main__":
    sys.exit(main())
