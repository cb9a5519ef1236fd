"""The outbox: every email the app sends is a row first, and a Celery task sends the row.

``email_queue`` records the message inside the caller's transaction and publishes the send
task once that transaction commits: a request that fails sends nothing, and a mail server
that is down loses nothing. ``email_deliver`` (run by the task) locks the row, sends it
unless it has been sent, and records the outcome in the same transaction.

The guarantee is at least once. A row marked sent is never sent again, whoever redelivers
its task, and a second task waits on the row lock until the first has finished. What no
code can rule out is the moment after the mail server has accepted a message and before
the "sent" mark is committed: if the worker dies there, the row is still queued and is sent
again. Exactly once would need the mail server to take part in the transaction, and SMTP
has no way to. Both copies carry the row's Message-ID, so mail clients that look at it
show one message.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from advisory.audit import audit_record
from advisory.emails import EmailDraft, email_message
from advisory.models import Email, Engagement, Firm, User
from advisory.redaction import redact
from advisory.tasks import send_email as send_email_task

logger = logging.getLogger(__name__)


class EmailDeferred(Exception):
    """The mail server could not take the message now; try again in ``retry_in`` seconds."""

    def __init__(self, reason: str, retry_in: float) -> None:
        super().__init__(reason)
        self.retry_in = retry_in


def _message_id() -> str:
    # The app's own domain; without one, make_msgid asks DNS for this host's name.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def email_queue(
    draft: EmailDraft,
    *,
    kind: str,
    firm: Firm | None,
    engagement: Engagement | None = None,
    key: str | None = None,
    link_expires_at: datetime | None = None,
) -> Email | None:
    """Records one email and sends it once the current transaction commits.

    With a ``key`` an email was already recorded under, nothing is recorded and None is
    returned: a reminder or a notification goes out at most once per condition. An email that
    carries a personal link says when the link expires: not sent by then, it never is."""
    if key and Email.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            email = Email.objects.create(
                firm=firm,
                engagement=engagement,
                kind=kind,
                key=key or None,
                to=draft.to,
                from_email=draft.from_email,
                reply_to=draft.reply_to,
                subject=draft.subject,
                body_text=draft.text,
                body_html=draft.html,
                logo=draft.logo,
                attachment_name=draft.attachment_name,
                attachment=draft.attachment,
                message_id=_message_id(),
                link_expires_at=link_expires_at,
            )
    except IntegrityError:
        return None  # the same key, recorded a moment ago by another process
    transaction.on_commit(lambda: _publish(email.pk))
    return email


def _publish(email_id: int) -> None:
    try:
        send_email_task.delay(email_id)
    except Exception:
        # Whatever the broker raised, the row is recorded: outbox_sweep publishes it again.
        logger.exception("Could not publish email %s; the sweep will retry", email_id)


def _retry_in(attempts: int) -> float:
    """Seconds before the next try: EMAIL_RETRY_SECONDS, doubling, at most an hour."""
    return min(settings.EMAIL_RETRY_SECONDS * 2 ** (attempts - 1), 3600)


def _reason(error: Exception, to: str) -> tuple[str, bool]:
    """What went wrong in plain words, and whether trying again later may help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()))[0]
        if 400 <= code < 500:
            return f"The mail server could not take mail for {to} just now (code {code}).", True
        return (
            f"The mail server refused the address {to} (code {code}). Check it where the "
            "person is listed, correct it, and send to them again from there.",
            False,
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            "The app could not sign in to the mail server. Ask your administrator to check "
            "the mail settings, then send again.",
            False,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        if 400 <= error.smtp_code < 500:
            return f"The mail server was busy (code {error.smtp_code}).", True
        return (
            f"The mail server refused the message (code {error.smtp_code}). Ask your "
            "administrator, then send again.",
            False,
        )
    return "The mail server could not be reached.", True


def _scrub(email: Email) -> None:
    """A sent row keeps what was sent, not a working link or the memo itself."""
    email.body_text = redact(email.body_text)
    email.body_html = redact(email.body_html)
    email.attachment = b""


EXPIRED = "Not sent: the link in it expired first."


def _withdraw(email: Email, reason: str) -> None:
    email.state = Email.State.WITHDRAWN
    email.failure_reason = reason
    _scrub(email)
    email.save(update_fields=["state", "failure_reason", "body_text", "body_html", "attachment"])


@transaction.atomic
def emails_withdraw(emails: QuerySet[Email], *, reason: str) -> int:
    """Emails not yet sent whose link no longer works (revoked, replaced, archived) are never
    sent: withdrawn with ``reason``, and scrubbed. Returns how many."""
    rows = list(emails.unsent().select_for_update())
    for email in rows:
        _withdraw(email, reason)
    return len(rows)


def email_deliver(*, email_id: int) -> None:
    """Sends one recorded email unless it has been sent or has failed for good.

    A failure worth another try raises :class:`EmailDeferred` with the wait before it, once
    the attempt is recorded; after EMAIL_MAX_ATTEMPTS tries, or on a refusal no retry can
    change, the row is marked failed with the reason."""
    deferred = _deliver(email_id)
    if deferred is not None:
        raise deferred


@transaction.atomic
def _deliver(email_id: int) -> EmailDeferred | None:
    email = Email.objects.select_for_update().filter(pk=email_id).first()
    if email is None or email.state != Email.State.QUEUED:
        return None
    now = timezone.now()
    if email.link_expires_at is not None and email.link_expires_at <= now:
        _withdraw(email, EXPIRED)
        return None
    email.attempts += 1
    try:
        # Sent while the row is locked: a second task for this row waits here, then finds
        # it sent.
        email_message(email).send()
    except (smtplib.SMTPException, OSError) as error:
        reason, transient = _reason(error, email.to)
        logger.warning("Email %s, attempt %s: %r", email.pk, email.attempts, error)
        if transient and email.attempts < settings.EMAIL_MAX_ATTEMPTS:
            retry_in = _retry_in(email.attempts)
            email.failure_reason = f"{reason} It will be tried again automatically."
            email.next_attempt_at = now + timedelta(seconds=retry_in)
            email.save(update_fields=["attempts", "failure_reason", "next_attempt_at"])
            return EmailDeferred(reason, retry_in)
        if transient:
            reason = f"{reason} Gave up after {email.attempts} tries; send it again later."
        email.state = Email.State.FAILED
        email.failure_reason = reason
        email.save(update_fields=["attempts", "state", "failure_reason"])
        return None
    email.state = Email.State.SENT
    email.sent_at = now
    email.failure_reason = ""
    _scrub(email)
    email.save(
        update_fields=[
            "attempts",
            "state",
            "sent_at",
            "failure_reason",
            "body_text",
            "body_html",
            "attachment",
        ]
    )
    return None


@transaction.atomic
def email_send_again(*, email: Email, actor: User) -> None:
    """Queues a failed email once more, as it was recorded."""
    email = Email.objects.select_for_update().get(pk=email.pk)
    if email.state != Email.State.FAILED:
        return
    if email.link_expires_at is not None and email.link_expires_at <= timezone.now():
        _withdraw(email, EXPIRED)
        return
    email.state = Email.State.QUEUED
    email.failure_reason = ""
    email.next_attempt_at = timezone.now()
    email.save(update_fields=["state", "failure_reason", "next_attempt_at"])
    if email.firm is not None:
        audit_record(
            firm=email.firm,
            engagement=email.engagement,
            actor=actor,
            action="email.sent_again",
            summary=f"Sent again: {email.get_kind_display().lower()} to {email.to}",
        )
    transaction.on_commit(lambda: _publish(email.pk))


def outbox_sweep() -> list[int]:
    """Publishes queued emails whose time to be tried has long passed: the broker was down
    when they were recorded, or their task was lost. Withdraws (and scrubs) unsent emails
    whose link has expired."""
    now = timezone.now()
    emails_withdraw(Email.objects.filter(link_expires_at__lte=now), reason=EXPIRED)
    due_before = now - timedelta(seconds=settings.EMAIL_REQUEUE_AFTER_SECONDS)
    stranded = list(
        Email.objects.filter(state=Email.State.QUEUED, next_attempt_at__lt=due_before)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
    # Pushed forward so the next sweep waits again before publishing them once more.
    Email.objects.filter(pk__in=stranded).update(next_attempt_at=now)
    for pk in stranded:
        _publish(pk)
    return stranded
