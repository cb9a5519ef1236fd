"""The advisor's side of the questionnaire: invite the CEO, revoke a link, read the results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from advisory.access import get_for_firm
from advisory.models import Engagement
from assessments.chart import dimension_chart_svg
from assessments.forms import InviteForm
from assessments.methodology import NEWEST, method_for
from assessments.models import Assessment, Invitation
from assessments.presenter import present
from assessments.services import (
    InvitationAlreadyIssued,
    InvitationError,
    assessment_answers,
    invitation_revoke,
    invitation_send,
)
from assessments.views.common import answer_sections, answers_by_code


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
    try:
        link = invitation_send(
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
    invitation = engagement.invitations.select_related("person").first()
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
    assessment = Assessment.objects.filter(engagement=engagement).first()
    context: dict[str, object] = {"engagement": engagement, "assessment": assessment}
    if assessment is not None and assessment.is_submitted:
        context |= _results_context(engagement, assessment)
    return render(request, "assessments/results.html", context)


def _results_context(engagement: Engagement, assessment: Assessment) -> dict[str, object]:
    """The scored result in the words the memo uses, computed from the stored answers."""
    document = assessment_answers(assessment)
    result = method_for(NEWEST).score(document)
    chart = dimension_chart_svg(result.dimensions, accent=engagement.firm.accent_color)
    return {
        "result": result,
        "words": present(result, document, client_name=engagement.client.name),
        "chart": mark_safe(chart),  # noqa: S308 - the chart escapes every text it draws
        "answer_sections": answer_sections(answers_by_code(assessment)),
    }
