"""An engagement's assessment as the methodology reads it, its result, and moving an engagement
to a newer methodology.

The CEO's assessment records the methodology the engagement is scored with. Engagements
opened before cto-caio-2026.2 keep cto-caio-2026.1 until the advisor moves them
(:func:`methodology_move`, visible and audited); new ones take the newest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from advisory.audit import audit_record
from advisory.models import Engagement, User
from assessments.methodology import NEWEST, AnswerError, Result, method_for
from assessments.models import Answer, Assessment
from assessments.questionnaire import QUESTIONS
from assessments.services.answers import assessment_answers, assessment_for


class NotScorable(Exception):
    """The engagement's answers cannot be scored (yet); the message says why."""


def submitted_perspectives(engagement: Engagement) -> list[Assessment]:
    """Perspectives submitted so far, in the order they were submitted (§7 reads the first
    CTO perspective's capacity, so the order matters)."""
    return list(
        engagement.assessments.perspectives()
        .submitted()
        .select_related("person")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )


def assessment_document(
    engagement: Engagement,
    *,
    version: str | None = None,
    ceo: Assessment | None = None,
    perspectives: list[Assessment] | None = None,
) -> dict[str, Any]:
    """The engagement's assessment as methodology ``version`` (default: the engagement's own)
    reads it: the CEO's answers, flat, or with every submitted perspective in an envelope when
    the version reads perspectives and there are some. ``ceo`` and ``perspectives``: the
    CEO's assessment and :func:`submitted_perspectives`, when the caller has read them."""
    ceo = ceo or assessment_for(engagement)
    method = method_for(version or ceo.methodology_version)
    answers = assessment_answers(ceo)
    if not method.perspectives:
        return answers
    if perspectives is None:
        perspectives = submitted_perspectives(engagement)
    views = [{"role": p.respondent, "answers": assessment_answers(p)} for p in perspectives]
    return {"answers": answers, "perspectives": views} if views else answers


@dataclass(frozen=True)
class Scored:
    document: dict[str, Any]
    result: Result


def engagement_result(
    engagement: Engagement,
    *,
    version: str | None = None,
    ceo: Assessment | None = None,
    perspectives: list[Assessment] | None = None,
) -> Scored:
    """The submitted assessment scored with the engagement's methodology (or ``version``)."""
    ceo = ceo or assessment_for(engagement)
    if not ceo.is_submitted:
        raise NotScorable("The CEO has not submitted the assessment yet.")
    version = version or ceo.methodology_version
    document = assessment_document(engagement, version=version, ceo=ceo, perspectives=perspectives)
    method = method_for(version)
    errors = method.validate(document)
    if errors:
        raise NotScorable(_refusal(version, errors))
    return Scored(document=document, result=method.score(document))


def _refusal(version: str, errors: list[AnswerError]) -> str:
    names = "; ".join(
        QUESTIONS[e.code].label if e.code in QUESTIONS else e.code for e in errors[:5]
    )
    return f"The submitted answers do not meet methodology {version}: {names}."


@dataclass(frozen=True)
class MethodologyMove:
    before: Result | None
    after: Result | None
    # Answers read differently under the new version (code, as stored, as read now).
    normalised: list[tuple[str, object, object]]


_REPORTS_TO = "leadership.ai_leader_reports_to"


@transaction.atomic
def methodology_move(
    *, engagement: Engagement, actor: User, version: str = NEWEST
) -> MethodologyMove:
    """Moves the engagement to ``version``: from now on its results and new memo versions use
    it (memo versions already made keep theirs). Returns the result before and after (None
    before submission), and records both in the audit trail.

    A CEO who said there is no AI leader but named someone it reports to, as 2026.1 allowed,
    is read as "reports to nobody" (2026.2 §1; the question is no longer asked without an AI
    leader). Any other answer the new version refuses stops the move.
    """
    ceo = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("engagement")
        .get(pk=assessment_for(engagement).pk)
    )
    method = method_for(version)
    if ceo.methodology_version == version:
        raise NotScorable(f"This engagement is already scored with {version}.")
    before = engagement_result(engagement).result if ceo.is_submitted else None
    normalised = []
    answers = assessment_answers(ceo)
    if answers.get("leadership.ai_leader") == "none" and answers.get(_REPORTS_TO) not in (
        None,
        "none",
    ):
        normalised.append((_REPORTS_TO, answers[_REPORTS_TO], "none"))
        Answer.objects.filter(assessment=ceo, code=_REPORTS_TO).update(value="none", raw="none")
    after = None
    if ceo.is_submitted:
        document = assessment_document(engagement, version=version)
        errors = method.validate(document)
        if errors:
            raise NotScorable(_refusal(version, errors))
        after = method.score(document)
    previous = ceo.methodology_version
    ceo.methodology_version = version
    ceo.save(update_fields=["methodology_version"])
    summary = f"Moved the engagement from methodology {previous} to {version}"
    if before is not None and after is not None:
        summary += (
            f": {before.recommendation} / {before.reporting_line} / {before.confidence} → "
            f"{after.recommendation} / {after.reporting_line} / {after.confidence}"
        )
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="methodology.moved",
        summary=summary,
    )
    return MethodologyMove(before=before, after=after, normalised=normalised)
