"""The advisor's side of the questionnaires: invite the CEO and other leaders, revoke a link,
read the results, move an engagement to the newest methodology."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from advisory.access import get_for_firm
from advisory.models import Engagement
from assessments.chart import dimension_chart_svg
from assessments.explanations import RECOMMENDATION_LABELS, REPORTING_LINE_LABELS
from assessments.forms import InviteForm, LeaderInviteForm
from assessments.methodology import NEWEST
from assessments.models import Assessment, Invitation
from assessments.presenter import present, result_changes
from assessments.questionnaire import CEO_QUESTIONNAIRE, PERSPECTIVE_QUESTIONNAIRE
from assessments.services.answers import assessment_answers, assessment_findings, assessment_for
from assessments.services.invitations import (
    InvitationAlreadyIssued,
    InvitationError,
    invitation_revoke,
    invitation_send,
    perspective_invite,
)
from assessments.services.scoring import (
    MethodologyMove,
    NotScorable,
    engagement_result,
    methodology_move,
    submitted_perspectives,
)
from assessments.views.common import answer_sections, answers_by_code
from reports.models import MemoVersion


@never_cache
@require_POST
@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Issues the link and shows it in this response, the only time it is ever shown.

    Only its hash is stored, and the link itself is kept nowhere (not in the session, not in
    the cache): the page that answers the POST is the one chance to copy it.
    """
    engagement = get_for_firm(request.user, Engagement.objects.select_related("client"), pk=pk)
    form = InviteForm(request.POST, engagement=engagement)
    if not form.is_valid():
        messages.error(request, "Choose the client's CEO to invite.")
        return redirect(engagement)
    return _issue_link(request, engagement, form, invitation_send)


@never_cache
@require_POST
@login_required
def invite_leader(request: HttpRequest, pk: int) -> HttpResponse:
    """A link for a leader of the client to give their perspective, shown once like the
    CEO's."""
    engagement = get_for_firm(request.user, Engagement.objects.select_related("client"), pk=pk)
    form = LeaderInviteForm(request.POST, engagement=engagement)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("person", ["Choose a leader."])))
        return redirect(engagement)
    return _issue_link(request, engagement, form, perspective_invite)


def _issue_link(
    request: HttpRequest,
    engagement: Engagement,
    form: InviteForm | LeaderInviteForm,
    send: Callable[..., str],
) -> HttpResponse:
    try:
        link = send(
            engagement=engagement,
            person=form.cleaned_data["person"],
            actor=request.user,
            request_key=form.cleaned_data["request_key"],
        )
    except InvitationAlreadyIssued as error:
        messages.info(request, str(error))
        return redirect(engagement)
    except InvitationError as error:
        messages.error(request, str(error))
        return redirect(engagement)
    return _link_shown_once(request, engagement, link)


def _link_shown_once(request: HttpRequest, engagement: Engagement, link: str) -> HttpResponse:
    invitation = engagement.invitations.select_related("person", "assessment").first()
    return render(
        request,
        "assessments/invitation_sent.html",
        {"engagement": engagement, "invitation": invitation, "link": link},
    )


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = get_for_firm(
        request.user,
        Invitation.objects.select_related("engagement", "engagement__firm", "person"),
        pk=invitation_pk,
        engagement_id=pk,
    )
    invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, f"The link sent to {invitation.person.name} no longer works.")
    return redirect(invitation.engagement)


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_for_firm(
        request.user, Engagement.objects.select_related("client", "firm"), pk=pk
    )
    assessment = assessment_for(engagement)
    context: dict[str, object] = {"engagement": engagement, "assessment": assessment}
    if assessment.is_submitted:
        context |= _results_context(engagement, assessment)
    if assessment.methodology_version != NEWEST:
        context["newer"] = _newer_methodology(engagement, assessment)
    return render(request, "assessments/results.html", context)


def _results_context(engagement: Engagement, assessment: Assessment) -> dict[str, object]:
    """The scored result in the words the memo uses, from the stored answers: the CEO's and
    every perspective submitted so far, each read once."""
    prefetch_related_objects([assessment], "answers")
    perspectives = submitted_perspectives(engagement)
    try:
        scored = engagement_result(engagement, ceo=assessment, perspectives=perspectives)
    except NotScorable as problem:
        return {"not_scorable": str(problem)}
    result = scored.result
    accent = engagement.firm.accent_color
    chart = dimension_chart_svg(result.dimensions, accent=accent)
    # The same chart drawn for a phone, where the wide one would shrink its words to 7 px.
    narrow = dimension_chart_svg(
        result.dimensions, accent=accent, id_prefix="dimension-chart-narrow", narrow=True
    )
    newest = engagement.memo_versions.defer("answers").order_by("-number").first()
    context: dict[str, object] = {
        "result": result,
        "words": present(result, scored.document, client_name=engagement.client.name),
        # The charts escape every text they draw.
        "chart": mark_safe(chart),  # noqa: S308
        "chart_narrow": mark_safe(narrow),  # noqa: S308
        "answer_sections": answer_sections(answers_by_code(assessment), CEO_QUESTIONNAIRE),
        "perspective_answers": [
            (p, answer_sections(answers_by_code(p), PERSPECTIVE_QUESTIONNAIRE))
            for p in perspectives
        ],
        "size_difference": _size_difference(engagement, assessment),
        "notes": [
            (who, note)
            for who, notes in (
                ("The CEO", assessment_findings(assessment)),
                *(
                    (f"{p.person.name} ({p.get_respondent_display()})", assessment_findings(p))
                    for p in perspectives
                ),
            )
            for note in notes
        ],
        # Perspectives submitted after the newest memo version was requested: they reach the
        # memo only through a new version.
        "perspectives_not_in_memo": [
            p for p in perspectives if newest and p.submitted_at > newest.requested_at
        ],
        "departing_memo": _departing_memo(newest),
    }
    return context


def _size_difference(engagement: Engagement, assessment: Assessment) -> dict[str, int] | None:
    """The CEO's head count against the one on the client record, when they differ."""
    recorded = engagement.client.employees
    answered = assessment_answers(assessment).get("profile.employees")
    if recorded is None or not isinstance(answered, int) or answered == recorded:
        return None
    return {"answered": answered, "recorded": recorded}


def _departing_memo(newest: MemoVersion | None) -> dict[str, object] | None:
    """The newest memo version, when the advisor departs in it from the method's result."""
    if newest is None or not newest.departs:
        return None
    structure = RECOMMENDATION_LABELS[newest.advisor_recommendation]
    line = REPORTING_LINE_LABELS[newest.advisor_reporting_line]

    def mid(text: str) -> str:
        return text[:1].lower() + text[1:]

    return {"version": newest, "recommends": f"{mid(structure)} ({mid(line)})"}


def _newer_methodology(engagement: Engagement, assessment: Assessment) -> dict[str, object]:
    """What the newest methodology would make of the same answers, for the advisor to judge
    before moving the engagement to it."""
    newer: dict[str, object] = {"version": NEWEST, "current": assessment.methodology_version}
    if not assessment.is_submitted:
        return newer
    try:
        scored = engagement_result(engagement, version=NEWEST)
        current = engagement_result(engagement).result
    except NotScorable as problem:
        return newer | {"problem": str(problem)}
    return newer | {
        "words": present(scored.result, scored.document, client_name=engagement.client.name),
        "changes": result_changes(current, scored.result),
    }


@require_POST
@login_required
def move_methodology(request: HttpRequest, pk: int) -> HttpResponse:
    """Moves the engagement to the newest methodology: a visible, audited action."""
    engagement = get_for_firm(
        request.user, Engagement.objects.select_related("client", "firm"), pk=pk
    )
    try:
        moved = methodology_move(engagement=engagement, actor=request.user)
    except NotScorable as problem:
        messages.error(request, str(problem))
        return redirect("assessment_results", engagement.pk)
    messages.success(request, _moved_message(moved))
    return redirect("assessment_results", engagement.pk)


def _moved_message(moved: MethodologyMove) -> str:
    text = f"The engagement now uses methodology {NEWEST}."
    if moved.before is None or moved.after is None:
        return text + " The CEO's answers will be scored with it once submitted."
    changes = result_changes(moved.before, moved.after)
    if not changes:
        return text + " The recommendation, reporting line and confidence are unchanged."
    return text + " " + " ".join(f"{what}: {old} → {new}." for what, old, new in changes)
