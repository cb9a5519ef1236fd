"""The advisor's memo pages. Every object is fetched through get_for_firm: another firm's
memo is a 404, never a 403."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from advisory.access import get_for_firm
from advisory.middleware import POLICY
from advisory.models import Engagement
from assessments.presenter import present
from assessments.services.scoring import NotScorable, engagement_result
from reports.forms import MemoForm, SendForm
from reports.models import Delivery, MemoVersion
from reports.services.delivery import delivery_revoke, memo_filename, memo_send
from reports.services.memos import (
    DepartureNotConfirmed,
    MemoError,
    memo_approve,
    memo_input,
    memo_request,
    memo_retry,
    memo_revise,
    version_departure,
    version_result,
)
from reports.services.rendering import memo_html

_VERSIONS = MemoVersion.objects.select_related(
    "engagement__firm", "engagement__client", "engagement__lead_advisor"
)


def _version(request: HttpRequest, pk: int) -> MemoVersion:
    return get_for_firm(request.user, _VERSIONS, pk=pk)


def _fail(request: HttpRequest, error: MemoError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def request_memo(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_for_firm(
        request.user, Engagement.objects.select_related("firm", "client"), pk=pk
    )
    try:
        result = engagement_result(engagement).result
    except NotScorable as problem:
        messages.error(request, str(problem))
        return redirect(engagement)
    form = MemoForm(request.POST, result=result)
    if not form.is_valid():
        # Shown again with everything typed, on the engagement page's memo form.
        return render(
            request,
            "reports/memo_form.html",
            {"engagement": engagement, "form": form, "version": None},
            status=400,
        )
    try:
        version = memo_request(
            engagement=engagement,
            actor=request.user,
            commentary=form.cleaned_data["commentary"],
            departure=form.cleaned_data["departure"],
        )
    except MemoError as error:
        _fail(request, error)
    else:
        if version.reused:
            messages.info(request, f"Memo v{version.number} is already being prepared.")
        else:
            messages.success(request, f"Memo v{version.number} is being prepared.")
    return redirect(engagement)


@login_required
@require_GET
def status(request: HttpRequest, pk: int) -> JsonResponse:
    """The memo versions' states, for the engagement page to poll while one renders."""
    engagement = get_for_firm(request.user, Engagement.objects.all(), pk=pk)
    versions = [
        {
            "id": v.pk,
            "number": v.number,
            "state": v.state,
            "state_label": v.get_state_display(),
            "failure_reason": v.failure_reason,
            "page_count": v.page_count,
        }
        for v in engagement.memo_versions.order_by("-number")[:20]
    ]
    pending = any(v["state"] in ("queued", "rendering") for v in versions)
    return JsonResponse(
        {"engagement_state": engagement.state, "pending": pending, "versions": versions}
    )


@login_required
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The memo as HTML in the browser, from the same template and snapshot as the PDF."""
    version = _version(request, pk)
    nonce = secrets.token_urlsafe(16)
    html = memo_html(memo_input(version), static_base=settings.STATIC_URL, style_nonce=nonce)
    response = HttpResponse(html)
    # The memo's one style block carries the firm's colour and page size; a nonce lets it
    # through without opening style-src to inline styles in general.
    response.headers["Content-Security-Policy"] = POLICY.replace(
        "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
    )
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    version = _version(request, pk)
    if version.state != MemoVersion.State.READY or not version.pdf:
        raise Http404("This memo has no PDF yet.")
    try:
        handle = version.pdf.open("rb")
    except FileNotFoundError:
        raise Http404("The memo file is missing.") from None
    return FileResponse(handle, content_type="application/pdf", filename=memo_filename(version))


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        memo_retry(version=version, actor=request.user)
    except MemoError as error:
        _fail(request, error)
    else:
        messages.success(request, f"Memo v{version.number} is being prepared again.")
    return redirect(version.engagement)


@login_required
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the advisor's part of the memo (commentary, judgement): the result is always a
    new version; the old one stays as it was."""
    version = _version(request, pk)
    form = MemoForm(
        request.POST or None,
        result=version_result(version),
        departure=version_departure(version),
        initial={"commentary": version.commentary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = memo_revise(
                version=version,
                actor=request.user,
                commentary=form.cleaned_data["commentary"],
                departure=form.cleaned_data["departure"],
            )
        except MemoError as error:
            form.add_error(None, error)
        else:
            if new.reused:
                messages.info(request, f"Memo v{new.number} is already being prepared.")
            else:
                messages.success(request, f"Memo v{new.number} is being prepared.")
            return redirect(version.engagement)
    return render(
        request,
        "reports/memo_form.html",
        {"engagement": version.engagement, "version": version, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        memo_approve(
            version=version,
            actor=request.user,
            departure_confirmed=request.POST.get("confirm_departure") == "yes",
        )
    except DepartureNotConfirmed:
        # The second confirmation: the advisor sees what the board will read, and confirms.
        result = version_result(version)
        words = present(
            result,
            version.answers,
            client_name=version.engagement.client.name,
            departure=version_departure(version),
        )
        return render(
            request, "reports/memo_approve_departure.html", {"version": version, "words": words}
        )
    except MemoError as error:
        _fail(request, error)
    else:
        messages.success(request, f"Memo v{version.number} is approved and can be sent.")
    return redirect(version.engagement)


@login_required
def send(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    form = SendForm(request.POST or None, engagement=version.engagement)
    if request.method == "POST" and form.is_valid():
        try:
            sent = memo_send(
                version=version, people=form.cleaned_data["people"], actor=request.user
            )
        except MemoError as error:
            form.add_error(None, error)
        else:
            if sent.deliveries:
                count = len(sent.deliveries)
                people = "person" if count == 1 else "people"
                messages.success(request, f"Memo v{version.number} sent to {count} {people}.")
            if sent.skipped:
                names = ", ".join(person.name for person in sent.skipped)
                messages.info(
                    request,
                    f"Not sent again to {names}: they already have a working link to "
                    f"memo v{version.number}.",
                )
            return redirect(version.engagement)
    return render(
        request,
        "reports/memo_send.html",
        {"version": version, "form": form, "ttl_days": version.engagement.firm.board_link_days},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_for_firm(
        request.user,
        Delivery.objects.select_related("person", "memo_version__engagement"),
        pk=pk,
    )
    delivery_revoke(delivery=delivery, actor=request.user)
    messages.success(request, f"{delivery.person.name}'s link no longer works.")
    return redirect(delivery.memo_version.engagement)
