"""The outbox: recorded first, sent after commit by the task, retried on a temporary failure,
failed with a plain reason on a permanent one, never sent twice once sent."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advisory.emails import EmailDraft
from advisory.models import AuditEvent, Email
from advisory.outbox import EmailDeferred, email_deliver, email_queue, outbox_sweep
from advisory.tasks import send_email
from tests.assessments.helpers import invite
from tests.conftest import send_queued, signed_in

pytestmark = pytest.mark.django_db


def draft(to: str = "ceo@acme.example", text: str = "Hello") -> EmailDraft:
    return EmailDraft(
        to=to, subject="A subject", text=text, html=f"<p>{text}</p>", from_email="a@b.example"
    )


def refuse_with(monkeypatch, error: Exception) -> None:
    def send(self, *args, **kwargs):
        raise error

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", send)


def test_an_email_is_recorded_and_its_task_published_only_after_commit(
    firm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm)
    assert email.state == Email.State.QUEUED and len(callbacks) == 1
    assert not mail.outbox


def test_the_task_sends_once_however_often_it_is_delivered(firm):
    email = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm)
    send_email(email.pk)  # the task as a plain function
    send_email(email.pk)  # redelivered by the broker
    email_deliver(email_id=email.pk)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.state == Email.State.SENT and email.attempts == 1 and email.sent_at
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id


def test_a_task_for_a_row_that_is_gone_does_nothing(firm):
    send_email(987654)
    assert not mail.outbox


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("gone"),
        ConnectionRefusedError(111, "refused"),
        smtplib.SMTPResponseException(451, b"4.3.0 try again later"),
        smtplib.SMTPRecipientsRefused({"ceo@acme.example": (450, b"mailbox busy")}),
    ],
)
def test_a_temporary_failure_is_recorded_and_tried_again_later(firm, monkeypatch, settings, error):
    settings.EMAIL_RETRY_SECONDS = 30
    email = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm)
    refuse_with(monkeypatch, error)
    with pytest.raises(EmailDeferred) as deferred:
        email_deliver(email_id=email.pk)
    assert deferred.value.retry_in == 30
    email.refresh_from_db()
    assert email.state == Email.State.QUEUED and email.attempts == 1
    assert "tried again automatically" in email.failure_reason
    with pytest.raises(EmailDeferred) as again:
        email_deliver(email_id=email.pk)
    assert again.value.retry_in == 60  # twice as long each time


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            smtplib.SMTPRecipientsRefused({"ceo@acme.example": (550, b"no such user")}),
            "refused the address ceo@acme.example (code 550)",
        ),
        (smtplib.SMTPAuthenticationError(535, b"bad"), "could not sign in to the mail server"),
        (smtplib.SMTPDataError(554, b"rejected"), "refused the message (code 554)"),
    ],
)
def test_a_permanent_refusal_fails_with_a_plain_reason(firm, monkeypatch, error, reason):
    email = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm)
    refuse_with(monkeypatch, error)
    email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.state == Email.State.FAILED and reason in email.failure_reason
    assert "b'" not in email.failure_reason  # no technical detail for the advisor


def test_after_the_last_try_it_fails_and_says_so(firm, monkeypatch, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    email = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm)
    refuse_with(monkeypatch, smtplib.SMTPServerDisconnected("gone"))
    with pytest.raises(EmailDeferred):
        email_deliver(email_id=email.pk)
    email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.state == Email.State.FAILED and email.attempts == 2
    assert "Gave up after 2 tries" in email.failure_reason


def test_a_sent_email_keeps_no_working_link(engagement, ceo, advisor):
    token = invite(engagement, ceo, advisor)
    queued = Email.objects.get()
    assert token in queued.body_text  # needed until it is sent
    send_queued()
    sent = Email.objects.get()
    assert token in mail.outbox[0].body
    assert token not in sent.body_text and token not in sent.body_html
    assert "/a/[link]/" in sent.body_text


def test_one_email_per_key(firm):
    first = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm, key="notify:x")
    second = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm, key="notify:x")
    assert first is not None and second is None
    assert Email.objects.count() == 1


def test_the_sweep_publishes_emails_whose_task_was_lost(
    firm, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_REQUEUE_AFTER_SECONDS = 120
    stranded = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm)
    fresh = email_queue(draft(), kind=Email.Kind.NOTIFICATION, firm=firm)
    Email.objects.filter(pk=stranded.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert outbox_sweep() == [stranded.pk]
    assert outbox_sweep() == []  # published once; the next sweep waits again
    assert fresh.state == Email.State.QUEUED


# --- "Send again", where the advisor looks. -------------------------------------------------


@pytest.fixture
def failed(engagement, ceo, advisor, monkeypatch, settings) -> Email:
    settings.EMAIL_MAX_ATTEMPTS = 1
    invite(engagement, ceo, advisor)
    email = Email.objects.get()
    with monkeypatch.context() as patch:
        refuse_with(patch, smtplib.SMTPServerDisconnected("gone"))
        email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.state == Email.State.FAILED
    return email


def test_the_advisor_sends_a_failed_email_again_and_it_goes(advisor_http, failed, engagement):
    page = advisor_http.get(engagement.get_absolute_url()).content.decode()
    assert "Not sent" in page and "could not be reached" in page
    response = advisor_http.post(reverse("email_send_again", args=[failed.pk]))
    assert response.status_code == 302 and response["Location"] == engagement.get_absolute_url()
    send_queued()
    failed.refresh_from_db()
    assert failed.state == Email.State.SENT and len(mail.outbox) == 1
    assert "/a/" in mail.outbox[0].body  # the original message, its link and all
    assert AuditEvent.objects.filter(action="email.sent_again").exists()


def test_send_again_is_for_the_firms_own_emails_only(client, failed, outsider, colleague):
    url = reverse("email_send_again", args=[failed.pk])
    assert client.post(url)["Location"].startswith("/accounts/login/")
    assert signed_in(outsider).post(url).status_code == 404
    assert signed_in(colleague).post(url).status_code == 302  # any advisor of the firm
    assert signed_in(colleague).get(url).status_code == 405


def test_a_firm_email_outside_engagements_is_for_owners_only(advisor, colleague, firm):
    email = email_queue(draft(), kind=Email.Kind.MEMBER_INVITATION, firm=firm)
    Email.objects.filter(pk=email.pk).update(state=Email.State.FAILED)
    url = reverse("email_send_again", args=[email.pk])
    assert signed_in(colleague).post(url).status_code == 404  # an advisor, not an owner
    assert signed_in(advisor).post(url)["Location"] == reverse("team")


# --- An email whose link stopped working first is never sent. -------------------------------


def test_revoking_a_link_withdraws_its_unsent_email(version, board_members, advisor):
    from reports.services.delivery import delivery_revoke, memo_send

    version.approved_at = timezone.now()
    version.save()
    (delivery,) = memo_send(version=version, people=board_members[:1], actor=advisor).deliveries
    delivery_revoke(delivery=delivery, actor=advisor)
    email = Email.objects.get(pk=delivery.email_id)
    assert email.state == Email.State.WITHDRAWN and "revoked" in email.failure_reason
    assert "/m/[link]/" in email.body_text  # scrubbed at once
    assert send_queued() == [] and not mail.outbox


def test_a_newer_link_or_an_archived_engagement_withdraws_the_older_email(engagement, ceo, advisor):
    from advisory.services import engagement_archive

    invite(engagement, ceo, advisor)
    invite(engagement, ceo, advisor)
    first, second = Email.objects.order_by("pk")
    assert first.state == Email.State.WITHDRAWN and "newer link" in first.failure_reason
    engagement_archive(engagement=engagement, actor=advisor)
    second.refresh_from_db()
    assert second.state == Email.State.WITHDRAWN and "archived" in second.failure_reason


def test_an_email_whose_link_expired_is_withdrawn_not_sent(firm):
    email = email_queue(
        draft(),
        kind=Email.Kind.NOTIFICATION,
        firm=firm,
        link_expires_at=timezone.now() - timedelta(seconds=1),
    )
    email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.state == Email.State.WITHDRAWN and "expired" in email.failure_reason
    assert not mail.outbox


def test_the_sweep_withdraws_failed_emails_whose_link_expired(firm, failed):
    Email.objects.filter(pk=failed.pk).update(link_expires_at=timezone.now())
    outbox_sweep()
    failed.refresh_from_db()
    assert failed.state == Email.State.WITHDRAWN
    assert "/a/[link]/" in failed.body_text and failed.attachment in (b"", memoryview(b""))
