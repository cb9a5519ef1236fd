"""Writes for answers: every change to a respondent's answers goes through here.

Answers are stored one row per question and upserted on (assessment, code), so two tabs
answering different questions both keep their answers. Each save locks the assessment row
for the length of its short transaction, which keeps the answered count exact and makes
"save after submit" impossible rather than merely unlikely.

One respondent is the CEO (the whole questionnaire; their progress moves the engagement's
state); the others give a perspective (the shorter questionnaire of methodology §7).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from advisory.audit import audit_record
from advisory.models import Engagement, Person
from advisory.notifications import SUBMISSION, advisor_notify
from advisory.services import engagement_set_state
from assessments.form_values import coerce_form_value
from assessments.methodology import AnswerError, method_for
from assessments.methodology.v2026_2 import PERSPECTIVE_CODES
from assessments.methodology.validation import validate_answers
from assessments.models import Answer, Assessment
from assessments.plausibility import CHECKS_BY_KEY, Finding, findings
from assessments.questionnaire import (
    QUESTIONNAIRE_VERSION,
    Questionnaire,
    questionnaire_for,
)
from reports.tasks import prepare_draft_memo as prepare_draft_memo_task

logger = logging.getLogger(__name__)

CEO_LABEL = "CEO"


class AssessmentLocked(Exception):
    """The answers were submitted and can no longer change."""


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    return questionnaire_for(assessment.respondent)


def assessment_for(engagement: Engagement) -> Assessment:
    """The engagement's CEO assessment, created on first use with the newest methodology."""
    existing = Assessment.objects.ceo().filter(engagement=engagement).first()
    if existing is not None:
        return existing
    questionnaire = questionnaire_for(Assessment.Respondent.CEO)
    try:
        with transaction.atomic():
            assessment, _ = Assessment.objects.get_or_create(
                engagement=engagement,
                respondent=Assessment.Respondent.CEO,
                defaults={
                    "questionnaire_version": QUESTIONNAIRE_VERSION,
                    "required_count": len(questionnaire.required_codes),
                },
            )
    except IntegrityError:  # created by a request that ran at the same moment
        assessment = Assessment.objects.ceo().get(engagement=engagement)
    return assessment


def perspective_role(person: Person) -> str:
    """The §7 role a person of the client answers as; a person's roles are named alike."""
    role = person.role if person.role in Assessment.Respondent.values else "other"
    return "other" if role == Assessment.Respondent.CEO else role


def perspective_for(engagement: Engagement, person: Person) -> Assessment:
    """The perspective a leader gives on this engagement, created on first use."""
    questionnaire = questionnaire_for("perspective")
    try:
        with transaction.atomic():
            assessment, _ = Assessment.objects.perspectives().get_or_create(
                engagement=engagement,
                person=person,
                defaults={
                    "respondent": perspective_role(person),
                    "questionnaire_version": QUESTIONNAIRE_VERSION,
                    "required_count": len(questionnaire.required_codes),
                },
            )
    except IntegrityError:
        assessment = Assessment.objects.perspectives().get(engagement=engagement, person=person)
    return assessment


def _locked_assessment(assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("engagement")
        .get(pk=assessment.pk)
    )
    if locked.is_submitted:
        raise AssessmentLocked
    return locked


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


@dataclass(frozen=True)
class Saved:
    """What a save leaves: the answer as stored (None when it was cleared), every "please
    check" note open now, from the answers read under the save's lock, and when the save held
    that lock (microseconds since the epoch). Saves of one assessment hold it one after
    another, so of two saves the one with the later ``revision`` has seen every answer the
    other stored: its notes are the ones to show, whichever answer reaches the page first."""

    answer: Answer | None
    notes: list[Finding]
    revision: int


def _lock_unsubmitted(assessment: Assessment, now: datetime) -> None:
    """Takes the assessment's row lock for the rest of the transaction by recording the
    activity; the same statement refuses answers that were submitted meanwhile."""
    touched = Assessment.objects.filter(pk=assessment.pk, submitted_at__isnull=True).update(
        last_activity_at=now
    )
    if not touched:
        raise AssessmentLocked


def _answered(values: Mapping[str, object], questionnaire: Questionnaire) -> int:
    return sum(1 for code in questionnaire.required_codes if values.get(code) is not None)


def _answers_write(
    assessment: Assessment,
    *,
    saved: list[Answer],
    cleared: list[str],
    actor_label: str,
) -> dict[str, object]:
    """Stores a set of answers as one change: one statement takes the lock, one reads the
    answers under it, one upserts, and the answered count is kept from what was read rather
    than counted again. Returns every stored value, by code, as it now stands.

    A question asked only under a condition (methodology 2026.2 §1: the AI leader's reporting
    line, asked only when there is one) holds its hidden value when the condition fails, and
    goes back to unanswered when it holds again.
    """
    questionnaire = questionnaire_of(assessment)
    now = timezone.now()
    _lock_unsubmitted(assessment, now)
    # Answers read with the assessment earlier in the request are out of date from here on.
    getattr(assessment, "_prefetched_objects_cache", {}).pop("answers", None)
    values = dict(assessment.answers.values_list("code", "value"))
    before = _answered(values, questionnaire)
    given = {answer.code for answer in saved}
    upserts = {answer.code: answer for answer in saved}
    deletes = set(cleared)
    for answer in saved:
        values[answer.code] = answer.value
    for code in cleared:
        values.pop(code, None)
    for code in [*upserts, *cleared]:
        for question in questionnaire.dependents.get(code, []):
            condition = question.shown_when
            assert condition is not None
            controlling = values.get(code)
            if controlling is None or condition.shows(controlling):
                # Back to unanswered, unless this same change answers it.
                hidden_held = values.get(question.code) == condition.hidden
                if hidden_held and question.code not in given:
                    deletes.add(question.code)
                    values.pop(question.code)
            else:
                hidden = condition.hidden
                upserts[question.code] = Answer(code=question.code, value=hidden, raw=hidden)
                values[question.code] = hidden
    if deletes - upserts.keys():
        assessment.answers.filter(code__in=deletes - upserts.keys()).delete()
    if upserts:
        for answer in upserts.values():
            answer.assessment = assessment
        Answer.objects.bulk_create(
            upserts.values(),
            update_conflicts=True,
            unique_fields=["assessment", "code"],
            update_fields=["value", "raw", "error", "updated_at"],
        )
    answered = _answered(values, questionnaire)
    # Written when this change moves the count, or when the row's count is out of step with
    # its answers (the required questions change with a methodology move); the object in hand
    # may be older than the lock, so the answers read under it decide.
    if answered != before or answered != assessment.answered_count:
        Assessment.objects.filter(pk=assessment.pk).update(answered_count=answered)
    if assessment.started_at is None:
        # The first answer: the one save that records the start (another may have won).
        first = Assessment.objects.filter(pk=assessment.pk, started_at__isnull=True)
        if first.update(started_at=now):
            _record_start(assessment, actor_label)
        assessment.started_at = now
    engagement = assessment.engagement
    if assessment.is_ceo and engagement.state == Engagement.State.INVITED:
        engagement_set_state(engagement=engagement, state=Engagement.State.IN_PROGRESS)
    assessment.answered_count = answered
    assessment.last_activity_at = now
    return values


def _record_start(assessment: Assessment, actor_label: str) -> None:
    engagement = assessment.engagement
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor_label=actor_label,
        action="assessment.started",
        summary="Started answering the assessment"
        if assessment.is_ceo
        else "Started giving their perspective",
    )


def _answer(assessment: Assessment, code: str, raw: str | list[str]) -> Answer:
    """The answer as typed, checked: its typed value, or what was typed with its error."""
    if code not in questionnaire_of(assessment).questions:
        raise KeyError(code)
    raw = _storable(raw)
    value, error = coerce_form_value(code, raw)
    return Answer(assessment=assessment, code=code, value=value, raw=raw, error=error or "")


@transaction.atomic
def answer_save(
    *, assessment: Assessment, code: str, raw: str | list[str], actor_label: str = CEO_LABEL
) -> Answer:
    """Stores one answer as typed and, when it is valid, as a typed value.

    An invalid answer keeps what was typed with its error, so the field shows it again until it
    is corrected. Raises AssessmentLocked after submission and KeyError for a code this
    respondent's questionnaire does not ask.
    """
    answer = _answer(assessment, code, raw)
    _answers_write(assessment, saved=[answer], cleared=[], actor_label=actor_label)
    return answer


@transaction.atomic
def answer_clear(*, assessment: Assessment, code: str, actor_label: str = CEO_LABEL) -> None:
    """Takes an answer back to "not answered", as unticking every box of a list question does."""
    _answers_write(assessment, saved=[], cleared=[code], actor_label=actor_label)


@transaction.atomic
def answer_autosave(
    *,
    assessment: Assessment,
    code: str,
    values: list[str],
    actor_label: str = CEO_LABEL,
) -> Saved:
    """Saves one field as the page sends it when it changes: a list question's ticked boxes
    (none ticked: not answered), any other field's last value. Raises AssessmentLocked after
    submission and KeyError for a code this respondent's questionnaire does not ask."""
    questionnaire = questionnaire_of(assessment)
    question = questionnaire.questions[code]
    if question.kind == "multi" and not values:
        answer = None
        stored = _answers_write(assessment, saved=[], cleared=[code], actor_label=actor_label)
    else:
        raw: str | list[str] = values if question.kind == "multi" else (values or [""])[-1]
        answer = _answer(assessment, code, raw)
        stored = _answers_write(assessment, saved=[answer], cleared=[], actor_label=actor_label)
    revision = time.time_ns() // 1000  # the lock is held from _answers_write to the commit
    notes = findings(
        _typed_answers(stored, questionnaire), questionnaire, assessment.confirmed_checks
    )
    return Saved(
        answer=answer, notes=[note for note in notes if not note.confirmed], revision=revision
    )


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
    saved = [_answer(assessment, code, raw) for code, raw in answers.items() if raw is not None]
    cleared = [code for code, raw in answers.items() if raw is None]
    if saved or cleared:
        _answers_write(assessment, saved=saved, cleared=cleared, actor_label=actor_label)
    return saved


def _copy_progress(target: Assessment, source: Assessment) -> None:
    for name in ("answered_count", "last_activity_at", "started_at", "submitted_at"):
        setattr(target, name, getattr(source, name))


def assessment_answers(
    assessment: Assessment, stored: Mapping[str, Answer] | None = None
) -> dict[str, object]:
    """The typed answers, keyed by code; unanswered and invalid ones are left out, and so are
    codes this respondent's questionnaire does not ask. A question not asked because of an
    earlier answer holds its implied value (no AI leader: reports to "none"). ``stored``: the
    assessment's answers when the caller has read them already."""
    if stored is None:
        # all(): answers prefetched with the assessment are read from memory.
        rows = {answer.code: answer.value for answer in assessment.answers.all()}
    else:
        rows = {code: answer.value for code, answer in stored.items()}
    return _typed_answers(rows, questionnaire_of(assessment))


def _typed_answers(values: Mapping[str, object], questionnaire: Questionnaire) -> dict[str, object]:
    asked = questionnaire.questions
    answers = {code: value for code, value in values.items() if code in asked and value is not None}
    for code, dependents in questionnaire.dependents.items():
        for question in dependents:
            condition = question.shown_when
            assert condition is not None
            if code in answers and not condition.shows(answers[code]):
                answers.setdefault(question.code, condition.hidden)
    return answers


def answers_problems(assessment: Assessment, answers: Mapping[str, object]) -> list[AnswerError]:
    """What the methodology says is wrong with these answers of this respondent."""
    if assessment.is_ceo:
        return method_for(assessment.methodology_version).validate(answers)
    return validate_answers(answers, codes=PERSPECTIVE_CODES)


def assessment_problems(assessment: Assessment) -> list[AnswerError]:
    """Why the answers cannot be submitted yet: missing, invalid, or kept with an error."""
    asked = questionnaire_of(assessment).questions
    problems = answers_problems(assessment, assessment_answers(assessment))
    seen = {problem.code for problem in problems}
    for code, error in assessment.answers.exclude(error="").values_list("code", "error"):
        if code not in seen and code in asked:
            problems.append(AnswerError(code, f"{code}: {error}"))
    order = list(asked)
    return sorted(problems, key=lambda p: order.index(p.code) if p.code in order else len(order))


def _respondent_name(assessment: Assessment) -> str:
    if assessment.person_id:
        return assessment.person.name
    # The CEO's assessment outlives a change of CEO: the one who was sent the link answered.
    invitation = assessment.invitations.select_related("person").order_by("-created_at").first()
    return invitation.person.name if invitation else "The CEO"


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, actor_label: str = CEO_LABEL, draft_memo: bool = True
) -> list[AnswerError]:
    """Locks the answers when they are complete and valid; otherwise returns what is wrong.

    The CEO's submission moves the engagement to "submitted": it is what makes results and a
    memo possible. A perspective's does not change the engagement's state. Once the CEO has
    submitted, each submission has a worker prepare a draft memo (unless ``draft_memo`` is
    off)."""
    locked = _locked_assessment(assessment)
    problems = assessment_problems(locked)
    if problems:
        return problems
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["submitted_at"])
    engagement = locked.engagement
    if locked.is_ceo and engagement.state in (
        Engagement.State.NOT_STARTED,
        Engagement.State.INVITED,
        Engagement.State.IN_PROGRESS,
    ):
        engagement_set_state(engagement=engagement, state=Engagement.State.SUBMITTED)
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor_label=actor_label,
        action="assessment.submitted" if locked.is_ceo else "perspective.submitted",
        summary="Submitted the assessment"
        if locked.is_ceo
        else f"Submitted their perspective as {locked.get_respondent_display()}",
    )
    respondent = _respondent_name(locked)
    advisor_notify(
        engagement=engagement,
        switch=SUBMISSION,
        key=f"submitted:{locked.pk}",
        template="assessments/email/submitted_notification",
        context={"assessment": locked, "respondent": respondent},
        about=f"{respondent} ({locked.get_respondent_display()}) submitted their answers",
    )
    if (
        locked.is_ceo
        or engagement.assessments.filter(
            respondent=Assessment.Respondent.CEO, submitted_at__isnull=False
        ).exists()
    ):
        _draft_memo_on_commit(engagement.pk)
    _copy_progress(assessment, locked)
    return []


def _draft_memo_on_commit(engagement_id: int) -> None:
    """Once the answers are committed, a worker prepares a draft memo from them."""

    def publish() -> None:
        try:
            prepare_draft_memo_task.delay(engagement_id)
        except Exception:
            # Deliberately broad: the answers are in; without a draft the advisor requests
            # the memo as before.
            logger.exception("Could not publish the draft memo of engagement %s", engagement_id)

    transaction.on_commit(publish)


def assessment_findings(
    assessment: Assessment, stored: Mapping[str, Answer] | None = None
) -> list[Finding]:
    """The soft checks that hold for the answers so far, each marked confirmed or not."""
    return findings(
        assessment_answers(assessment, stored),
        questionnaire_of(assessment),
        assessment.confirmed_checks,
    )


@transaction.atomic
def finding_confirm(*, assessment: Assessment, key: str, actor_label: str = CEO_LABEL) -> bool:
    """Records that the respondent confirms the answers behind a "please check" note as
    given. Returns False, and records nothing, for a check that does not hold (any more)."""
    locked = _locked_assessment(assessment)
    check = CHECKS_BY_KEY.get(key)
    if check is None or not check.applies_to(questionnaire_of(locked)):
        return False
    answers = assessment_answers(locked)
    if any(answers.get(code) is None for code in check.codes) or not check.unlikely(answers):
        return False
    confirmed = {**locked.confirmed_checks, key: check.given(answers)}
    locked.confirmed_checks = confirmed
    locked.save(update_fields=["confirmed_checks"])
    assessment.confirmed_checks = confirmed
    audit_record(
        firm=locked.engagement.firm,
        engagement=locked.engagement,
        actor_label=actor_label,
        action="assessment.confirmed",
        summary=f"Confirmed answers as given: {check.title[:1].lower()}{check.title[1:]}",
    )
    return True
