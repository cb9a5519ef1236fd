"""Two-factor sign-in: setting it up, the second step of signing in, recovery codes, the
firm-wide requirement, throttling."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisory.models import AuditEvent, Firm
from advisory.two_factor import authenticator_confirm, authenticator_start
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def code_for(key: bytes, offset_steps: int = 0) -> str:
    return f"{totp(key, drift=offset_steps):06d}"


def enable(user) -> tuple[TOTPDevice, list[str]]:
    device = authenticator_start(user=user)
    codes = authenticator_confirm(device=device, code=code_for(device.bin_key))
    device.refresh_from_db()
    return device, codes


def password_sign_in(user) -> HttpClient:
    http = HttpClient()
    response = http.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return http


# --- Setting it up. ---


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_is_never_cached(advisor_http, advisor):
    response = advisor_http.get(reverse("two_factor_setup"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert 'src="data:image/png;base64,' in body
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=advisor)
    assert b32decode(key) == device.bin_key
    assert not device.confirmed
    # Reloading shows the same key: the app scanned a moment ago keeps working.
    again = advisor_http.get(reverse("two_factor_setup")).content.decode()
    assert key in again.replace(" ", "")


def test_confirming_with_a_code_turns_it_on_shows_recovery_codes_and_ends_other_sessions(
    advisor, firm
):
    here, elsewhere = signed_in(advisor), signed_in(advisor)
    here.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=advisor)
    response = here.post(reverse("two_factor_setup"), {"code": code_for(device.bin_key)})
    assert response.status_code == 200
    body = response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in body for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    # This session carries on, verified; the other one was signed out.
    assert here.get(reverse("dashboard")).status_code == 200
    assert elsewhere.get(reverse("dashboard")).url.startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="two_factor.enabled", actor=advisor).exists()


def test_a_wrong_code_does_not_turn_it_on(advisor_http, advisor):
    advisor_http.get(reverse("two_factor_setup"))
    response = advisor_http.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "That code did not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=advisor, confirmed=True).exists()


# --- Signing in. ---


def test_with_two_factor_the_password_alone_reaches_nothing(advisor):
    enable(advisor)
    http = password_sign_in(advisor)
    for name in ("dashboard", "client_list", "team", "account", "firm_settings"):
        response = http.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("two_factor_verify")), name
    assert http.post(reverse("client_create"), {"name": "Sneaky"}).status_code == 302
    assert http.get("/admin/").status_code == 302
    page = http.get(reverse("two_factor_verify"))
    assert "Enter your sign-in code" in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def test_the_code_completes_the_sign_in_and_returns_to_the_page_asked_for(advisor):
    device, _ = enable(advisor)
    http = password_sign_in(advisor)
    redirect = http.get(reverse("client_list"))
    assert redirect.url == reverse("two_factor_verify") + "?next=%2Fclients%2F"
    response = http.post(
        reverse("two_factor_verify"),
        {"code": code_for(device.bin_key, 1), "next": "/clients/"},
    )
    assert response.status_code == 302 and response.url == "/clients/"
    assert http.get(reverse("dashboard")).status_code == 200


def test_the_next_address_cannot_lead_off_site(advisor):
    device, _ = enable(advisor)
    http = password_sign_in(advisor)
    response = http.post(
        reverse("two_factor_verify"),
        {"code": code_for(device.bin_key, 1), "next": "https://evil.example/"},
    )
    assert response.url == reverse("dashboard")


def test_a_recovery_code_signs_in_once(advisor):
    _, codes = enable(advisor)
    http = password_sign_in(advisor)
    response = http.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert http.get(reverse("dashboard")).status_code == 200
    other = password_sign_in(advisor)
    again = other.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert "That code did not match" in again.content.decode()
    assert StaticToken.objects.filter(device__user=advisor).count() == 9


def test_wrong_codes_are_throttled_by_django_otp(advisor):
    device, _ = enable(advisor)
    http = password_sign_in(advisor)
    for _ in range(3):
        http.post(reverse("two_factor_verify"), {"code": "123456"})
    response = http.post(reverse("two_factor_verify"), {"code": code_for(device.bin_key, 1)})
    assert "Too many wrong codes in a row" in response.content.decode()
    assert http.get(reverse("dashboard")).status_code == 302


def test_code_guesses_are_rate_limited_per_address_and_account(advisor, settings):
    enable(advisor)
    settings.TWO_FACTOR_RATE = "3/m"
    http = password_sign_in(advisor)
    statuses = [
        http.post(reverse("two_factor_verify"), {"code": "12345678"}).status_code for _ in range(5)
    ]
    assert statuses[-1] == 429


def test_signing_out_is_always_possible(advisor):
    enable(advisor)
    http = password_sign_in(advisor)
    assert http.post(reverse("logout")).status_code == 302
    assert http.get(reverse("dashboard")).url.startswith(reverse("login"))


# --- The firm-wide requirement. ---


def test_a_firm_requiring_two_factor_sends_members_without_it_to_set_it_up(
    advisor, colleague, firm
):
    Firm.objects.filter(pk=firm.pk).update(require_two_factor=True)
    http = password_sign_in(colleague)
    for name in ("dashboard", "client_list", "account", "engagement_create"):
        response = http.get(reverse(name))
        assert response.url.startswith(reverse("two_factor_setup")), name
    page = http.get(reverse("two_factor_setup")).content.decode()
    assert "asks everyone to sign in with two factors" in page
    assert "Not now" not in page
    device = TOTPDevice.objects.get(user=colleague)
    http.post(reverse("two_factor_setup"), {"code": code_for(device.bin_key)})
    assert http.get(reverse("dashboard")).status_code == 200


def test_an_owner_turns_the_requirement_on_once_they_have_two_factor(advisor_http, advisor, firm):
    enable(advisor)
    http = signed_in(advisor)
    # A forced login is not verified; verify it as the sign-in would.
    device = TOTPDevice.objects.get(user=advisor)
    http.post(reverse("two_factor_verify"), {"code": code_for(device.bin_key, 1)})
    response = http.post(
        reverse("firm_settings"),
        {
            "name": firm.name,
            "accent_color": firm.accent_color,
            "paper_size": "A4",
            "ceo_link_days": 30,
            "board_link_days_after_meeting": 7,
            "board_link_days": 14,
            "require_two_factor": "on",
        },
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.require_two_factor
    assert (
        "everyone must now sign in with two-factor"
        in AuditEvent.objects.get(action="firm.settings_changed").summary
    )


# --- The Account page's two-factor parts. ---


def verified(user, device) -> HttpClient:
    http = password_sign_in(user)
    http.post(reverse("two_factor_verify"), {"code": code_for(device.bin_key, 1)})
    assert http.get(reverse("dashboard")).status_code == 200
    return http


def test_recovery_codes_can_be_seen_and_regenerated(advisor):
    device, codes = enable(advisor)
    http = verified(advisor, device)
    page = http.get(reverse("account")).content.decode()
    assert all(code in page for code in codes)
    response = http.post(reverse("account_recovery_codes"))
    new = list(StaticToken.objects.filter(device__user=advisor).values_list("token", flat=True))
    assert set(new).isdisjoint(codes)
    assert all(code in response.content.decode() for code in new)


def test_turning_two_factor_off_needs_the_password(advisor):
    device, _ = enable(advisor)
    http = verified(advisor, device)
    refused = http.post(reverse("account_two_factor_remove"), {"password": "wrong"})
    assert "That is not your current password" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=advisor).exists()
    http.post(reverse("account_two_factor_remove"), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    assert http.get(reverse("dashboard")).status_code == 200


def test_where_the_firm_requires_it_removing_means_setting_up_a_new_one(advisor, firm):
    device, _ = enable(advisor)
    Firm.objects.filter(pk=firm.pk).update(require_two_factor=True)
    http = verified(advisor, device)
    http.post(reverse("account_two_factor_remove"), {"password": PASSWORD})
    assert http.get(reverse("dashboard")).url.startswith(reverse("two_factor_setup"))


def test_two_factor_pages_ask_anonymous_visitors_to_sign_in(client):
    for name in ("two_factor_setup", "two_factor_verify", "account"):
        response = client.get(reverse(name))
        assert response.url.startswith(reverse("login")), name
    for name in ("account_recovery_codes", "account_two_factor_remove", "account_sessions_end"):
        response = client.post(reverse(name))
        assert response.url.startswith(reverse("login")), name


def test_odd_codes_never_break_the_sign_in_step(advisor):
    enable(advisor)
    http = password_sign_in(advisor)
    for code in ("\x00", "９９９９９９", "1" * 31, "' OR 1=1 --", "-- --", ["1", "2"]):
        response = http.post(reverse("two_factor_verify"), {"code": code})
        assert response.status_code in (200, 429), code
    assert http.get(reverse("dashboard")).status_code == 302


def test_pages_reached_by_a_personal_link_need_no_second_factor(advisor, engagement, ceo):
    from assessments.services.invitations import invitation_send

    enable(advisor)
    link = invitation_send(engagement=engagement, person=ceo, actor=advisor)
    http = password_sign_in(advisor)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert http.get(path).status_code == 200
    assert http.get(reverse("dashboard")).status_code == 302
