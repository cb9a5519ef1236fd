"""The cast every test can use: an advisor, a colleague in the same firm, and an outsider
from another firm, with a client, its CEO and board, and an engagement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient

from advisory.celery import app
from advisory.models import Client, Engagement, Firm, Membership, Person, User

PASSWORD = "correct-horse-battery-staple-42"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Tests serve static files straight from static/, without a collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


def make_advisor(firm: Firm, email: str, role: str = Membership.Role.ADVISOR) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, first_name=email.split("@")[0])
    Membership.objects.create(user=user, firm=firm, role=role)
    return user


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # Rate-limit counters live in the cache; in Redis they would outlive a test.
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        from django.core.cache import cache

        cache.clear()


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
    reason="needs Redis (run with the variables from tests/services.py)",
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
