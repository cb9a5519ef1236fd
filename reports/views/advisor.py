"""The advisor's memo pages. Every object is fetched through get_for_firm: another firm's
memo is a 404, never a 403."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from advisory.access import get_for_firm
from advisory.emails import logo_content_id
from advisory.middleware import POLICY
from advisory.models import Engagement, Person
from assessments.presenter import present
from assessments.services.scoring import NotScorable, engagement_result
from reports.forms import MemoForm, SendForm
from reports.models import Delivery, MemoVersion
from reports.services.copies import draft_copy
from reports.services.delivery import (
    delivery_revoke,
    download_link,
    expiry_moment,
    memo_email,
    memo_filename,
    memo_send,
)
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
from reports.services.rendering import TEMPLATE_VERSION, memo_html

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
    """The memo in the app: its state and actions above it, the memo itself below (from the
    same template and snapshot as the PDF), marked DRAFT until it is approved."""
    version = _version(request, pk)
    newest = version.engagement.memo_versions.order_by("-number").values_list("pk", flat=True)
    return render(
        request,
        "reports/memo_preview.html",
        {
            "version": version,
            "is_newest": newest.first() == version.pk,
            "same_template": version.template_version == TEMPLATE_VERSION,
        },
    )


@login_required
@require_GET
@xframe_options_sameorigin
def preview_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The memo as HTML, for the preview page's frame."""
    version = _version(request, pk)
    nonce = secrets.token_urlsafe(16)
    html = memo_html(
        memo_input(version),
        static_base=settings.STATIC_URL,
        style_nonce=nonce,
        draft=not version.is_approved,
    )
    response = HttpResponse(html)
    response.headers["Cache-Control"] = "private, no-store"
    # The memo's one style block carries the firm's colour and page size; a nonce lets it
    # through without opening style-src to inline styles in general. Only this app frames it.
    response.headers["Content-Security-Policy"] = POLICY.replace(
        "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
    ).replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's PDF for the advisor: as it is once approved, marked DRAFT on every page
    before (the stored file itself never changes)."""
    version = _version(request, pk)
    if version.state != MemoVersion.State.READY or not version.pdf:
        raise Http404("This memo has no PDF yet.")
    try:
        with version.pdf.open("rb") as handle:
            pdf = handle.read()
    except (FileNotFoundError, OSError):
        raise Http404("The memo file is missing.") from None
    filename = memo_filename(version)
    if not version.is_approved:
        pdf = draft_copy(pdf, number=version.number).pdf
        filename = filename.replace(".pdf", "-draft.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


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


def _send_form(request: HttpRequest, version: MemoVersion, data: object = None) -> SendForm:
    holding = set(version.deliveries.usable().values_list("person_id", flat=True))
    return SendForm(
        data, engagement=version.engagement, today=timezone.localdate(), holding=holding
    )


# The link an email preview shows: each recipient's own is made when the memo is sent.
_PREVIEW_TOKEN = "personal-link-made-when-sent"  # noqa: S105 - a placeholder, not a secret
_PREVIEW_SESSION_KEY = "memo_send_preview"


def _preview_draft(version: MemoVersion, person: Person, expires_on: date, note: str, actor):
    return memo_email(
        version=version,
        person=person,
        link=download_link(_PREVIEW_TOKEN),
        expires_at=expiry_moment(expires_on),
        cover_note=note.strip(),
        advisor=actor,
    )


@login_required
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose recipients, the links' last day and a cover note; preview the email exactly as
    it will go out; then send. Nothing goes before the advisor has seen the preview."""
    version = _version(request, pk)
    action = request.POST.get("action", "")
    form = _send_form(request, version, request.POST if request.method == "POST" else None)
    if request.method != "POST" or action == "edit" or not form.is_valid():
        if action == "edit":
            form.errors.clear()  # coming back to change what was previewed: no complaints yet
        return render(
            request,
            "reports/memo_send.html",
            {"version": version, "form": form},
            status=400 if request.method == "POST" and form.errors else 200,
        )
    people = list(form.cleaned_data["people"])
    expires_on = form.cleaned_data["expires_on"]
    note = form.cleaned_data["cover_note"]
    if action != "send":
        request.session[_PREVIEW_SESSION_KEY] = {
            "version": version.pk,
            "person": people[0].pk,
            "expires_on": expires_on.isoformat(),
            "cover_note": note,
        }
        draft = _preview_draft(version, people[0], expires_on, note, request.user)
        return render(
            request,
            "reports/memo_send_preview.html",
            {
                "version": version,
                "form": form,
                "people": people,
                "draft": draft,
                "expires_on": expires_on,
            },
        )
    try:
        sent = memo_send(
            version=version,
            people=people,
            actor=request.user,
            expires_on=expires_on,
            cover_note=note,
        )
    except MemoError as error:
        form.add_error(None, error)
        return render(
            request, "reports/memo_send.html", {"version": version, "form": form}, status=400
        )
    request.session.pop(_PREVIEW_SESSION_KEY, None)
    if sent.deliveries:
        count = len(sent.deliveries)
        people_word = "person" if count == 1 else "people"
        messages.success(
            request,
            f"Memo v{version.number} is on its way to {count} {people_word}. Each email's "
            "progress is under Emails below.",
        )
    if sent.skipped:
        names = ", ".join(person.name for person in sent.skipped)
        messages.info(
            request,
            f"Not sent again to {names}: they already have a working link to "
            f"memo v{version.number}.",
        )
    return redirect(version.engagement)


@login_required
@require_GET
@xframe_options_sameorigin
def send_email_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML email of the preview on the send page, for its frame: the same draft, with
    the logo from the app instead of inside the message."""
    version = _version(request, pk)
    saved = request.session.get(_PREVIEW_SESSION_KEY) or {}
    try:
        if saved["version"] != version.pk:
            raise KeyError("version")
        expires_on = date.fromisoformat(saved["expires_on"])
        person = get_for_firm(request.user, Person.objects.all(), pk=int(saved["person"]))
        note = str(saved["cover_note"])
    except (KeyError, TypeError, ValueError):
        raise Http404("Nothing to preview.") from None
    draft = _preview_draft(version, person, expires_on, note, request.user)
    html = draft.html
    firm = version.engagement.firm
    if draft.logo and firm.logo_digest:
        html = html.replace(
            f"cid:{logo_content_id(draft.logo)}", reverse("firm_logo", args=[firm.logo_digest])
        )
    response = HttpResponse(html)
    response.headers["Cache-Control"] = "private, no-store"
    # The email's own inline styles; nothing else may load, and only this app may frame it.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )
    return response


@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first, then switches one director's link off."""
    delivery = get_for_firm(
        request.user,
        Delivery.objects.select_related(
            "person", "memo_version__engagement__firm", "memo_version__engagement__client"
        ),
        pk=pk,
    )
    if request.method == "POST":
        delivery_revoke(delivery=delivery, actor=request.user)
        messages.success(request, f"{delivery.person.name}'s link no longer works.")
        return redirect(delivery.memo_version.engagement)
    return render(request, "reports/delivery_revoke.html", {"delivery": delivery})
