from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from advisory.access import firm_for, get_for_firm
from advisory.forms import EngagementForm
from advisory.models import Client, Email, Engagement
from advisory.services import engagement_archive, engagement_save
from assessments.panels import assessment_panel
from assessments.services.answers import assessment_for
from reports.panels import memo_panel


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    firm = firm_for(request.user)
    initial = {"lead_advisor": request.user}
    if (
        (client_pk := request.GET.get("client", "").strip())
        and client_pk.isascii()
        and client_pk.isdigit()
    ):
        initial["client"] = Client.objects.for_firm(firm).filter(pk=client_pk).first()
    form = EngagementForm(request.POST or None, firm=firm, initial=initial)
    if request.method == "POST" and form.is_valid():
        engagement = form.save(commit=False)
        engagement.firm = firm
        engagement_save(engagement=engagement, actor=request.user, fields=form.changed_data)
        messages.success(request, "Engagement opened. Invite the CEO when you are ready.")
        return redirect(engagement)
    return render(request, "advisory/engagement_form.html", {"form": form})


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_for_firm(
        request.user,
        Engagement.objects.select_related("client", "lead_advisor").with_ceo_progress(),
        pk=pk,
    )
    ceo = assessment_for(engagement)
    context = {
        "engagement": engagement,
        "audit_events": engagement.audit_events.select_related("actor")[:100],
        "emails": Email.objects.for_engagement(engagement).for_log()[:50],
        **assessment_panel(engagement, ceo),
        **memo_panel(engagement, ceo),
    }
    return render(request, "advisory/engagement_detail.html", context)


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_for_firm(request.user, Engagement.objects.select_related("client"), pk=pk)
    form = EngagementForm(request.POST or None, instance=engagement, firm=engagement.firm)
    if request.method == "POST" and form.is_valid():
        engagement_save(
            engagement=form.save(commit=False), actor=request.user, fields=form.changed_data
        )
        messages.success(request, "Engagement saved.")
        return redirect(engagement)
    return render(
        request, "advisory/engagement_form.html", {"form": form, "engagement": engagement}
    )


@require_POST
@login_required
def engagement_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_for_firm(request.user, Engagement.objects.active(), pk=pk)
    engagement_archive(engagement=engagement, actor=request.user)
    messages.success(request, "Engagement archived.")
    return redirect("dashboard")
