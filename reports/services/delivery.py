"""Sending an approved memo to board members, and serving it through their personal links.

Each board member gets one Delivery: the PDF attached to an email and a personal link whose
token is stored only as a SHA-256 hash. Links expire after DOWNLOAD_TTL_DAYS and can be
revoked; each download is counted and written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from advisory.models import Engagement, Person, User
from advisory.services import audit_record, engagement_set_state
from advisory.tokens import token_hash, token_new
from reports.models import Delivery, MemoVersion
from reports.services.memos import MemoError


def download_link(token: str) -> str:
    return settings.SITE_URL + reverse("memo_download", args=[token])


def memo_filename(version: MemoVersion) -> str:
    client = "".join(c if c.isalnum() else "-" for c in version.engagement.client.name)
    client = "-".join(part for part in client.split("-") if part) or "client"
    return f"board-memo-{client}-v{version.number}.pdf"


def _memo_email(
    *, delivery: Delivery, link: str, actor: User, pdf: bytes
) -> EmailMultiAlternatives:
    version = delivery.memo_version
    engagement = version.engagement
    context = {
        "person": delivery.person,
        "engagement": engagement,
        "firm": engagement.firm,
        "advisor": actor,
        "link": link,
        "expires_at": delivery.expires_at,
    }
    subject = render_to_string("reports/email/memo_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("reports/email/memo.txt", context),
        to=[delivery.person.email],
        reply_to=[actor.email] if actor.email else None,
    )
    message.attach_alternative(render_to_string("reports/email/memo.html", context), "text/html")
    message.attach(memo_filename(version), pdf, "application/pdf")
    return message


@transaction.atomic
def memo_send(*, version: MemoVersion, people: Iterable[Person], actor: User) -> list[Delivery]:
    """Emails an approved memo to chosen board members of the client, one link each.

    The emails go out inside the transaction: if sending fails, no delivery is recorded and
    the advisor can try again.
    """
    version = (
        MemoVersion.objects.select_for_update()
        .select_related("engagement__client", "engagement__firm")
        .get(pk=version.pk)
    )
    engagement = version.engagement
    if not version.is_approved or version.state != MemoVersion.State.READY:
        raise MemoError("Only an approved memo can be sent.")
    people = list(people)
    if not people:
        raise MemoError("Choose at least one board member.")
    for person in people:
        if (
            person.client_id != engagement.client_id
            or person.role != Person.Role.BOARD
            or person.archived_at is not None
        ):
            raise MemoError("Memos go only to board members of this client.")
    with version.pdf.open("rb") as handle:
        pdf = handle.read()
    now = timezone.now()
    expires = now + timedelta(days=settings.DOWNLOAD_TTL_DAYS)
    deliveries, messages = [], []
    for person in people:
        token, hashed = token_new()
        delivery = Delivery.objects.create(
            memo_version=version,
            person=person,
            token_hash=hashed,
            sent_by=actor,
            expires_at=expires,
        )
        deliveries.append(delivery)
        messages.append(
            _memo_email(delivery=delivery, link=download_link(token), actor=actor, pdf=pdf)
        )
    get_connection().send_messages(messages)
    engagement_set_state(engagement=engagement, state=Engagement.State.SENT)
    names = ", ".join(f"{p.name} ({p.email})" for p in people)
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="memo.sent",
        summary=f"Sent memo v{version.number} to {names}",
    )
    return deliveries


@transaction.atomic
def delivery_revoke(*, delivery: Delivery, actor: User) -> None:
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("person", "memo_version__engagement__firm")
        .get(pk=delivery.pk)
    )
    if delivery.revoked_at is not None:
        return
    delivery.revoked_at = timezone.now()
    delivery.save(update_fields=["revoked_at"])
    engagement = delivery.memo_version.engagement
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="memo.link_revoked",
        summary=f"Revoked {delivery.person.name}'s link to memo v{delivery.memo_version.number}",
    )


@dataclass(frozen=True)
class DownloadOutcome:
    """What a link token leads to: a usable delivery, or why not ("unknown", "revoked",
    "expired")."""

    delivery: Delivery | None
    problem: str = ""


def delivery_resolve(token: str) -> DownloadOutcome:
    if not token or len(token) > 200:
        return DownloadOutcome(None, "unknown")
    delivery = (
        Delivery.objects.select_related("person", "memo_version__engagement__firm")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if delivery is None:
        return DownloadOutcome(None, "unknown")
    if delivery.revoked_at is not None:
        return DownloadOutcome(delivery, "revoked")
    if delivery.expires_at <= timezone.now():
        return DownloadOutcome(delivery, "expired")
    return DownloadOutcome(delivery)


@transaction.atomic
def delivery_record_download(*, delivery: Delivery) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        download_count=F("download_count") + 1, last_downloaded_at=now
    )
    engagement = delivery.memo_version.engagement
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor_label=f"{delivery.person.name} (board member, personal link)",
        action="memo.downloaded",
        summary=f"{delivery.person.name} downloaded memo v{delivery.memo_version.number}",
    )
