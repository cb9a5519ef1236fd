"""Sending an approved memo to board members, and serving it through their personal links.

Each board member gets one Delivery: the PDF attached to an email and a personal link whose
token is stored only as a SHA-256 hash. Links expire after the firm's board_link_days and can be
revoked; a link is also withdrawn when its board member is removed from the client or the
engagement or client is archived (``Delivery.link_state``, the one rule). Each download is
counted and written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from advisory.emails import email_from_templates
from advisory.links import LinkState
from advisory.models import Person, User
from advisory.services import audit_record
from advisory.tokens import token_hash, token_new
from reports.models import Delivery, MemoVersion
from reports.services.memos import (
    MemoError,
    engagement_memo_state_sync,
    lock_version,
    require_newest,
)


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
    message = email_from_templates(
        name="reports/email/memo",
        context=context,
        to=delivery.person.email,
        firm=engagement.firm,
        reply_to=actor.email,
    )
    message.attach(memo_filename(version), pdf, "application/pdf")
    return message


@dataclass(frozen=True)
class MemoSent:
    """What memo_send did: the new deliveries, and who was skipped because they already hold
    a working link to this version (a second click on "Send" emails nobody twice)."""

    deliveries: list[Delivery]
    skipped: list[Person]


def _read_pdf(version: MemoVersion) -> bytes:
    try:
        with version.pdf.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        # ValueError: no file recorded at all. Either way nothing can be attached.
        raise MemoError(
            f"The PDF of memo v{version.number} is missing from storage, so it cannot be sent. "
            "Edit the commentary to prepare a fresh version, or ask an administrator to "
            "restore the file."
        ) from None


@transaction.atomic
def memo_send(*, version: MemoVersion, people: Iterable[Person], actor: User) -> MemoSent:
    """Emails the newest, approved memo to chosen board members of the client, one link each.

    People who already have a usable link to this version are skipped, not emailed again.
    The emails go out inside the transaction: if sending fails, no delivery is recorded and
    the advisor can try again.
    """
    locked = lock_version(version_id=version.pk)
    if locked is None:
        raise MemoError("This memo no longer exists.")
    version = locked
    engagement = version.engagement
    require_newest(version=version, doing="sent")
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
    now = timezone.now()
    # The version row is locked, so a second send waits and then sees the first one's links.
    holding = set(version.deliveries.usable().values_list("person_id", flat=True))
    skipped = [person for person in people if person.pk in holding]
    people = [person for person in people if person.pk not in holding]
    if not people:
        return MemoSent(deliveries=[], skipped=skipped)
    pdf = _read_pdf(version)
    # How long board links live is the firm's setting (Firm.board_link_days).
    expires = now + timedelta(days=engagement.firm.board_link_days)
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
    engagement_memo_state_sync(engagement=engagement)
    names = ", ".join(f"{p.name} ({p.email})" for p in people)
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="memo.sent",
        summary=f"Sent memo v{version.number} to {names}",
    )
    return MemoSent(deliveries=deliveries, skipped=skipped)


@transaction.atomic
def delivery_revoke(*, delivery: Delivery, actor: User) -> None:
    """Switches one link off. The engagement stays "sent": the email with the memo attached
    has gone out, and revoking a link cannot take it back."""
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
    """What a link token leads to: a delivery and its link state, or no delivery at all for
    a token nobody was given."""

    delivery: Delivery | None
    state: str = LinkState.USABLE

    @property
    def usable(self) -> bool:
        return self.delivery is not None and self.state == LinkState.USABLE


def delivery_resolve(token: str) -> DownloadOutcome:
    if not token or len(token) > 200:
        return DownloadOutcome(None)
    delivery = (
        Delivery.objects.select_related(
            "person", "memo_version__engagement__firm", "memo_version__engagement__client"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if delivery is None:
        return DownloadOutcome(None)
    return DownloadOutcome(delivery, delivery.link_state)


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
