"""Sending an approved memo to the board, and serving it through each director's own link.

Each recipient gets one Delivery: an email (through the outbox) with a personal link whose
token is stored only as a SHA-256 hash. The link lasts until a day the advisor chooses on the
send page: by default the firm's number of days after the board meeting, or the firm's
default lifetime when there is no meeting date, never more than LINK_DAYS_MAX days ahead. A
link is also revoked by the advisor, withdrawn when its person is removed from the client or
the engagement or client is archived, and superseded when a newer version of the memo is
sent to the board (``Delivery.link_state``, the one rule the pages and the link share).

What a link serves, and what is attached when the firm attaches the PDF, is the director's
own copy: the version's file with their name on every page (``reports.services.copies``).
Each download is logged with the copy it served.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from advisory.audit import audit_record
from advisory.emails import EmailDraft, email_from_templates
from advisory.links import LinkState
from advisory.models import LINK_DAYS_MAX, Email, Engagement, Person, User
from advisory.outbox import email_queue, emails_withdraw
from advisory.tokens import token_hash, token_new
from reports.models import Delivery, Download, MemoVersion
from reports.services.copies import MarkedCopy, named_copy, prepared_for_line
from reports.services.memos import (
    MemoError,
    engagement_memo_state_sync,
    lock_version,
    require_newest,
)
from reports.services.notifications import notify_board_read

# Who a memo can be sent to: the client's board, and its CEO if the advisor chooses.
RECIPIENT_ROLES = (Person.Role.BOARD, Person.Role.CEO)
COVER_NOTE_MAX = 2_000


def download_link(token: str) -> str:
    return settings.SITE_URL + reverse("memo_download", args=[token])


def memo_filename(version: MemoVersion) -> str:
    client = "".join(c if c.isalnum() else "-" for c in version.engagement.client.name)
    client = "-".join(part for part in client.split("-") if part) or "client"
    return f"board-memo-{client}-v{version.number}.pdf"


# --- How long a link lasts. ---------------------------------------------------------------


def in_words(day: date) -> str:
    """A date as the pages and emails write it: 27 January 2027."""
    return date_format(day, "j F Y")


def expiry_bounds(today: date) -> tuple[date, date]:
    """The first and the last day a board link may be set to last until."""
    return today + timedelta(days=1), today + timedelta(days=LINK_DAYS_MAX)


def expiry_default(engagement: Engagement, *, today: date) -> date:
    """The firm's days after the board meeting, or its default lifetime without a meeting
    date (or with one so far past that the link would already have run out); within the
    bounds."""
    firm = engagement.firm
    first, last = expiry_bounds(today)
    meeting = engagement.board_meeting_date
    if (
        meeting is not None
        and meeting + timedelta(days=firm.board_link_days_after_meeting) >= first
    ):
        day = meeting + timedelta(days=firm.board_link_days_after_meeting)
    else:
        day = today + timedelta(days=firm.board_link_days)
    return min(max(day, first), last)


def expiry_moment(day: date) -> datetime:
    """The last moment of ``day`` where the app keeps time: a link is good all day."""
    return timezone.make_aware(datetime.combine(day, time.max))


# --- Sending. ------------------------------------------------------------------------------


def memo_email(
    *,
    version: MemoVersion,
    person: Person,
    link: str,
    expires_at: datetime,
    cover_note: str,
    advisor: User,
) -> EmailDraft:
    """The email one recipient gets (the send page previews it before anything is sent)."""
    engagement = version.engagement
    return email_from_templates(
        name="reports/email/memo",
        context={
            "person": person,
            "engagement": engagement,
            "firm": engagement.firm,
            "advisor": advisor,
            "link": link,
            "expires_at": expires_at,
            "cover_note": cover_note,
            "attached": engagement.firm.attach_memo,
            "version": version,
        },
        to=person.email,
        firm=engagement.firm,
        reply_to=advisor.email,
    )


@dataclass(frozen=True)
class MemoSent:
    """What memo_send did: the new deliveries, who was skipped because they already hold a
    working link to this version (a second click on "Send" emails nobody twice), and how
    many links to older versions now say a newer one was sent."""

    deliveries: list[Delivery]
    skipped: list[Person]
    superseded: int = 0


def _read_pdf(version: MemoVersion) -> bytes:
    try:
        with version.pdf.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        # ValueError: no file recorded at all. Either way nothing can be sent.
        raise MemoError(
            f"The PDF of memo v{version.number} is missing from storage, so it cannot be sent. "
            "Edit the commentary to prepare a fresh version, or ask an administrator to "
            "restore the file."
        ) from None


def _check_recipients(engagement: Engagement, people: list[Person]) -> None:
    if not people:
        raise MemoError("Choose at least one board member.")
    for person in people:
        if (
            person.client_id != engagement.client_id
            or person.role not in RECIPIENT_ROLES
            or person.archived_at is not None
        ):
            raise MemoError("Memos go only to the board members and the CEO of this client.")


def _check_expiry(expires_on: date) -> None:
    first, last = expiry_bounds(timezone.localdate())
    if not first <= expires_on <= last:
        raise MemoError(
            f"Choose a last day for the links between {in_words(first)} and {in_words(last)}."
        )


@transaction.atomic
def memo_send(
    *,
    version: MemoVersion,
    people: Iterable[Person],
    actor: User,
    expires_on: date | None = None,
    cover_note: str = "",
) -> MemoSent:
    """Emails the newest, approved memo to chosen board members (and the CEO), one link each,
    valid through ``expires_on`` (by default :func:`expiry_default`).

    People who already have a usable link to this version are skipped, not emailed again.
    The emails are recorded in the outbox and go out once this transaction commits. Links to
    older versions of the memo are superseded.
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
    _check_recipients(engagement, people)
    if expires_on is None:
        expires_on = expiry_default(engagement, today=timezone.localdate())
    _check_expiry(expires_on)
    cover_note = cover_note.strip()
    if len(cover_note) > COVER_NOTE_MAX:
        raise MemoError(f"Keep the cover note under {COVER_NOTE_MAX:,} characters.")
    now = timezone.now()
    # The version row is locked, so a second send waits and then sees the first one's links.
    holding = set(version.deliveries.usable().values_list("person_id", flat=True))
    skipped = [person for person in people if person.pk in holding]
    people = [person for person in people if person.pk not in holding]
    if not people:
        return MemoSent(deliveries=[], skipped=skipped)
    pdf = _read_pdf(version)
    expires_at = expiry_moment(expires_on)
    deliveries = []
    for person in people:
        token, hashed = token_new()
        delivery = Delivery.objects.create(
            memo_version=version,
            person=person,
            token_hash=hashed,
            sent_by=actor,
            expires_at=expires_at,
            cover_note=cover_note,
        )
        draft = memo_email(
            version=version,
            person=person,
            link=download_link(token),
            expires_at=expires_at,
            cover_note=cover_note,
            advisor=actor,
        )
        if engagement.firm.attach_memo:
            copy = named_copy(
                pdf, name=person.name, email=person.email, sent_on=timezone.localdate(now)
            )
            draft = dataclasses.replace(
                draft, attachment_name=memo_filename(version), attachment=copy.pdf
            )
        delivery.email = email_queue(
            draft,
            kind=Email.Kind.BOARD_MEMO,
            firm=engagement.firm,
            engagement=engagement,
            link_expires_at=expires_at,
        )
        delivery.save(update_fields=["email"])
        deliveries.append(delivery)
    older = Delivery.objects.filter(
        memo_version__engagement=engagement,
        memo_version__number__lt=version.number,
        superseded_at__isnull=True,
    )
    emails_withdraw(
        Email.objects.filter(pk__in=older.values("email_id")),
        reason="Not sent: a newer version of the memo was sent.",
    )
    superseded = older.update(superseded_at=now)
    engagement_memo_state_sync(engagement=engagement)
    names = ", ".join(f"{p.name} ({p.email})" for p in people)
    summary = f"Sent memo v{version.number} to {names}, links valid to {in_words(expires_on)}"
    if superseded:
        summary += f"; {superseded} link(s) to older versions now point to it"
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="memo.sent",
        summary=summary,
    )
    return MemoSent(deliveries=deliveries, skipped=skipped, superseded=superseded)


@transaction.atomic
def delivery_revoke(*, delivery: Delivery, actor: User) -> None:
    """Switches one link off. The engagement stays "sent". Where the firm attaches the PDF,
    the copy in the email stays with the director: revoking takes back the link only."""
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("person", "memo_version__engagement__firm")
        .get(pk=delivery.pk)
    )
    if delivery.revoked_at is not None:
        return
    delivery.revoked_at = timezone.now()
    delivery.save(update_fields=["revoked_at"])
    emails_withdraw(
        Email.objects.filter(pk=delivery.email_id), reason="Not sent: the link was revoked."
    )
    engagement = delivery.memo_version.engagement
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="memo.link_revoked",
        summary=f"Revoked {delivery.person.name}'s link to memo v{delivery.memo_version.number}",
    )


# --- The director's link. -----------------------------------------------------------------


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


@dataclass(frozen=True)
class NewerVersion:
    """What a superseded link tells its director: when the newer version went to the board,
    and whether it went to them."""

    sent_at: datetime
    number: int
    sent_to_them: bool


def delivery_newer_version(delivery: Delivery) -> NewerVersion | None:
    version = delivery.memo_version
    newer = list(
        Delivery.objects.filter(
            memo_version__engagement_id=version.engagement_id,
            memo_version__number__gt=version.number,
        )
        .select_related("memo_version")
        .order_by("-memo_version__number", "sent_at")
    )
    if not newer:
        return None
    newest = [d for d in newer if d.memo_version_id == newer[0].memo_version_id]
    mine = next((d for d in newest if d.person_id == delivery.person_id), None)
    return NewerVersion(
        sent_at=(mine or newest[0]).sent_at,
        number=newest[0].memo_version.number,
        sent_to_them=mine is not None,
    )


def delivery_copy(delivery: Delivery) -> MarkedCopy | None:
    """The director's own copy of the memo, or None when the version's file is missing."""
    version = delivery.memo_version
    try:
        with version.pdf.open("rb") as handle:
            pdf = handle.read()
    except (OSError, ValueError):
        return None
    person = delivery.person
    return named_copy(
        pdf, name=person.name, email=person.email, sent_on=timezone.localdate(delivery.sent_at)
    )


@transaction.atomic
def delivery_record_download(*, delivery: Delivery, copy: MarkedCopy) -> None:
    now = timezone.now()
    person = delivery.person
    line = prepared_for_line(
        name=person.name, email=person.email, sent_on=timezone.localdate(delivery.sent_at)
    )
    Download.objects.create(delivery=delivery, prepared_for=line, copy_sha256=copy.sha256)
    Delivery.objects.filter(pk=delivery.pk).update(
        download_count=F("download_count") + 1, last_downloaded_at=now
    )
    version = delivery.memo_version
    engagement = version.engagement
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor_label=f"{person.name} ({person.get_role_display()}, personal link)",
        action="memo.downloaded",
        summary=(
            f"{person.name} downloaded memo v{version.number}, their own copy "
            f"(SHA-256 {copy.sha256[:12]}…)"
        ),
    )
    notify_board_read(version=version)
