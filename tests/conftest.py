"""The cast every test can use: an advisor, a colleague in the same firm, and an outsider
from another firm, with a client, its CEO and board, and an engagement; for the memo tests,
a submitted assessment, a ready memo version and a board member's delivery, made without a
worker."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone
from pypdf import PdfWriter

from advisory.celery import app
from advisory.models import Client, Email, Engagement, Firm, Membership, Person, User
from advisory.tokens import token_new
from assessments.models import Answer, Assessment
from assessments.questionnaire import QUESTIONNAIRE_VERSION, REQUIRED_CODES
from reports.models import Delivery, MemoVersion
from tests.assessments.factories import valid_answers
from tests.workers import Worker

PASSWORD = "correct-horse-battery-staple-42"


# Each pytest-xdist worker is a process of its own with its own test database; what the
# workers would otherwise share (Redis, the media directory) is split per worker here.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
WORKER_INDEX = int(WORKER.removeprefix("gw")) if WORKER.startswith("gw") else 0


def _own_broker(url: str) -> str:
    """A Redis database of this worker's own for the broker: 15 for the first worker (and a
    run without xdist), then 13, 11, … A real Celery worker started by one test then never
    takes a task another test published."""
    base, _, number = url.rpartition("/")
    if not number.isdigit():
        return url
    return f"{base}/{max(int(number) - 2 * WORKER_INDEX, 0)}"


def pytest_configure(config: pytest.Config) -> None:
    # Tests serve static files straight from static/, without a collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # PBKDF2 is slow on purpose; the cast signs in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix=f"advisory-media-{WORKER}-"))
    settings.CACHES = {
        name: {**cache, "KEY_PREFIX": f"test-{WORKER}"} for name, cache in settings.CACHES.items()
    }
    if settings.CELERY_BROKER_URL.startswith("redis"):
        url = settings.CELERY_BROKER_URL = _own_broker(settings.CELERY_BROKER_URL)
        # The app has read its configuration already: the URLs it connects with change too.
        app.conf.update(broker_url=url, broker_read_url=url, broker_write_url=url)


def send_queued() -> list[Email]:
    """Sends every queued email, as the worker's task does (called as a plain function);
    returns the rows as they ended."""
    from advisory.outbox import EmailDeferred, email_deliver

    queued = Email.objects.filter(state=Email.State.QUEUED).order_by("pk")
    pks = list(queued.values_list("pk", flat=True))
    for pk in pks:
        with suppress(EmailDeferred):
            email_deliver(email_id=pk)
    return list(Email.objects.filter(pk__in=pks).order_by("pk"))


def make_advisor(firm: Firm, email: str, role: str = Membership.Role.ADVISOR) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, first_name=email.split("@")[0])
    Membership.objects.create(user=user, firm=firm, role=role)
    return user


def clear_cache() -> None:
    """Empties this worker's cache (rate-limit counters, say). On Redis only this worker's
    keys go: flushing the database would reset another worker's counters mid-test."""
    from django.core.cache import cache

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()  # the database cache: this worker's own test database
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # Rate-limit counters live in the cache; in Redis they would outlive a test.
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        clear_cache()


@pytest.fixture
def firm(db) -> Firm:
    return Firm.objects.create(name="Northgate Advisory")


@pytest.fixture
def other_firm(db) -> Firm:
    return Firm.objects.create(name="Rival Partners")


@pytest.fixture
def advisor(firm: Firm) -> User:
    return make_advisor(firm, "ada@northgate.example", Membership.Role.OWNER)


@pytest.fixture
def colleague(firm: Firm) -> User:
    return make_advisor(firm, "colin@northgate.example")


@pytest.fixture
def outsider(other_firm: Firm) -> User:
    return make_advisor(other_firm, "otto@rival.example")


@pytest.fixture
def client_org(firm: Firm) -> Client:
    return Client.objects.create(
        firm=firm, name="Acme Logistics", sector="Logistics", country="Netherlands", employees=1200
    )


@pytest.fixture
def ceo(client_org: Client) -> Person:
    return Person.objects.create(
        client=client_org, name="Carla Ceo", email="carla@acme.example", role=Person.Role.CEO
    )


@pytest.fixture
def board_members(client_org: Client) -> list[Person]:
    return [
        Person.objects.create(
            client=client_org, name="Bob Board", email="bob@acme.example", role=Person.Role.BOARD
        ),
        Person.objects.create(
            client=client_org, name="Beth Board", email="beth@acme.example", role=Person.Role.BOARD
        ),
    ]


@pytest.fixture
def engagement(firm: Firm, client_org: Client, advisor: User, ceo: Person) -> Engagement:
    return Engagement.objects.create(
        firm=firm, client=client_org, lead_advisor=advisor, title="AI leadership review 2026"
    )


# --- Memos. ---


def _one_page_pdf() -> bytes:
    """A real PDF of one empty A4 page: enough for the view tests, which never read it."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _one_page_pdf()


def ready_with_stand_in(version: MemoVersion) -> MemoVersion:
    """The version made ready as a render would leave it, with the one-page ``PDF`` as its
    file: for tests that need a ready version but never open its pages."""
    name = default_storage.save(f"memos/{version.engagement_id}/v1.pdf", ContentFile(PDF))
    MemoVersion.objects.filter(pk=version.pk).update(
        state=MemoVersion.State.READY, pdf=name, page_count=1
    )
    Engagement.objects.filter(pk=version.engagement_id).update(state=Engagement.State.MEMO_READY)
    return MemoVersion.objects.get(pk=version.pk)


def submit_answers(engagement: Engagement, answers: dict[str, Any]) -> Assessment:
    assessment = Assessment.objects.create(
        engagement=engagement,
        questionnaire_version=QUESTIONNAIRE_VERSION,
        answered_count=len(REQUIRED_CODES),
        required_count=len(REQUIRED_CODES),
        submitted_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, code=code, value=value, raw=value)
        for code, value in answers.items()
    )
    Engagement.objects.filter(pk=engagement.pk).update(state=Engagement.State.SUBMITTED)
    engagement.state = Engagement.State.SUBMITTED
    return assessment


@pytest.fixture
def submitted(engagement: Engagement) -> Assessment:
    return submit_answers(engagement, valid_answers())


@pytest.fixture(params=["filesystem", "memory"])
def memo_storage(request, settings, tmp_path) -> str:
    """Where memo files go, always through Django's storage API: the file system, and
    Django's InMemoryStorage standing in for object storage in a deployment on several
    hosts. Tests that use it run once with each."""
    if request.param == "memory":
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        }
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
    return request.param


def stored_files(folder: str = "memos") -> list[str]:
    """Every file under ``folder`` in the default storage, by name."""
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for sub in folders:
        names += stored_files(f"{folder}/{sub}")
    return sorted(names)


@pytest.fixture
def version(submitted, advisor, memo_storage) -> MemoVersion:
    engagement = submitted.engagement
    name = default_storage.save(f"memos/{engagement.pk}/v1-abc.pdf", ContentFile(PDF))
    Engagement.objects.filter(pk=engagement.pk).update(state=Engagement.State.MEMO_READY)
    return MemoVersion.objects.create(
        engagement=engagement,
        number=1,
        state=MemoVersion.State.READY,
        methodology_version="cto-caio-2026.1",
        questionnaire_version=1,
        template_version="memo-2026.1",
        answers=valid_answers(),
        answers_sha256="ab" * 32,
        commentary="<script>alert(1)</script>",
        pdf=name,
        page_count=5,
        requested_by=advisor,
    )


@pytest.fixture
def delivery(version, board_members, advisor) -> tuple[Delivery, str]:
    version.approved_at = timezone.now()
    version.approved_by = advisor
    version.save()
    token, hashed = token_new()
    return (
        Delivery.objects.create(
            memo_version=version,
            person=board_members[0],
            token_hash=hashed,
            sent_by=advisor,
            expires_at=timezone.now() + timedelta(days=14),
        ),
        token,
    )


def signed_in(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def advisor_http(advisor: User) -> HttpClient:
    return signed_in(advisor)


@pytest.fixture
def outsider_http(outsider: User) -> HttpClient:
    return signed_in(outsider)


# The pipeline tests need the real services: Redis as the broker, PostgreSQL as the database.
needs_redis = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis"),
    reason="needs Redis (run with the variables from bin/test-services)",
)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs against PostgreSQL")


@contextmanager
def running_worker(django_db_blocker) -> Iterator[object]:
    """A real Celery worker (in a thread of this process) consuming from the test broker."""
    from celery.contrib.testing.worker import start_worker

    app.control.purge()
    with (
        django_db_blocker.unblock(),
        start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10
        ) as worker,
    ):
        yield worker


@pytest.fixture
def workers(tmp_path, settings) -> Iterator[Callable[..., Worker]]:
    """Starts real worker processes (``start(env=…)``) on the test database and broker;
    stops whatever is left of them at the end."""
    require_postgresql()
    settings.MEDIA_ROOT = tmp_path / "media"
    app.control.purge()
    started: list[Worker] = []

    def start(env: dict[str, str] | None = None) -> Worker:
        worker = Worker(settings.MEDIA_ROOT, tmp_path / "worker.log", env=env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
