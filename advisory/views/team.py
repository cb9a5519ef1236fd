"""The Team page and its actions, for the firm's owners only: everyone else gets a 404, a
direct POST included, because every view starts from ``owned_firm_for``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisory.access import get_for_firm, owned_firm_for
from advisory.forms import DeactivateForm, InviteForm, RoleForm
from advisory.models import Email, Membership
from advisory.team import (
    TeamError,
    member_deactivate,
    member_invite,
    member_invite_resend,
    member_role_set,
    member_two_factor_reset,
    open_engagements_led_by,
)


def _member(request: HttpRequest, pk: int) -> Membership:
    owned_firm_for(request.user)
    return get_for_firm(request.user, Membership.objects.select_related("user", "firm"), pk=pk)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    firm = owned_firm_for(request.user)
    two_factor = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    members = list(
        Membership.objects.for_firm(firm).for_team_page().annotate(two_factor=Exists(two_factor))
    )
    # Who has not joined yet: how their latest invitation email fared.
    waiting = {m.user.email: m for m in members if not m.user.has_usable_password()}
    invitations = Email.objects.filter(
        firm=firm, kind=Email.Kind.MEMBER_INVITATION, to__in=waiting
    ).order_by("queued_at", "pk")
    for email in invitations:
        waiting[email.to].invitation_email = email
    return render(
        request,
        "advisory/team.html",
        {
            "firm": firm,
            "members": [m for m in members if m.user.is_active],
            "former": [m for m in members if not m.user.is_active],
            "roles": Membership.Role.choices,
        },
    )


@login_required
def team_invite(request: HttpRequest) -> HttpResponse:
    firm = owned_firm_for(request.user)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = member_invite(firm=firm, actor=request.user, **form.cleaned_data)
        except TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Invitation sent to {membership.user.email}. The link in it works for 7 days.",
            )
            return redirect("team")
    return render(request, "advisory/team_invite.html", {"form": form, "firm": firm})


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Owner or Advisor.")
        return redirect("team")
    try:
        member_role_set(membership=membership, role=form.cleaned_data["role"], actor=request.user)
    except TeamError as error:
        messages.error(request, str(error))
        return redirect("team")
    membership.refresh_from_db()
    messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}.")
    if membership.user_id == request.user.pk and not membership.is_owner:
        return redirect("dashboard")  # no longer an owner: the Team page is not theirs
    return redirect("team")


@login_required
@require_POST
def member_resend(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request, pk)
    try:
        member_invite_resend(membership=membership, actor=request.user)
    except TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"A new invitation is on its way to {membership.user.email}; "
            "the link in the earlier one no longer works.",
        )
    return redirect("team")


@login_required
@require_POST
def member_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request, pk)
    try:
        member_two_factor_reset(membership=membership, actor=request.user)
    except TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{membership.user}'s two-factor sign-in is reset and their sessions have ended. "
            "They sign in with their password and set up a new authenticator.",
        )
    return redirect("team")


@login_required
def member_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _member(request, pk)
    engagements = list(
        open_engagements_led_by(membership.user, membership.firm).select_related("client")
    )
    # Bound on any POST: with no engagements to hand over, the form posts no fields at all.
    data = request.POST if request.method == "POST" else None
    form = DeactivateForm(data, membership=membership, open_count=len(engagements))
    if request.method == "POST" and form.is_valid():
        try:
            handed = member_deactivate(
                membership=membership,
                actor=request.user,
                hand_to=form.cleaned_data.get("hand_to"),
            )
        except TeamError as error:
            form.add_error(None, str(error))
        else:
            handed_words = (
                f" {handed} open engagement{'s' if handed != 1 else ''} handed to "
                f"{form.cleaned_data['hand_to']}."
                if handed
                else ""
            )
            messages.success(
                request, f"{membership.user} is deactivated and signed out.{handed_words}"
            )
            return redirect("team")
    return render(
        request,
        "advisory/member_deactivate.html",
        {"membership": membership, "engagements": engagements, "form": form},
    )
