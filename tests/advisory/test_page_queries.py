"""The advisor's busiest pages read a fixed number of rows sets, however much an engagement
has gathered: leaders' perspectives, memo versions, deliveries, emails. (What each page costs
in CPU is a figure in bench/web.py, never a test.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisory.models import Person
from advisory.tokens import token_new
from assessments.models import Answer, Assessment
from assessments.questionnaire import QUESTIONNAIRE_VERSION
from reports.models import Delivery, MemoVersion
from tests.assessments.factories import perspective, valid_answers

pytestmark = pytest.mark.django_db


def _queries(http, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _more_of_everything(engagement, advisor, round: int) -> None:
    """A submitted perspective, a memo version and a board link more."""
    leader = Person.objects.create(
        client=engagement.client, name=f"Leader {round}", email=f"l{round}@x.example", role="cto"
    )
    view = Assessment.objects.create(
        engagement=engagement,
        respondent="cto",
        person=leader,
        questionnaire_version=QUESTIONNAIRE_VERSION,
        submitted_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(assessment=view, code=code, value=value, raw=value)
        for code, value in perspective("cto", valid_answers())["answers"].items()
    )
    version = MemoVersion.objects.create(
        engagement=engagement,
        number=MemoVersion.objects.filter(engagement=engagement).count() + 1,
        state=MemoVersion.State.READY,
        methodology_version="cto-caio-2026.2",
        questionnaire_version=QUESTIONNAIRE_VERSION,
        template_version="memo-2026.2",
        answers=valid_answers(),
        answers_sha256="ab" * 32,
        page_count=6,
        requested_by=advisor,
        approved_at=timezone.now(),
    )
    board = Person.objects.create(
        client=engagement.client,
        name=f"Director {round}",
        email=f"d{round}@x.example",
        role="board",
    )
    Delivery.objects.create(
        memo_version=version,
        person=board,
        token_hash=token_new()[1],
        sent_by=advisor,
        expires_at=timezone.now() + timedelta(days=14),
    )


@pytest.mark.parametrize("page", ["engagement_detail", "assessment_results"])
def test_the_engagement_and_results_pages_read_as_many_rows_sets_for_one_leader_as_for_four(
    page, advisor_http, submitted, advisor
):
    engagement = submitted.engagement
    Assessment.objects.filter(pk=submitted.pk).update(methodology_version="cto-caio-2026.2")
    url = reverse(page, args=[engagement.pk])
    _more_of_everything(engagement, advisor, 1)
    few = _queries(advisor_http, url)
    for round in (2, 3, 4):
        _more_of_everything(engagement, advisor, round)
    many = _queries(advisor_http, url)

    assert many == few
    assert "Leader 4" in advisor_http.get(url).content.decode()


def test_with_redis_as_the_cache_an_advisor_page_reads_its_session_from_redis(
    advisor_http, settings
):
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.cached_db":
        pytest.skip("sessions are read from the database when the cache is the database")
    with CaptureQueriesContext(connection) as captured:
        assert advisor_http.get(reverse("dashboard")).status_code == 200
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "django_session" not in tables
