from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from advisory.redaction import SECRET_PARAMETERS
from advisory.two_factor import two_factor_step

# Everything the app loads is its own: no inline script, no third-party origin.
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


# What a session that still owes a second factor may reach, besides the page that takes it:
# signing out, and the firm's colour and logo that page is drawn with.
_ALWAYS_OPEN = frozenset({"logout", "accent_css", "firm_logo"})
_STEP_PAGES = {"verify": "two_factor_verify", "set_up": "two_factor_setup"}


class TwoFactorMiddleware:
    """Keeps a signed-in session that owes a second factor on the page that collects it.

    Owing means either the account has an authenticator and this session has not yet given
    a code (the second step of signing in), or the firm requires two-factor and the account
    has none yet (set it up now). Anything else the session asks for is redirected there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = two_factor_step(request.user) if request.user.is_authenticated else None
        # The page header shows only "sign out" while a step is owed.
        request.two_factor_owed = step
        if step:
            page = _STEP_PAGES[step]
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            name = match.url_name if match else None
            # Pages reached through a personal link (a CEO's questionnaire, a board member's
            # download, a set-password link) use no account, so they owe nothing either.
            by_link = match is not None and not SECRET_PARAMETERS.isdisjoint(match.kwargs)
            if name != page and name not in _ALWAYS_OPEN and not by_link:
                target = reverse(page)
                if request.method == "GET" and name not in (None, "login"):
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)
