from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from advisory.models import AuditEvent, Email, Engagement, Person
from advisory.tokens import token_hash
from assessments.models import Invitation
from assessments.services.invitations import (
    InvitationError,
    invitation_record_open,
    invitation_resolve,
    invitation_revoke,
    invitation_send,
)
from tests.assessments.helpers import invite, token_of
from tests.conftest import send_queued

pytestmark = pytest.mark.django_db


def test_invitation_emails_the_ceo_a_personal_link(engagement, ceo, advisor, settings):
    settings.SITE_URL = "https://memos.example"
    link = invitation_send(engagement=engagement, person=ceo, actor=advisor)
    # Recorded in the outbox first; the worker's task sends it.
    assert Email.objects.get().state == Email.State.QUEUED and not mail.outbox
    send_queued()

    assert link.startswith("https://memos.example/a/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ceo.email]
    assert engagement.client.name in message.subject
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.INVITED
    assert AuditEvent.objects.filter(engagement=engagement, action="invitation.sent").exists()


def test_only_a_hash_of_the_token_is_stored(engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)

    invitation = Invitation.objects.get()
    assert len(token) >= 22  # at least 128 bits in URL-safe base64
    assert invitation.token_hash == token_hash(token)
    assert token not in str(list(Invitation.objects.values()))


def test_invitation_expires_after_the_firms_ceo_link_days(engagement, ceo, advisor):
    engagement.firm.ceo_link_days = 7
    engagement.firm.save()
    invite(engagement, ceo, advisor)

    invitation = Invitation.objects.get()
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)


def test_issuing_a_new_link_revokes_the_old_one(engagement, ceo, advisor):
    old = invite(engagement, ceo, advisor)
    new = invite(engagement, ceo, advisor)

    assert invitation_resolve(old).revoked_at is not None
    assert invitation_resolve(new).is_usable
    assert Invitation.objects.usable().count() == 1


def test_revoking_stops_the_link(engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)
    invitation_revoke(invitation=invitation_resolve(token), actor=advisor)

    assert not invitation_resolve(token).is_usable
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_only_a_person_of_the_client_can_be_invited(engagement, advisor, other_firm):
    from advisory.models import Client

    stranger_client = Client.objects.create(firm=other_firm, name="Elsewhere Ltd")
    stranger = Person.objects.create(
        client=stranger_client, name="Sam", email="sam@elsewhere.example", role=Person.Role.CEO
    )
    with pytest.raises(InvitationError):
        invitation_send(engagement=engagement, person=stranger, actor=advisor)
    assert not Invitation.objects.exists()


def test_opening_is_recorded_once_a_day_in_the_audit_trail(engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)
    invitation = invitation_resolve(token)

    invitation_record_open(invitation=invitation)
    first = Invitation.objects.get().first_opened_at
    # Moving from step to step within the minute writes nothing more.
    invitation_record_open(invitation=invitation_resolve(token))
    assert Invitation.objects.get().last_opened_at == first

    earlier = first - timedelta(minutes=2)
    Invitation.objects.update(first_opened_at=earlier, last_opened_at=earlier)
    invitation_record_open(invitation=invitation_resolve(token))

    stored = Invitation.objects.get()
    assert stored.first_opened_at == earlier
    assert stored.last_opened_at > first
    # Once a day: a second record only if those two minutes crossed midnight.
    same_day = timezone.localdate(earlier) == timezone.localdate(stored.last_opened_at)
    opened = AuditEvent.objects.filter(action="invitation.opened").count()
    assert opened == (1 if same_day else 2)

    Invitation.objects.update(last_opened_at=timezone.now() - timedelta(days=2))
    invitation_record_open(invitation=invitation_resolve(token))
    assert AuditEvent.objects.filter(action="invitation.opened").count() == opened + 1


def test_opening_the_welcome_page_records_the_visit(client, engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)

    response = client.get(reverse("questionnaire_welcome", args=[token]))

    assert response.status_code == 200
    assert Invitation.objects.get().first_opened_at is not None


# --- Advisor views ---------------------------------------------------------------------------


def test_advisor_invites_from_the_engagement_and_sees_the_link_once(advisor_http, engagement, ceo):
    response = advisor_http.post(
        reverse("invitation_send", args=[engagement.pk]), {"person": ceo.pk}
    )
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    link = response.context["link"]
    assert invitation_resolve(token_of(link)).person == ceo
    assert link in response.content.decode()
    # Nothing else ever shows it again.
    assert link not in advisor_http.get(engagement.get_absolute_url()).content.decode()


def test_the_same_invite_form_posted_twice_issues_one_link(advisor_http, engagement, ceo):
    url = reverse("invitation_send", args=[engagement.pk])
    form = {"person": ceo.pk, "request_key": "k3y-of-one-drawn-form"}
    first = advisor_http.post(url, form)
    again = advisor_http.post(url, form, follow=True)

    assert first.status_code == 200
    assert Invitation.objects.count() == 1 and Email.objects.count() == 1
    assert invitation_resolve(token_of(first.context["link"])).is_usable
    assert "issued a moment ago and shown once" in again.content.decode()
    # A form drawn afresh issues a new link, as the advisor asked.
    advisor_http.post(url, {"person": ceo.pk, "request_key": "another-form"})
    assert Invitation.objects.count() == 2


def test_the_raw_link_is_kept_nowhere_after_it_is_shown(advisor_http, engagement, ceo):
    response = advisor_http.post(
        reverse("invitation_send", args=[engagement.pk]), {"person": ceo.pk}
    )
    token = token_of(response.context["link"])
    # Not in the advisor's session (signed, not encrypted), nor in any other session row.
    assert token not in str(dict(advisor_http.session.items()))
    for session in Session.objects.all():
        assert token not in str(session.get_decoded())
    # Only its hash is stored, and the audit trail does not name it.
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert not AuditEvent.objects.filter(summary__contains=token).exists()
    assert cache.get(token) is None


def test_invitation_subject_is_plain_text(engagement, ceo, advisor, mailoutbox):
    engagement.client.name = "Smith & Sons"
    engagement.client.save()
    invitation_send(engagement=engagement, person=ceo, actor=advisor)
    send_queued()
    assert "Smith & Sons" in mailoutbox[-1].subject
    assert "&amp;" not in mailoutbox[-1].subject


def test_engagement_page_shows_the_invitation_state(advisor_http, engagement, ceo, advisor, client):
    token = invite(engagement, ceo, advisor)
    client.get(reverse("questionnaire_welcome", args=[token]))

    page = advisor_http.get(engagement.get_absolute_url()).content.decode()

    assert "Sent to Carla Ceo" in page
    assert "Issue a new link" in page
    assert "Revoke the link" in page
    assert "Not yet" in page  # not submitted
    assert "First " in page  # opened


def test_engagement_page_offers_an_invitation_before_one_is_sent(advisor_http, engagement, ceo):
    page = advisor_http.get(engagement.get_absolute_url()).content.decode()
    assert "Invite the CEO" in page


def test_advisor_revokes_the_link(advisor_http, engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)
    invitation = invitation_resolve(token)

    response = advisor_http.post(reverse("invitation_revoke", args=[engagement.pk, invitation.pk]))

    assert response.status_code == 302
    assert not invitation_resolve(token).is_usable


def test_invite_needs_post(advisor_http, engagement, ceo):
    response = advisor_http.get(reverse("invitation_send", args=[engagement.pk]))
    assert response.status_code == 405
    assert not Invitation.objects.exists()


# --- Outsiders -------------------------------------------------------------------------------


def _advisor_urls(engagement, invitation) -> list[tuple[str, str]]:
    return [
        ("post", reverse("invitation_send", args=[engagement.pk])),
        ("post", reverse("invitation_revoke", args=[engagement.pk, invitation.pk])),
        ("get", reverse("assessment_results", args=[engagement.pk])),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, engagement, ceo, advisor):
    invitation = invitation_resolve(invite(engagement, ceo, advisor))
    for method, url in _advisor_urls(engagement, invitation):
        response = getattr(client, method)(url, {"person": ceo.pk} if method == "post" else None)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    assert Invitation.objects.count() == 1


def test_outsiders_get_404_on_every_advisor_url(outsider_http, engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)
    invitation = invitation_resolve(token)
    for method, url in _advisor_urls(engagement, invitation):
        response = getattr(outsider_http, method)(
            url, {"person": ceo.pk} if method == "post" else None
        )
        assert response.status_code == 404, url
    assert invitation_resolve(token).is_usable
    assert Invitation.objects.count() == 1


def test_revoke_refuses_an_invitation_of_another_engagement(
    advisor_http, engagement, ceo, advisor, firm, client_org
):
    other = Engagement.objects.create(
        firm=firm, client=client_org, lead_advisor=advisor, title="Second look"
    )
    invitation = invitation_resolve(invite(engagement, ceo, advisor))

    response = advisor_http.post(reverse("invitation_revoke", args=[other.pk, invitation.pk]))

    assert response.status_code == 404
    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().revoked_at is None


def test_a_mail_server_that_is_down_loses_no_invitation(engagement, ceo, advisor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    settings.EMAIL_TIMEOUT = 2

    link = invitation_send(engagement=engagement, person=ceo, actor=advisor)
    [email] = send_queued()

    # The link is issued and works; its email waits to be tried again.
    assert invitation_resolve(token_of(link)).is_usable
    assert email.state == Email.State.QUEUED and email.attempts == 1
    assert "could not be reached" in email.failure_reason
    assert Invitation.objects.get().email == email


def test_the_engagement_page_shows_how_the_invitation_email_fared(
    advisor_http, engagement, ceo, advisor, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    settings.EMAIL_TIMEOUT, settings.EMAIL_MAX_ATTEMPTS = 2, 1
    invite(engagement, ceo, advisor)
    send_queued()

    page = advisor_http.get(engagement.get_absolute_url()).content.decode()
    assert "Not sent" in page and "could not be reached" in page and "Send again" in page


def test_the_audit_trail_names_the_ceo_acting_through_the_link(client, engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)
    client.get(reverse("questionnaire_welcome", args=[token]))

    event = AuditEvent.objects.get(action="invitation.opened")

    assert event.actor is None
    assert "Carla Ceo" in event.who
    assert "CEO" in event.who


def test_the_link_page_is_never_cached(advisor_http, client, engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)
    response = client.get(reverse("questionnaire_welcome", args=[token]))
    assert "no-store" in response.headers["Cache-Control"]


def test_an_archived_engagement_cannot_invite(engagement, ceo, advisor):
    engagement.archived_at = timezone.now()
    engagement.save()

    with pytest.raises(InvitationError, match="archived"):
        invitation_send(engagement=engagement, person=ceo, actor=advisor)
    assert not Invitation.objects.exists()
