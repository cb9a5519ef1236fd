from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, register_converter
from django_ratelimit.decorators import ratelimit

from advisory.forms import BrandedPasswordResetForm, SignInForm
from advisory.views import account, clients, emails, engagements, firm, team
from advisory.views.dashboard import DashboardView
from advisory.views.health import healthz


def per_address(
    setting: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limits POSTs from one client address (sign-in guesses across accounts, reset emails).
    The rate is read from settings on each request, so it can change without a restart."""

    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, setting)

    return ratelimit(key="ip", rate=rate, method="POST", block=True)


class HexColour:
    regex = "[0-9a-fA-F]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value.lstrip("#")


class Sha256:
    regex = "[0-9a-f]{64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HexColour, "hexcolour")
register_converter(Sha256, "sha256")


urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        per_address("SIGN_IN_RATE")(
            auth_views.LoginView.as_view(
                redirect_authenticated_user=True, authentication_form=SignInForm
            )
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        per_address("PASSWORD_RESET_RATE")(
            auth_views.PasswordResetView.as_view(form_class=BrandedPasswordResetForm)
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The second step of signing in, and the one-time link that sets a password.
    path("accounts/two-factor/", account.sign_in_code, name="two_factor_verify"),
    path("accounts/welcome/<str:token>/", account.account_link, name="account_link"),
    # A person's own account.
    path("account/", account.account, name="account"),
    path("account/password/", account.account_password, name="account_password"),
    path("account/sessions/", account.account_sessions_end, name="account_sessions_end"),
    path("account/notifications/", account.account_notifications, name="account_notifications"),
    path("account/recovery-codes/", account.account_recovery_codes, name="account_recovery_codes"),
    path("account/two-factor/", account.two_factor_set_up, name="two_factor_setup"),
    path(
        "account/two-factor/remove/",
        account.account_two_factor_remove,
        name="account_two_factor_remove",
    ),
    # The firm's owners: the team and the firm's settings.
    path("team/", team.team, name="team"),
    path("team/invite/", team.team_invite, name="team_invite"),
    path("team/<int:pk>/role/", team.member_role, name="member_role"),
    path("team/<int:pk>/resend/", team.member_resend, name="member_resend"),
    path("team/<int:pk>/two-factor/", team.member_two_factor, name="member_two_factor"),
    path("team/<int:pk>/deactivate/", team.member_deactivate_view, name="member_deactivate"),
    path("firm/settings/", firm.firm_settings, name="firm_settings"),
    path("firm/logo/<sha256:digest>.png", firm.firm_logo, name="firm_logo"),
    path("accent/<hexcolour:colour>.css", firm.accent_css, name="accent_css"),
    # Operators (staff accounts) only.
    path("admin/", admin.site.urls),
    path("clients/", clients.ClientListView.as_view(), name="client_list"),
    path("clients/new/", clients.client_create, name="client_create"),
    path("clients/<int:pk>/", clients.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="client_edit"),
    path("clients/<int:pk>/archive/", clients.client_archive_view, name="client_archive"),
    path("clients/<int:client_pk>/people/new/", clients.person_create, name="person_create"),
    path("people/<int:pk>/edit/", clients.person_edit, name="person_edit"),
    path("people/<int:pk>/remove/", clients.person_archive_view, name="person_archive"),
    path("engagements/new/", engagements.engagement_create, name="engagement_create"),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement_detail"),
    path("emails/<int:pk>/send-again/", emails.send_again, name="email_send_again"),
    path("engagements/<int:pk>/edit/", engagements.engagement_edit, name="engagement_edit"),
    path(
        "engagements/<int:pk>/archive/",
        engagements.engagement_archive_view,
        name="engagement_archive",
    ),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
]
