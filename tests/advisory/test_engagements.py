from __future__ import annotations

import pytest
from django.urls import reverse

from advisory.models import AuditEvent, Engagement

pytestmark = pytest.mark.django_db


def test_open_an_engagement_for_a_client(advisor_http, advisor, client_org):
    response = advisor_http.post(
        reverse("engagement_create"),
        {
            "client": client_org.pk,
            "title": "Board review",
            "lead_advisor": advisor.pk,
            "board_meeting_date": "2026-12-15",
        },
    )
    engagement = Engagement.objects.get(title="Board review")
    assert response.url == engagement.get_absolute_url()
    assert engagement.state == Engagement.State.NOT_STARTED
    page = advisor_http.get(engagement.get_absolute_url()).content.decode()
    assert "Board review" in page
    assert "Opened engagement Board review" in page  # the audit trail is on the page


def test_bad_date_is_named_and_the_title_kept(advisor_http, advisor, client_org):
    response = advisor_http.post(
        reverse("engagement_create"),
        {
            "client": client_org.pk,
            "title": "Board review",
            "lead_advisor": advisor.pk,
            "board_meeting_date": "next tuesday",
        },
    )
    assert "board_meeting_date" in response.context["form"].errors
    assert 'value="Board review"' in response.content.decode()


def test_edit_and_archive_are_audited(advisor_http, engagement):
    advisor_http.post(
        reverse("engagement_edit", args=[engagement.pk]),
        {
            "title": "Renamed review",
            "lead_advisor": engagement.lead_advisor_id,
            "board_meeting_date": "",
        },
    )
    advisor_http.post(reverse("engagement_archive", args=[engagement.pk]))
    engagement.refresh_from_db()
    assert engagement.title == "Renamed review"
    assert engagement.archived_at is not None
    actions = set(AuditEvent.objects.filter(engagement=engagement).values_list("action", flat=True))
    assert {"engagement.changed", "engagement.archived"} <= actions
