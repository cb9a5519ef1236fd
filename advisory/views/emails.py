"""The outbox, where the advisor looks: a failed email can be sent again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from advisory.access import firm_for, owned_firm_for
from advisory.models import Email
from advisory.outbox import email_send_again


@login_required
@require_POST
def send_again(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(Email.objects.select_related("engagement"), pk=pk)
    # An engagement's emails are any advisor's of the firm; the firm's own (invitations to
    # join it) are its owners'. Anyone else gets a 404.
    firm = firm_for(request.user) if email.engagement_id else owned_firm_for(request.user)
    if email.firm_id != firm.pk:
        raise Http404("No such email.")
    email_send_again(email=email, actor=request.user)
    messages.success(request, f"The email to {email.to} is queued again.")
    return redirect(email.engagement if email.engagement_id else "team")
