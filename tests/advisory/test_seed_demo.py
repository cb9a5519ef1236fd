"""The demo data: a firm's workspace as a real firm's would look, safe to load twice."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from advisory.management.commands.seed_demo import (
    ADVISOR_EMAIL,
    CLIENTS,
    COLLEAGUE_EMAIL,
    FIRM_NAME,
)
from advisory.models import AuditEvent, Client, Engagement, Firm, Membership, Person
from assessments.models import Answer, Assessment, Invitation
from reports.models import Delivery, MemoVersion

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Firm]:
    """Loaded once for the module inside a transaction rolled back at its end, as Django's
    ``setUpTestData`` does: each test runs in a savepoint within it and sees the demo as
    loaded. Loading it takes seconds; the tests only read it (or load it again)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        yield Firm.objects.get(name=FIRM_NAME)
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Firm,
            Membership,
            Client,
            Person,
            Engagement,
            Assessment,
            Answer,
            Invitation,
            MemoVersion,
            Delivery,
            AuditEvent,
        )
    }


def test_seed_demo_gives_the_firm_a_logo_and_two_advisors_and_is_idempotent(demo):
    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before
    with default_storage.open(demo.logo.name) as handle:
        assert Image.open(handle).format == "PNG"
    roles = dict(Membership.objects.filter(firm=demo).values_list("user__email", "role"))
    assert roles == {ADVISOR_EMAIL: "owner", COLLEAGUE_EMAIL: "advisor"}
    assert Client.objects.filter(firm=demo).count() == len(CLIENTS) == 9


def test_the_people_have_real_sounding_names(demo):
    names = list(Person.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 4 * len(CLIENTS)
    for name in names:
        assert not re.search(r"\b(CEO|CTO|Board|Member)\b|\d", name), name
        assert len(name.split()) >= 2, name
    for person in Person.objects.all():
        assert person.email.isascii() and person.email.split("@")[0].count(".") >= 1


def test_engagements_vary_and_their_board_meetings_spread_over_the_coming_months(demo):
    engagements = Engagement.objects.filter(firm=demo)
    titles = set(engagements.values_list("title", flat=True))
    assert len(titles) == engagements.count()
    assert len(set(Client.objects.values_list("sector", flat=True))) == len(CLIENTS)
    today = timezone.localdate()
    meetings = sorted(engagements.values_list("board_meeting_date", flat=True))
    assert all(day is not None and day > today for day in meetings)
    assert (meetings[-1] - meetings[0]).days >= 60
    assert len({day.month for day in meetings}) >= 3
    leads = set(engagements.values_list("lead_advisor__email", flat=True))
    assert leads == {ADVISOR_EMAIL, COLLEAGUE_EMAIL}


def test_every_state_is_shown_with_memos_in_each_of_theirs(demo):
    states = set(Engagement.objects.values_list("state", flat=True))
    assert states == set(Engagement.State.values)
    memo_states = set(MemoVersion.objects.values_list("state", flat=True))
    assert {"queued", "ready", "failed"} <= memo_states
    assert MemoVersion.objects.filter(approved_at__isnull=False).count() == 2
    sent = Engagement.objects.get(state="sent")
    assert Delivery.objects.filter(memo_version__engagement=sent).count() == 2
    failed = MemoVersion.objects.get(state="failed")
    assert "Exceeded" not in failed.failure_reason
    assert failed.failure_reason.startswith("The memo took longer than")


def test_some_engagements_carry_the_cto_s_perspective(demo):
    given = Assessment.objects.perspectives().submitted()
    assert given.count() == 3
    assert set(given.values_list("respondent", flat=True)) == {"cto"}
    # The memos prepared since carry them.
    for engagement in Engagement.objects.filter(state__in=["memo_ready", "sent"]):
        version = engagement.memo_versions.get()
        assert [p["role"] for p in version.answers["perspectives"]] == ["cto"]
    invited = Assessment.objects.perspectives().filter(submitted_at__isnull=True)
    assert invited.count() == 1
