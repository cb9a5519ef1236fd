from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisory.models import Client, Engagement
from assessments.models import Assessment

pytestmark = pytest.mark.django_db


def add_engagements(firm, advisor, count: int, state: str = "not_started") -> None:
    clients = Client.objects.bulk_create(
        Client(firm=firm, name=f"Client {i:05d}") for i in range(count)
    )
    engagements = Engagement.objects.bulk_create(
        Engagement(firm=firm, client=c, lead_advisor=advisor, title=f"Review {i:05d}", state=state)
        for i, c in enumerate(clients)
    )
    Assessment.objects.bulk_create(
        Assessment(engagement=e, questionnaire_version=1, answered_count=10, required_count=40)
        for e in engagements
    )


def dashboard_queries(http, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow_with_rows(advisor_http, firm, advisor):
    add_engagements(firm, advisor, 5)
    few = dashboard_queries(advisor_http)
    add_engagements(firm, advisor, 3000)
    many = dashboard_queries(advisor_http)
    assert many == few
    assert dashboard_queries(advisor_http, page=40) == few


def test_dashboard_shows_state_progress_and_paginates(advisor_http, firm, advisor):
    add_engagements(firm, advisor, 30, state="in_progress")
    body = advisor_http.get(reverse("dashboard")).content.decode()
    assert "In progress · 25%" in body
    assert "30 engagements" in body
    assert "Page 1 of 2" in body


def test_dashboard_search_and_state_filter(advisor_http, firm, advisor, engagement):
    add_engagements(firm, advisor, 3, state="submitted")
    response = advisor_http.get(reverse("dashboard"), {"q": "acme"})
    assert [e.pk for e in response.context["engagements"]] == [engagement.pk]
    response = advisor_http.get(reverse("dashboard"), {"state": "submitted"})
    assert len(response.context["engagements"]) == 3
    response = advisor_http.get(reverse("dashboard"), {"state": "not-a-state"})
    assert response.status_code == 200


def test_archived_engagements_are_hidden_unless_asked(advisor_http, engagement):
    from django.utils import timezone

    engagement.archived_at = timezone.now()
    engagement.save()
    assert engagement.title not in advisor_http.get(reverse("dashboard")).content.decode()
    shown = advisor_http.get(reverse("dashboard"), {"archived": "on"}).content.decode()
    assert engagement.title in shown


def test_the_filter_boxes_show_what_was_asked_for(advisor_http, engagement):
    response = advisor_http.get(
        reverse("dashboard"), {"q": "Acme <b>", "state": "in_progress", "archived": "on"}
    )

    html = response.content.decode()
    assert 'value="Acme &lt;b&gt;"' in html
    assert '<option value="in_progress" selected>' in html
    assert 'id="id_archived" class="form-check-input" checked' in html
