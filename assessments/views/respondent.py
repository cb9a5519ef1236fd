"""The respondents' pages, reached through a personal link: no account, the token is the key.

The link opens one respondent's questionnaire: the CEO's, or the shorter perspective one a
leader of the client answers (methodology §7). The pages are the same for both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from advisory.links import LinkState
from advisory.tokens import token_hash
from advisory.views.errors import rate_limited
from assessments.forms import (
    code_for,
    field_name,
    is_asked,
    posted_answers,
    shown_value,
)
from assessments.models import Answer, Assessment, Invitation
from assessments.plausibility import CHECKS_BY_KEY, Finding
from assessments.questionnaire import Questionnaire, Section
from assessments.services.answers import (
    AssessmentLocked,
    answer_autosave,
    answers_save,
    assessment_findings,
    assessment_problems,
    assessment_submit,
    finding_confirm,
    questionnaire_of,
)
from assessments.services.invitations import (
    invitation_record_open,
    invitation_resolve,
    respondent_label,
)
from assessments.step_fields import StepPage
from assessments.views.common import (
    answer_sections,
    answers_by_code,
    first_open_section,
    notes_in_words,
    problems_in_words,
)

RespondentView = Callable[..., HttpResponse]


def _over_limit(request: HttpRequest, token: str) -> bool:
    by_ip = is_ratelimited(
        request,
        group="questionnaire.ip",
        key="ip",
        rate=settings.QUESTIONNAIRE_RATE_PER_IP,
        increment=True,
    )
    by_link = is_ratelimited(
        request,
        group="questionnaire.link",
        key=lambda group, req: token_hash(token),
        rate=settings.QUESTIONNAIRE_RATE_PER_LINK,
        increment=True,
    )
    return by_ip or by_link


def respondent_view(view: RespondentView) -> RespondentView:
    """Resolves the link: a friendly page for a bad one, otherwise the view with its invitation."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: object) -> HttpResponse:
        if _over_limit(request, token):
            return rate_limited(request)
        invitation = invitation_resolve(token)
        if invitation is None:
            return render(
                request, "assessments/link_invalid.html", {"reason": "unknown"}, status=404
            )
        state = invitation.link_state
        if state != LinkState.USABLE:
            return render(
                request,
                "assessments/link_invalid.html",
                {"reason": state, "firm": invitation.engagement.firm},
                status=410,
            )
        return view(
            request, token=token, invitation=invitation, assessment=invitation.assessment, **kwargs
        )

    return wrapper


def _context(token: str, invitation: Invitation, assessment: Assessment) -> dict[str, object]:
    questionnaire = questionnaire_of(assessment)
    return {
        "token": token,
        "invitation": invitation,
        "assessment": assessment,
        "firm": invitation.engagement.firm,
        "questionnaire": questionnaire,
        "sections": questionnaire.sections,
        "is_ceo": assessment.is_ceo,
    }


@require_http_methods(["GET", "HEAD"])
@respondent_view
def welcome(
    request: HttpRequest, *, token: str, invitation: Invitation, assessment: Assessment
) -> HttpResponse:
    invitation_record_open(invitation=invitation)
    answers = answers_by_code(assessment)
    context = _context(token, invitation, assessment)
    questionnaire = context["questionnaire"]
    if assessment.is_submitted:
        context["answer_sections"] = answer_sections(answers, questionnaire)
        return render(request, "assessments/questionnaire/done.html", context)
    context["resume"] = first_open_section(answers, questionnaire)
    return render(request, "assessments/questionnaire/welcome.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@respondent_view
def step(
    request: HttpRequest,
    *,
    token: str,
    invitation: Invitation,
    assessment: Assessment,
    section: str,
) -> HttpResponse:
    questionnaire = questionnaire_of(assessment)
    sections = questionnaire.sections
    index = questionnaire.section_index(section)
    if index is None:
        return redirect("questionnaire_welcome", token)
    if assessment.is_submitted:
        return redirect("questionnaire_welcome", token)
    current = sections[index]
    answers = answers_by_code(assessment)
    if request.method == "POST":
        return _save_step(request, token, invitation, assessment, questionnaire, index, answers)
    invitation_record_open(invitation=invitation)
    codes = {question.code for question in current.questions}
    notes = [note for note in _open_notes(assessment, answers) if note.code in codes]
    context = _context(token, invitation, assessment) | {
        "section": current,
        "number": index + 1,
        "page": StepPage(current, answers, notes),
        "previous": sections[index - 1] if index else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
    }
    return render(request, "assessments/questionnaire/step.html", context)


def _save_step(
    request: HttpRequest,
    token: str,
    invitation: Invitation,
    assessment: Assessment,
    questionnaire: Questionnaire,
    index: int,
    answers: dict,
) -> HttpResponse:
    sections = questionnaire.sections
    section = sections[index]
    try:
        answers_save(
            assessment=assessment,
            answers=posted_answers(section, request.POST, answers),
            actor_label=respondent_label(invitation),
        )
    except AssessmentLocked:
        return redirect("questionnaire_welcome", token)
    codes = [question.code for question in section.questions]
    if confirm := request.POST.get("confirm", ""):
        # "Yes, this is right" under a "please check" note: keep the answers as they are.
        check = CHECKS_BY_KEY.get(confirm)
        if check is not None and check.shown_at in codes:
            finding_confirm(
                assessment=assessment, key=confirm, actor_label=respondent_label(invitation)
            )
            target = reverse("questionnaire_step", args=[token, section.key])
            return redirect(target + f"#div_id_{field_name(check.shown_at)}")
    has_errors = assessment.answers.filter(code__in=codes).exclude(error="")
    action = request.POST.get("action", "next")
    if has_errors.exists():
        target = reverse("questionnaire_step", args=[token, section.key])
        return redirect(target + "#error-summary")
    opened = _newly_asked(section, answers, answers_by_code(assessment))
    if action != "back" and opened:
        # An answer on this page opened a question it hides until then (without the page's
        # script the browser could not show it): stay, so it is seen and answered.
        target = reverse("questionnaire_step", args=[token, section.key])
        return redirect(target + f"#div_id_{opened}")
    if action == "back" and index:
        return redirect("questionnaire_step", token, sections[index - 1].key)
    if action == "next" and index + 1 < len(sections):
        return redirect("questionnaire_step", token, sections[index + 1].key)
    if action == "stay":
        return redirect("questionnaire_step", token, section.key)
    return redirect("questionnaire_review", token)


@require_POST
@respondent_view
def autosave(
    request: HttpRequest, *, token: str, invitation: Invitation, assessment: Assessment
) -> JsonResponse:
    """Saves one field as it is answered; the page's plain form post does the same without JS."""
    name = request.POST.get("field", "")
    code = code_for(name)
    question = questionnaire_of(assessment).questions.get(code)
    if question is None:
        return JsonResponse({"ok": False, "error": "Unknown question."}, status=400)
    try:
        saved = answer_autosave(
            assessment=assessment,
            code=code,
            values=request.POST.getlist("value"),
            actor_label=respondent_label(invitation),
        )
    except AssessmentLocked:
        return JsonResponse(
            {"ok": False, "error": "These answers were submitted and can no longer change."},
            status=409,
        )
    answer = saved.answer
    error = answer.error if answer is not None else ""
    return JsonResponse(
        {
            "ok": not error,
            "error": error or None,
            "field": name,
            # What the field shows for the saved answer: "$2.5M" comes back as "2,500,000".
            "shown": shown_value(question, answer) if answer is not None else [],
            "progress": assessment.progress_percent,
            # Every "please check" note open now, so the page redraws the ones it shows; the
            # page keeps the notes of the save with the latest revision.
            "revision": saved.revision,
            "notes": [
                {"key": note.key, "field": field_name(note.code), "message": note.message}
                for note in saved.notes
            ],
        }
    )


@require_http_methods(["GET", "HEAD", "POST"])
@respondent_view
def review(
    request: HttpRequest, *, token: str, invitation: Invitation, assessment: Assessment
) -> HttpResponse:
    if assessment.is_submitted:
        return redirect("questionnaire_welcome", token)
    if request.method == "POST" and (confirm := request.POST.get("confirm", "")):
        finding_confirm(
            assessment=assessment, key=confirm, actor_label=respondent_label(invitation)
        )
        return redirect(reverse("questionnaire_review", args=[token]) + "#checks")
    submitted = request.method == "POST"
    if submitted:
        problems = assessment_submit(
            assessment=assessment, actor_label=respondent_label(invitation)
        )
        if not problems:
            return redirect("questionnaire_welcome", token)
    else:
        invitation_record_open(invitation=invitation)
        problems = assessment_problems(assessment)
    answers = answers_by_code(assessment)
    context = _context(token, invitation, assessment)
    questionnaire = context["questionnaire"]
    context |= {
        "answer_sections": answer_sections(answers, questionnaire),
        "problems": problems_in_words(problems, answers, questionnaire),
        "notes": notes_in_words(_open_notes(assessment), questionnaire),
        "refused": submitted,
    }
    return render(
        request, "assessments/questionnaire/review.html", context, status=400 if submitted else 200
    )


def _open_notes(
    assessment: Assessment, stored: Mapping[str, Answer] | None = None
) -> list[Finding]:
    return [note for note in assessment_findings(assessment, stored) if not note.confirmed]


def _newly_asked(
    section: Section, before: Mapping[str, Answer], after: Mapping[str, Answer]
) -> str:
    """The form field of the first question of ``section`` that the step's answers opened
    and that has no answer yet, or ""."""
    for question in section.questions:
        answer = after.get(question.code)
        if (
            question.shown_when is not None
            and is_asked(question, after)
            and not is_asked(question, before)
            and (answer is None or answer.value is None)
        ):
            return field_name(question.code)
    return ""
