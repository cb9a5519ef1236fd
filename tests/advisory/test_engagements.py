from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advisory.models import AuditEvent, Engagement

pytestmark = pytest.mark.django_db


def test_open_an_engagement_for_a_client(advisor_http, advisor, client_org):
    response = advisor_http.post(
        reverse("engagement_create"),
        {
            "client": client_org.pk,
            "title": "Board review",
            "lead_advisor": advisor.pk,
            "board_meeting_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
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


def _new(advisor_http, advisor, client_org, day: str):
    return advisor_http.post(
        reverse("engagement_create"),
        {
            "client": client_org.pk,
            "title": "Board review",
            "lead_advisor": advisor.pk,
            "board_meeting_date": day,
        },
    )


def test_a_new_engagement_refuses_a_board_meeting_in_the_past(advisor_http, advisor, client_org):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = _new(advisor_http, advisor, client_org, yesterday.isoformat())

    assert response.status_code == 200
    assert not Engagement.objects.filter(title="Board review").exists()
    message = response.context["form"].errors["board_meeting_date"][0]
    assert message == (
        f"The board meeting date, {yesterday:%-d %B %Y}, is in the past. Enter the date of the "
        "coming meeting, or leave it empty."
    )
    assert "The board meeting date" in response.content.decode()


def test_a_new_engagement_takes_a_meeting_today_or_none(advisor_http, advisor, client_org):
    _new(advisor_http, advisor, client_org, timezone.localdate().isoformat())
    assert Engagement.objects.get(title="Board review").board_meeting_date == timezone.localdate()
    page = advisor_http.get(reverse("engagement_create")).content.decode()
    assert f'min="{timezone.localdate().isoformat()}"' in page


def test_editing_an_old_engagement_keeps_its_past_meeting_but_no_new_past_date(
    advisor_http, engagement
):
    held = timezone.localdate() - timedelta(days=40)
    Engagement.objects.filter(pk=engagement.pk).update(board_meeting_date=held)
    url = reverse("engagement_edit", args=[engagement.pk])
    data = {"title": "Renamed", "lead_advisor": engagement.lead_advisor_id}

    assert 'min="' not in advisor_http.get(url).content.decode()
    response = advisor_http.post(url, {**data, "board_meeting_date": held.isoformat()})
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert (engagement.title, engagement.board_meeting_date) == ("Renamed", held)

    other = held - timedelta(days=1)
    response = advisor_http.post(url, {**data, "board_meeting_date": other.isoformat()})
    assert "is in the past" in response.context["form"].errors["board_meeting_date"][0]
    engagement.refresh_from_db()
    assert engagement.board_meeting_date == held


def test_a_new_engagement_says_in_its_own_words_what_is_missing(advisor_http, client_org):
    response = advisor_http.post(reverse("engagement_create"), {"title": "", "client": ""})
    errors = response.context["form"].errors
    assert errors["client"] == ["Choose the client the engagement is for."]
    assert errors["title"] == ["Give the engagement a title, such as “AI leadership review”."]
    assert errors["lead_advisor"] == ["Choose who leads the engagement."]
    assert "Choose a client" in response.content.decode()
