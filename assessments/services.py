"""Writes for invitations and answers: every change to a CEO's link or answers goes through here.

Answers are stored one row per question and upserted on (assessment, code), so two tabs
answering different questions both keep their answers. Each save locks the assessment row
for the length of its short transaction, which keeps the answered count exact and makes
"save after submit" impossible rather than merely unlikely.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from advisory.emails import email_from_templates
from advisory.models import Engagement, Person, User
from advisory.services import audit_record, engagement_set_state
from advisory.tokens import token_hash, token_new
from assessments.form_values import coerce_form_value
from assessments.methodology import NEWEST, AnswerError, method_for
from assessments.models import Answer, Assessment, Invitation
from assessments.questionnaire import QUESTIONNAIRE_VERSION, QUESTIONS, REQUIRED_CODES

CEO_LABEL = "CEO"


class InvitationError(Exception):
    """The invitation cannot be sent; the message says why, in words for the advisor."""


class AssessmentLocked(Exception):
    """The answers were submitted and can no longer change."""


class InvitationAlreadyIssued(InvitationError):
    """The form that asks for this link was posted before: the link was issued then."""


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("questionnaire_welcome", args=[token])


def assessment_for(engagement: Engagement) -> Assessment:
    """The engagement's assessment, created on first use."""
    assessment, _ = Assessment.objects.get_or_create(
        engagement=engagement,
        defaults={
            "questionnaire_version": QUESTIONNAIRE_VERSION,
            "required_count": len(REQUIRED_CODES),
        },
    )
    return assessment


def respondent_label(person: Person) -> str:
    """How the audit trail names the CEO acting through their link."""
    return f"{person.name} ({CEO_LABEL}, personal link)"


@transaction.atomic
def invitation_send(
    *, engagement: Engagement, person: Person, actor: User, request_key: str = ""
) -> str:
    """Issues a new personal link for the CEO, emails it and returns it.

    Only the hash is stored, so the returned link is the one chance to show it. Any earlier
    link for the engagement stops working. A ``request_key`` already used for this
    engagement raises :class:`InvitationAlreadyIssued` instead of issuing a second link.
    """
    _lock_engagement(engagement)
    if request_key and engagement.invitations.filter(request_key=request_key).exists():
        raise InvitationAlreadyIssued(
            "That link was issued a moment ago and shown once. Issue a new link if it was lost."
        )
    if person.client_id != engagement.client_id or person.archived_at is not None:
        raise InvitationError("Choose a person listed for this client.")
    if engagement.archived_at is not None:
        raise InvitationError("The engagement is archived; restore it before inviting anyone.")
    assessment = assessment_for(engagement)
    if assessment.is_submitted:
        raise InvitationError("The CEO has already submitted the answers; no new link is needed.")
    now = timezone.now()
    revoked = engagement.invitations.filter(revoked_at__isnull=True).update(revoked_at=now)
    token, hashed = token_new()
    invitation = Invitation.objects.create(
        engagement=engagement,
        person=person,
        token_hash=hashed,
        created_by=actor,
        # How long CEO links live is the firm's setting (Firm.ceo_link_days).
        expires_at=now + timedelta(days=engagement.firm.ceo_link_days),
        request_key=request_key[:64],
    )
    link = invitation_link(token)
    try:
        # Sent inside the transaction: if the mail server refuses, no link exists that the CEO
        # never received, and the advisor is told to try again.
        _invitation_email(invitation=invitation, link=link, actor=actor).send()
    except (OSError, smtplib.SMTPException) as error:
        raise InvitationError(
            f"The email to {person.email} could not be sent, so no link was issued. "
            "Try again in a moment."
        ) from error
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


def _lock_engagement(engagement: Engagement) -> None:
    Engagement.objects.select_for_update().filter(pk=engagement.pk).values_list("pk").first()


def _invitation_email(*, invitation: Invitation, link: str, actor: User) -> EmailMultiAlternatives:
    engagement = invitation.engagement
    context = {
        "person": invitation.person,
        "engagement": engagement,
        "firm": engagement.firm,
        "advisor": actor,
        "link": link,
        "expires_at": invitation.expires_at,
    }
    return email_from_templates(
        name="assessments/email/invitation",
        context=context,
        to=invitation.person.email,
        firm=engagement.firm,
        reply_to=actor.email,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if invitation.revoked_at is not None:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
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
    return (
        Invitation.objects.select_related(
            "engagement", "engagement__firm", "engagement__client", "person"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_record_open(*, invitation: Invitation) -> None:
    """Notes that the CEO opened the link; the audit trail hears of it at most once a day."""
    now = timezone.now()
    last = invitation.last_opened_at
    first_time = invitation.first_opened_at is None
    Invitation.objects.filter(pk=invitation.pk).update(
        first_opened_at=invitation.first_opened_at or now, last_opened_at=now
    )
    invitation.first_opened_at = invitation.first_opened_at or now
    invitation.last_opened_at = now
    if first_time or last is None or timezone.localdate(last) != timezone.localdate(now):
        audit_record(
            firm=invitation.engagement.firm,
            engagement=invitation.engagement,
            actor_label=respondent_label(invitation.person),
            action="invitation.opened",
            summary="Opened the assessment link" + (" for the first time" if first_time else ""),
        )


def _locked_assessment(assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update().select_related("engagement").get(pk=assessment.pk)
    )
    if locked.is_submitted:
        raise AssessmentLocked
    return locked


def _upsert(assessment: Assessment, code: str, fields: dict[str, object]) -> Answer:
    try:
        with transaction.atomic():
            answer, _ = Answer.objects.update_or_create(
                assessment=assessment, code=code, defaults=fields
            )
    except IntegrityError:
        # Another request created the row between our look-up and insert; update it instead.
        answer = Answer.objects.get(assessment=assessment, code=code)
        for name, value in fields.items():
            setattr(answer, name, value)
        answer.save()
    return answer


# What is kept of an answer as typed: enough to show any honest answer back in full (the longest
# allowed text is 5,000 characters), not a place to store megabytes through a link.
RAW_MAX_CHARS = 10_000
RAW_MAX_ITEMS = 50


def _storable(raw: str | list[str]) -> str | list[str]:
    """The typed answer as it can be stored: without NUL characters, which no browser user
    types and PostgreSQL cannot hold, and within a generous size."""
    if isinstance(raw, list):
        return [item.replace("\x00", "")[:RAW_MAX_CHARS] for item in raw[:RAW_MAX_ITEMS]]
    return raw.replace("\x00", "")[:RAW_MAX_CHARS]


@transaction.atomic
def answer_save(
    *, assessment: Assessment, code: str, raw: str | list[str], actor_label: str = CEO_LABEL
) -> Answer:
    """Stores one answer as typed and, when it is valid, as a typed value.

    An invalid answer keeps what was typed with its error, so the field shows it again until it
    is corrected. Raises AssessmentLocked after submission and KeyError for an unknown code.
    """
    if code not in QUESTIONS:
        raise KeyError(code)
    locked = _locked_assessment(assessment)
    raw = _storable(raw)
    value, error = coerce_form_value(code, raw)
    answer = _upsert(locked, code, {"value": value, "raw": raw, "error": error or ""})
    _progress_update(assessment, locked, actor_label)
    return answer


@transaction.atomic
def answer_clear(*, assessment: Assessment, code: str, actor_label: str = CEO_LABEL) -> None:
    """Takes an answer back to "not answered", as unticking every box of a list question does."""
    locked = _locked_assessment(assessment)
    Answer.objects.filter(assessment=locked, code=code).delete()
    _progress_update(assessment, locked, actor_label)


def _progress_update(assessment: Assessment, locked: Assessment, actor_label: str) -> None:
    now = timezone.now()
    locked.answered_count = locked.answers.filter(
        code__in=REQUIRED_CODES, value__isnull=False
    ).count()
    locked.last_activity_at = now
    started = locked.started_at is None
    if started:
        locked.started_at = now
    locked.save(update_fields=["answered_count", "last_activity_at", "started_at"])
    engagement = locked.engagement
    if engagement.state == Engagement.State.INVITED:
        engagement_set_state(engagement=engagement, state=Engagement.State.IN_PROGRESS)
    if started:
        audit_record(
            firm=engagement.firm,
            engagement=engagement,
            actor_label=actor_label,
            action="assessment.started",
            summary="Started answering the assessment",
        )
    _copy_progress(assessment, locked)


@transaction.atomic
def answers_save(
    *,
    assessment: Assessment,
    answers: Mapping[str, str | list[str] | None],
    actor_label: str = CEO_LABEL,
) -> list[Answer]:
    """Stores one step's answers together, as its plain form post carries them.

    ``None`` takes an answer back to "not answered". Raises AssessmentLocked after submission.
    """
    saved = []
    for code, raw in answers.items():
        if raw is None:
            answer_clear(assessment=assessment, code=code, actor_label=actor_label)
        else:
            saved.append(
                answer_save(assessment=assessment, code=code, raw=raw, actor_label=actor_label)
            )
    return saved


def _copy_progress(target: Assessment, source: Assessment) -> None:
    for name in ("answered_count", "last_activity_at", "started_at", "submitted_at"):
        setattr(target, name, getattr(source, name))


def assessment_answers(assessment: Assessment) -> dict[str, object]:
    """The typed answers, keyed by question code; unanswered and invalid ones are left out."""
    rows = assessment.answers.filter(value__isnull=False).values_list("code", "value")
    return {code: value for code, value in rows if code in QUESTIONS}


def assessment_problems(assessment: Assessment) -> list[AnswerError]:
    """Why the answers cannot be submitted yet: missing, invalid, or kept with an error."""
    problems = method_for(NEWEST).validate(assessment_answers(assessment))
    seen = {problem.code for problem in problems}
    for code, error in assessment.answers.exclude(error="").values_list("code", "error"):
        if code not in seen and code in QUESTIONS:
            problems.append(AnswerError(code, f"{code}: {error}"))
    order = list(QUESTIONS)
    return sorted(problems, key=lambda p: order.index(p.code) if p.code in order else len(order))


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor_label: str = CEO_LABEL) -> list[AnswerError]:
    """Locks the answers when they are complete and valid; otherwise returns what is wrong."""
    locked = _locked_assessment(assessment)
    problems = assessment_problems(locked)
    if problems:
        return problems
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["submitted_at"])
    engagement = locked.engagement
    if engagement.state in (
        Engagement.State.NOT_STARTED,
        Engagement.State.INVITED,
        Engagement.State.IN_PROGRESS,
    ):
        engagement_set_state(engagement=engagement, state=Engagement.State.SUBMITTED)
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor_label=actor_label,
        action="assessment.submitted",
        summary="Submitted the assessment",
    )
    _copy_progress(assessment, locked)
    return []
