"""One rule per kind of personal link: the state a page shows is the state the link answers
with, and archiving or removing withdraws links at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advisory.links import LinkState
from advisory.models import AuditEvent, Engagement
from advisory.services import client_archive
from advisory.tokens import token_new
from assessments.models import Assessment, Invitation
from assessments.services.invitations import invitation_send
from reports.models import Delivery
from tests.assessments.helpers import token_of

pytestmark = pytest.mark.django_db


def _withdraw_by(kind: str, engagement: Engagement, person) -> None:
    now = timezone.now()
    if kind == "person":
        person.archived_at = now
        person.save()
    elif kind == "engagement":
        Engagement.objects.filter(pk=engagement.pk).update(archived_at=now)
    elif kind == "client":
        type(engagement.client).objects.filter(pk=engagement.client_id).update(archived_at=now)


STATES = ["usable", "expired", "revoked", "person", "engagement", "client"]
EXPECTED = {
    "usable": LinkState.USABLE,
    "expired": LinkState.EXPIRED,
    "revoked": LinkState.REVOKED,
    "person": LinkState.WITHDRAWN,
    "engagement": LinkState.WITHDRAWN,
    "client": LinkState.WITHDRAWN,
}


def _put_in_state(link, state: str, engagement: Engagement, person) -> None:
    if state == "expired":
        link.expires_at = timezone.now() - timedelta(seconds=1)
        link.save()
    elif state == "revoked":
        link.revoked_at = timezone.now()
        link.save()
    else:
        _withdraw_by(state, engagement, person)


@pytest.mark.parametrize("state", STATES)
def test_invitation_state_and_usable_query_agree(client, engagement, ceo, advisor, state):
    token = token_of(invitation_send(engagement=engagement, person=ceo, actor=advisor))
    invitation = Invitation.objects.get()
    _put_in_state(invitation, state, engagement, ceo)

    fresh = Invitation.objects.select_related("engagement__client", "person").get()
    assert fresh.link_state == EXPECTED[state]
    assert Invitation.objects.usable().exists() == (EXPECTED[state] == LinkState.USABLE)
    status = client.get(reverse("questionnaire_welcome", args=[token])).status_code
    assert status == (200 if state == "usable" else 410)


@pytest.mark.parametrize("state", STATES)
def test_board_link_state_usable_query_and_download_agree(
    client, advisor_http, delivery, state
) -> None:
    link, token = delivery
    engagement = link.memo_version.engagement
    _put_in_state(link, state, engagement, link.person)

    fresh = Delivery.objects.select_related("person", "memo_version__engagement__client").get()
    usable = EXPECTED[state] == LinkState.USABLE
    assert fresh.link_state == EXPECTED[state]
    assert Delivery.objects.usable().exists() == usable
    assert client.get(reverse("memo_download", args=[token])).status_code == (
        200 if usable else 410
    )
    # The engagement page offers "Revoke link" only for a link that still opens.
    page = advisor_http.get(reverse("engagement_detail", args=[engagement.pk])).content.decode()
    assert ("Revoke link" in page) == usable
    assert ("Valid until" in page) == usable


def test_archiving_a_client_archives_its_engagements_and_withdraws_their_links(
    client, engagement, ceo, advisor, delivery
) -> None:
    # A CEO link the assessment was answered through (the CEO can still open it to read).
    token, hashed = token_new()
    Invitation.objects.create(
        engagement=engagement,
        assessment=Assessment.objects.ceo().get(engagement=engagement),
        person=ceo,
        token_hash=hashed,
        expires_at=timezone.now() + timedelta(days=30),
    )
    _, board_token = delivery

    client_archive(client=engagement.client, actor=advisor)

    engagement.refresh_from_db()
    assert engagement.archived_at is not None
    welcome = client.get(reverse("questionnaire_welcome", args=[token]))
    assert welcome.status_code == 410
    assert "withdrawn" in welcome.content.decode()
    download = client.get(reverse("memo_download", args=[board_token]))
    assert download.status_code == 410
    assert "withdrawn" in download.content.decode()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"client.archived", "engagement.archived"} <= actions
    archived = AuditEvent.objects.get(action="engagement.archived")
    assert archived.engagement == engagement
    assert "links are withdrawn" in archived.summary


def test_archived_clients_engagements_leave_the_dashboard(advisor_http, engagement, advisor):
    client_archive(client=engagement.client, actor=advisor)
    page = advisor_http.get(reverse("dashboard")).content.decode()
    assert engagement.title not in page


def test_archiving_the_engagement_withdraws_the_ceo_link(client, engagement, ceo, advisor):
    token = token_of(invitation_send(engagement=engagement, person=ceo, actor=advisor))
    Engagement.objects.filter(pk=engagement.pk).update(archived_at=timezone.now())
    assert client.get(reverse("questionnaire_welcome", args=[token])).status_code == 410
    save = reverse("questionnaire_autosave", args=[token])
    assert client.post(save, {"field": "profile-employees", "value": "50"}).status_code == 410


def test_removing_the_ceo_withdraws_their_link(client, engagement, ceo, advisor):
    token = token_of(invitation_send(engagement=engagement, person=ceo, actor=advisor))
    ceo.archived_at = timezone.now()
    ceo.save()
    response = client.get(reverse("questionnaire_welcome", args=[token]))
    assert response.status_code == 410
    assert "ask" in response.content.decode().lower()
