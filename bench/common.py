"""What every benchmark shares: its own services, the machine report, seeding and statistics.

Benchmarks never touch the database, broker or cache the test suite uses. They take the
services `bin/test-services` chose (that is what `make bench` passes) and move to neighbours:
the database ``advisory_bench`` on the same server, a private redis-server where one is
installed (else Redis databases 6 and 7), and ``var/bench/`` for files.
``BENCH_DATABASE_URL``, ``BENCH_BROKER_URL`` and ``BENCH_CACHE_URL`` override them.
"""

from __future__ import annotations

import os
import platform
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_VAR = BASE_DIR / "var" / "bench"
BENCH_DB_NAME = "advisory_bench"
# Only used without a private redis-server (PrivateRedis): test runs pick databases on the
# shared server as they please and flush them.
BENCH_BROKER_DB = 6
BENCH_CACHE_DB = 7

BENCH_FIRM = "Bench Firm"
BENCH_ADVISOR = "bench-advisor@bench.example"
# The demo memo is Granite Lending's (seed_demo): the regulated lender's answers.
DEMO_SAMPLE = "regulated_lender"
DEMO_CLIENT = "Granite Lending"

T = TypeVar("T")

if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def bench_env(base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    """The environment for a benchmark process: the chosen services, moved to bench neighbours."""
    env = dict(os.environ if base is None else base)
    database = env.get("BENCH_DATABASE_URL") or env.get("DATABASE_URL", "")
    if database and not env.get("BENCH_DATABASE_URL"):
        database = _with_path(database, "/" + BENCH_DB_NAME)
    env["DATABASE_URL"] = database
    if not database:
        env["SQLITE_PATH"] = str(BENCH_VAR / "bench.sqlite3")
    broker = env.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis://"):
        env["CELERY_BROKER_URL"] = _with_path(broker, f"/{BENCH_BROKER_DB}")
        env["CACHE_URL"] = _with_path(broker, f"/{BENCH_CACHE_DB}")
    if env.get("BENCH_BROKER_URL"):
        env["CELERY_BROKER_URL"] = env["BENCH_BROKER_URL"]
    if env.get("BENCH_CACHE_URL"):
        env["CACHE_URL"] = env["BENCH_CACHE_URL"]
    env["MEDIA_ROOT"] = str(BENCH_VAR / "media")
    env.setdefault("DJANGO_SETTINGS_MODULE", "advisory.settings")
    env.setdefault("LOG_LEVEL", "WARNING")
    env.update(extra)
    return env


class PrivateRedis:
    """A redis-server of the bench's own on a free loopback port, when one is installed.

    Redis databases on the shared server are handed out by nobody: test runs on this machine
    pick their own and flush them, which empties a benchmark's queue mid-run. Where
    ``redis-server`` exists, the broker and the cache live here instead; elsewhere the shared
    server's databases 6 and 7 are used.
    """

    def __init__(self) -> None:
        import shutil
        import socket
        import subprocess

        self.process = None
        binary = shutil.which("redis-server")
        if not binary or os.environ.get("BENCH_BROKER_URL"):
            return
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        os.environ["BENCH_BROKER_URL"] = f"redis://127.0.0.1:{self.port}/0"
        os.environ["BENCH_CACHE_URL"] = f"redis://127.0.0.1:{self.port}/1"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = _with_path(url, "/postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def setup_django(*, migrate: bool = True, **extra: str) -> dict[str, str]:
    """Switches this process to the bench services, migrates them and starts Django."""
    # A time limit ends a benchmark with SIGTERM: unwind, so the servers it started stop too.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    env = bench_env(**extra)
    os.environ.clear()
    os.environ.update(env)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if env["DATABASE_URL"].startswith("postgres"):
        _create_database(env["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
    return env


def db_retry(action: Callable[[], T], attempts: int = 20) -> T:
    """Runs a query again after the database went away (tests on this machine restart it)."""
    from django.db import OperationalError, connection

    for attempt in range(attempts):
        try:
            return action()
        except OperationalError:
            connection.close()
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    versions = {}
    for package in ("django", "weasyprint", "celery", "gunicorn"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            versions[package] = "not installed"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": versions["django"],
        "weasyprint": versions["weasyprint"],
        "celery": versions["celery"],
        "gunicorn": versions["gunicorn"],
    }


def load_average() -> str:
    """The 1/5/15-minute load: other work on the machine skews every figure, so say so."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def print_machine() -> None:
    m = machine()
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}\n"
        f"         Python {m['python']}, Django {m['django']}, WeasyPrint {m['weasyprint']}, "
        f"Celery {m['celery']}, gunicorn {m['gunicorn']}\n"
        f"         load average at start: {load_average()}"
    )


def print_load_after() -> None:
    print(f"  (load average at end: {load_average()})")


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def figure(name: str, value: str, target: str = "") -> None:
    """One result line; `make bench` output is read by people, so keep the columns aligned."""
    print(f"  {name:<52} {value:>18}" + (f"   target {target}" if target else ""))


def rss_kib(pid: int) -> int:
    """Resident memory of one process, from /proc (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far, from /proc (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces; the ppid follows it.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


# --- Seeding. --------------------------------------------------------------------------------


def bench_firm_and_advisor() -> tuple[Any, Any]:
    from advisory.models import Firm, Membership, User

    firm, _ = Firm.objects.get_or_create(name=BENCH_FIRM, defaults={"accent_color": "#1f4e79"})
    advisor, created = User.objects.get_or_create(
        email=BENCH_ADVISOR, defaults={"first_name": "Bench", "last_name": "Advisor"}
    )
    if created:
        advisor.set_password("bench-password-2026")
        advisor.save()
    Membership.objects.get_or_create(
        user=advisor, defaults={"firm": firm, "role": Membership.Role.OWNER}
    )
    return firm, advisor


def seed_engagements(count: int) -> list[int]:
    """At least `count` engagements for the bench firm, each with its own client and CEO.

    Bulk-created (the services would take minutes for thousands) with states spread over the
    whole workflow, so the dashboard shows a realistic mix. Returns the engagement ids.
    """
    from django.db import transaction

    from advisory.models import Client, Engagement, Person

    firm, advisor = bench_firm_and_advisor()
    have = Engagement.objects.filter(firm=firm).count()
    states = [state for state, _ in Engagement.State.choices]
    if have < count:
        with transaction.atomic():
            clients = Client.objects.bulk_create(
                Client(
                    firm=firm,
                    name=f"Bench Client {n:05d}",
                    sector="Software",
                    country="United Kingdom",
                    employees=100 + n,
                )
                for n in range(have, count)
            )
            Person.objects.bulk_create(
                Person(
                    client=client,
                    name=f"CEO of {client.name}",
                    email=f"ceo{client.pk}@bench.example",
                    role=Person.Role.CEO,
                )
                for client in clients
            )
            Engagement.objects.bulk_create(
                Engagement(
                    firm=firm,
                    client=client,
                    lead_advisor=advisor,
                    title="CTO and CAIO mandate review",
                    state=states[n % len(states)],
                )
                for n, client in enumerate(clients)
            )
        # Statistics as autovacuum would leave them: straight after a bulk insert the planner
        # believes the tables empty and joins all 5,000 rows before sorting (70 ms, not 0.3).
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return list(
        Engagement.objects.filter(firm=firm).order_by("pk").values_list("pk", flat=True)[:count]
    )


def new_memo_versions(engagement_ids: list[int], *, sample: str = DEMO_SAMPLE) -> list[int]:
    """One queued memo version per engagement, snapshotting a sample's answers, as
    memo_request would store it (without the request's audit and enqueue)."""
    from django.db.models import Max

    from assessments.methodology import NEWEST, answers_sha256
    from assessments.questionnaire import QUESTIONNAIRE_VERSION
    from assessments.samples import SAMPLES
    from reports.models import MemoVersion
    from reports.services.rendering import TEMPLATE_VERSION

    answers = dict(SAMPLES[sample])
    sha = answers_sha256(answers)
    last = dict(
        MemoVersion.objects.filter(engagement_id__in=engagement_ids)
        .values_list("engagement_id")
        .annotate(n=Max("number"))
    )
    versions = MemoVersion.objects.bulk_create(
        MemoVersion(
            engagement_id=pk,
            number=(last.get(pk) or 0) + 1,
            methodology_version=NEWEST,
            questionnaire_version=QUESTIONNAIRE_VERSION,
            template_version=TEMPLATE_VERSION,
            answers=answers,
            answers_sha256=sha,
        )
        for pk in engagement_ids
    )
    return [v.pk for v in versions]
