"""Personal links to the questionnaires: the CEO's, and other leaders' perspectives.

Every link is a 256-bit token shown once (to the advisor who issues it, and in the email),
stored only as a SHA-256 hash, expiring, and revocable; issuing a new link for a respondent
withdraws their earlier one. The link's state is :attr:`Invitation.link_state`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from advisory.audit import audit_record
from advisory.emails import EmailDraft, email_from_templates
from advisory.models import Email, Engagement, Person, User
from advisory.outbox import email_queue, emails_withdraw
from advisory.services import engagement_set_state
from advisory.tokens import token_hash, token_new
from assessments.methodology import method_for
from assessments.models import Assessment, Invitation
from assessments.services.answers import assessment_for, perspective_for


class InvitationError(Exception):
    """The invitation cannot be sent; the message says why, in words for the advisor."""


class InvitationAlreadyIssued(InvitationError):
    """The form that asks for this link was posted before: the link was issued then."""


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("questionnaire_welcome", args=[token])


def respondent_label(invitation: Invitation) -> str:
    """How the audit trail names a respondent acting through their link."""
    role = invitation.assessment.get_respondent_display()
    return f"{invitation.person.name} ({role}, personal link)"


def _lock_engagement(engagement: Engagement) -> None:
    Engagement.objects.select_for_update().filter(pk=engagement.pk).values_list("pk").first()


def _check_can_invite(engagement: Engagement, person: Person, request_key: str) -> None:
    if request_key and engagement.invitations.filter(request_key=request_key).exists():
        raise InvitationAlreadyIssued(
            "That link was issued a moment ago and shown once. Issue a new link if it was lost."
        )
    if person.client_id != engagement.client_id or person.archived_at is not None:
        raise InvitationError("Choose a person listed for this client.")
    if engagement.archived_at is not None:
        raise InvitationError("The engagement is archived; restore it before inviting anyone.")


def _issue(
    *, assessment: Assessment, person: Person, actor: User, request_key: str, template: str
) -> tuple[str, bool]:
    """A new link to ``assessment`` for ``person``, emailed; returns it and whether an earlier
    link of theirs was withdrawn."""
    engagement = assessment.engagement
    now = timezone.now()
    earlier = assessment.invitations.filter(revoked_at__isnull=True)
    emails_withdraw(
        Email.objects.filter(pk__in=earlier.values("email_id")),
        reason="Not sent: a newer link was issued.",
    )
    revoked = earlier.update(revoked_at=now)
    token, hashed = token_new()
    invitation = Invitation.objects.create(
        engagement=engagement,
        assessment=assessment,
        person=person,
        token_hash=hashed,
        created_by=actor,
        # How long links to the questionnaire live is the firm's setting.
        expires_at=now + timedelta(days=engagement.firm.ceo_link_days),
        request_key=request_key[:64],
    )
    link = invitation_link(token)
    # Recorded in the outbox with the link; sent once this transaction commits.
    invitation.email = email_queue(
        _email(invitation=invitation, link=link, actor=actor, template=template),
        kind=Email.Kind.CEO_INVITATION if assessment.is_ceo else Email.Kind.LEADER_INVITATION,
        firm=engagement.firm,
        engagement=engagement,
        link_expires_at=invitation.expires_at,
    )
    invitation.save(update_fields=["email"])
    return link, bool(revoked)


def _email(*, invitation: Invitation, link: str, actor: User, template: str) -> EmailDraft:
    engagement = invitation.engagement
    context = {
        "person": invitation.person,
        "engagement": engagement,
        "firm": engagement.firm,
        "advisor": actor,
        "link": link,
        "expires_at": invitation.expires_at,
        "role": invitation.assessment.get_respondent_display(),
    }
    return email_from_templates(
        name=template,
        context=context,
        to=invitation.person.email,
        firm=engagement.firm,
        reply_to=actor.email,
    )


@transaction.atomic
def invitation_send(
    *, engagement: Engagement, person: Person, actor: User, request_key: str = ""
) -> str:
    """Issues a new personal link for the CEO, emails it and returns it.

    Only the hash is stored, so the returned link is the one chance to show it. The CEO's
    earlier link stops working. A ``request_key`` already used for this engagement raises
    :class:`InvitationAlreadyIssued` instead of issuing a second link.
    """
    _lock_engagement(engagement)
    _check_can_invite(engagement, person, request_key)
    assessment = assessment_for(engagement)
    if assessment.is_submitted:
        raise InvitationError("The CEO has already submitted the answers; no new link is needed.")
    link, revoked = _issue(
        assessment=assessment,
        person=person,
        actor=actor,
        request_key=request_key,
        template="assessments/email/invitation",
    )
    if engagement.state == Engagement.State.NOT_STARTED:
        engagement_set_state(engagement=engagement, state=Engagement.State.INVITED)
    verb = "Sent a new link to" if revoked else "Invited"
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="invitation.sent",
        summary=f"{verb} {person.name} ({person.email}) to answer the assessment",
    )
    return link


@transaction.atomic
def perspective_invite(
    *, engagement: Engagement, person: Person, actor: User, request_key: str = ""
) -> str:
    """Issues a personal link for a leader of the client (the CTO above all) to give their
    perspective (methodology §7), emails it and returns it, with the same standard as the
    CEO's link. Only on an engagement whose methodology reads perspectives."""
    _lock_engagement(engagement)
    _check_can_invite(engagement, person, request_key)
    if person.role == Person.Role.CEO:
        raise InvitationError("The CEO answers the assessment itself; invite another leader.")
    ceo = assessment_for(engagement)
    if not method_for(ceo.methodology_version).perspectives:
        raise InvitationError(
            f"This engagement is scored with methodology {ceo.methodology_version}, which "
            "reads the CEO's answers only. Move it to the newest methodology on the results "
            "page to invite other leaders."
        )
    limit = method_for(ceo.methodology_version).thresholds.perspectives_at_most
    others = engagement.assessments.perspectives().exclude(person=person)
    if others.count() >= limit:
        raise InvitationError(f"An assessment takes at most {limit} perspectives.")
    assessment = perspective_for(engagement, person)
    if assessment.is_submitted:
        raise InvitationError(f"{person.name} has already given their perspective.")
    link, revoked = _issue(
        assessment=assessment,
        person=person,
        actor=actor,
        request_key=request_key,
        template="assessments/email/perspective_invitation",
    )
    verb = "Sent a new link to" if revoked else "Invited"
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="perspective.invited",
        summary=(
            f"{verb} {person.name} ({person.email}) to give their perspective as "
            f"{assessment.get_respondent_display()}"
        ),
    )
    return link


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if invitation.revoked_at is not None:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    emails_withdraw(
        Email.objects.filter(pk=invitation.email_id), reason="Not sent: the link was revoked."
    )
    audit_record(
        firm=invitation.engagement.firm,
        engagement=invitation.engagement,
        actor=actor,
        action="invitation.revoked",
        summary=f"Revoked the link sent to {invitation.person.name}",
    )


def invitation_resolve(token: str) -> Invitation | None:
    """The invitation a link token belongs to, usable or not; None for an unknown token."""
    if not token or len(token) > 200:
        return None
    try:
        invitation = (
            Invitation.objects.select_related(
                "engagement__firm", "engagement__client", "engagement__lead_advisor", "person"
            )
            .select_related("assessment")
            .get(token_hash=token_hash(token))
        )
    except Invitation.DoesNotExist:
        return None
    if invitation.assessment is not None:
        # The answers' services read the engagement through the assessment: the same row.
        invitation.assessment.engagement = invitation.engagement
    return invitation


# The engagement page shows when a link was last opened to the minute: a respondent moving
# from step to step within it need not write the same moment again on every page.
OPEN_RECORD_INTERVAL = timedelta(minutes=1)


def invitation_record_open(*, invitation: Invitation) -> None:
    """Notes that the respondent opened the link; the audit trail hears of it at most once a
    day."""
    now = timezone.now()
    last = invitation.last_opened_at
    first_time = invitation.first_opened_at is None
    new_day = last is None or timezone.localdate(last) != timezone.localdate(now)
    if not new_day and now - last < OPEN_RECORD_INTERVAL:
        return
    with transaction.atomic():
        _record_open(invitation, now, first_time=first_time, new_day=new_day)


def _record_open(invitation: Invitation, now: datetime, *, first_time: bool, new_day: bool) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        first_opened_at=invitation.first_opened_at or now, last_opened_at=now
    )
    invitation.first_opened_at = invitation.first_opened_at or now
    invitation.last_opened_at = now
    if first_time or new_day:
        audit_record(
            firm=invitation.engagement.firm,
            engagement=invitation.engagement,
            actor_label=respondent_label(invitation),
            action="invitation.opened",
            summary="Opened the assessment link" + (" for the first time" if first_time else ""),
        )
