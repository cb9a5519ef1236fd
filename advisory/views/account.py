"""A person's own account: the one-time set-password link, the second step of signing in,
setting up two-factor, and the Account page (name, password, recovery codes, sessions).

Pages that show a secret (the authenticator key and its QR code, recovery codes) are never
cached. The link and code pages are rate-limited per address, the code pages per account too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_ratelimit.core import is_ratelimited

from advisory.accounts import AccountLinkError, account_link_resolve, account_link_use, sessions_end
from advisory.forms import (
    AccountNameForm,
    AccountPasswordForm,
    CrispySetPasswordForm,
    NotificationsForm,
    PasswordCheckForm,
    TwoFactorCodeForm,
)
from advisory.links import LinkState
from advisory.two_factor import (
    TwoFactorError,
    authenticator_confirm,
    authenticator_start,
    has_two_factor,
    otpauth_url,
    qr_data_url,
    recovery_codes,
    recovery_codes_regenerate,
    secret_for_typing,
    two_factor_remove,
    two_factor_verify,
)
from advisory.views.errors import rate_limited

View = Callable[..., HttpResponse]


def _limited(request: HttpRequest, group: str, *, per_account: bool = False) -> bool:
    """Counts this request against the per-address (and per-account) limits."""
    rate = (
        settings.TWO_FACTOR_RATE if group.startswith("two_factor") else settings.ACCOUNT_LINK_RATE
    )
    over = is_ratelimited(request, group=f"{group}.ip", key="ip", rate=rate, increment=True)
    if per_account:
        over |= is_ratelimited(
            request,
            group=f"{group}.user",
            key=lambda group, req: str(req.user.pk),
            rate=rate,
            increment=True,
        )
    return over


def _firm_requires_two_factor(user: object) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.firm.require_two_factor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


# --- The one-time set-password link. -----------------------------------------------------


@never_cache
def account_link(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request, "account_link"):
        return rate_limited(request)
    link = account_link_resolve(token)
    if link is None:
        return render(
            request, "advisory/account_link_invalid.html", {"reason": "unknown"}, status=404
        )
    state = link.link_state
    # The page wears the firm's name and colour: the person knows whom the link is from.
    page_firm = getattr(getattr(link.user, "membership", None), "firm", None)
    if state != LinkState.USABLE:
        context = {"reason": state, "link": link, "brand_firm": page_firm}
        return render(request, "advisory/account_link_invalid.html", context, status=410)
    user = link.user
    form = CrispySetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_link_use(link=link, password=form.cleaned_data["new_password1"])
        except AccountLinkError:
            link.refresh_from_db()
            context = {"reason": "used", "link": link, "brand_firm": page_firm}
            return render(request, "advisory/account_link_invalid.html", context, status=410)
        login(request, user, backend="advisory.backends.FirmModelBackend")
        messages.success(request, "Your password is set and you are signed in.")
        # Where the firm requires two-factor, the middleware takes them to set it up now.
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "advisory/account_link.html",
        {"form": form, "person": user, "link": link, "firm": page_firm, "brand_firm": page_firm},
    )


# --- The second step of signing in. --------------------------------------------------------


@never_cache
@login_required
def sign_in_code(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified() or not has_two_factor(request.user):
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "two_factor.verify", per_account=True):
            return rate_limited(request)
        if form.is_valid():
            try:
                device = two_factor_verify(user=request.user, code=form.cleaned_data["code"])
            except TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                otp_login(request, device)
                return redirect(_next_url(request))
    return render(
        request,
        "advisory/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


# --- Setting up two-factor. ----------------------------------------------------------------


@never_cache
@login_required
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    if has_two_factor(request.user):
        messages.info(request, "Two-factor sign-in is already on for your account.")
        return redirect("account")
    device = authenticator_start(user=request.user)
    form = TwoFactorCodeForm(request.POST or None, submit_label="Turn on two-factor")
    if request.method == "POST":
        if _limited(request, "two_factor.setup", per_account=True):
            return rate_limited(request)
        if form.is_valid():
            try:
                codes = authenticator_confirm(device=device, code=form.cleaned_data["code"])
            except TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                # Every other session has just ended (a new session salt); this one stays,
                # verified, once it holds the hash made with the new salt.
                request.user.refresh_from_db(fields=["session_salt"])
                update_session_auth_hash(request, request.user)
                device.refresh_from_db()
                otp_login(request, device)
                context = {"codes": codes, "new": True}
                return render(request, "advisory/recovery_codes.html", context)
    return render(
        request,
        "advisory/two_factor_setup.html",
        {
            "form": form,
            "qr": qr_data_url(otpauth_url(device)),
            "secret": secret_for_typing(device),
            "required": _firm_requires_two_factor(request.user),
        },
    )


# --- The Account page. ---------------------------------------------------------------------


def _account_page(request: HttpRequest, **forms: object) -> HttpResponse:
    user = request.user
    context = {
        "name_form": forms.get("name_form") or AccountNameForm(instance=user),
        "password_form": forms.get("password_form") or AccountPasswordForm(user),
        "remove_form": forms.get("remove_form") or PasswordCheckForm(user=user),
        "notifications_form": NotificationsForm(instance=user),
        "two_factor": has_two_factor(user),
        "required": _firm_requires_two_factor(user),
    }
    if context["two_factor"]:
        context["codes"] = recovery_codes(user)
    return render(request, "advisory/account.html", context)


def _account_view(view: View) -> View:
    return never_cache(login_required(view))


@_account_view
def account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AccountNameForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, "Your name is saved.")
            return redirect("account")
        return _account_page(request, name_form=form)
    return _account_page(request)


@_account_view
@require_POST
def account_password(request: HttpRequest) -> HttpResponse:
    form = AccountPasswordForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, password_form=form)
    form.save()
    # The new password signs out every other session; this one carries on.
    update_session_auth_hash(request, form.user)
    messages.success(request, "Your password is changed. Any other sessions are signed out.")
    return redirect("account")


@_account_view
@require_POST
def account_notifications(request: HttpRequest) -> HttpResponse:
    form = NotificationsForm(request.POST, instance=request.user)
    if form.is_valid():  # three checkboxes: an unticked one is simply absent
        form.save()
        messages.success(request, "Your email notifications are saved.")
    return redirect("account")


@_account_view
@require_POST
def account_sessions_end(request: HttpRequest) -> HttpResponse:
    sessions_end(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(request, "Every other session is signed out. This one stays signed in.")
    return redirect("account")


@_account_view
@require_POST
def account_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not has_two_factor(request.user):
        return redirect("two_factor_setup")
    codes = recovery_codes_regenerate(user=request.user)
    return render(request, "advisory/recovery_codes.html", {"codes": codes, "new": False})


@_account_view
@require_POST
def account_two_factor_remove(request: HttpRequest) -> HttpResponse:
    form = PasswordCheckForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, remove_form=form)
    two_factor_remove(user=request.user)
    messages.success(request, "Two-factor sign-in is off for your account.")
    # Where the firm requires it, the middleware now asks for a new authenticator.
    return redirect("account")
