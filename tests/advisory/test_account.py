"""The Account page: name, password (the old one required), other sessions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_the_person_s_details_and_is_never_cached(advisor_http, advisor):
    response = advisor_http.get(reverse("account"))
    assert advisor.email in response.content.decode()
    assert "Set up two-factor sign-in" in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_changing_the_name(advisor_http, advisor):
    response = advisor_http.post(reverse("account"), {"first_name": "  Ada ", "last_name": "Byron"})
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.get_full_name() == "Ada Byron"


def test_changing_the_password_needs_the_old_one(advisor_http, advisor):
    new = "fresh-tide-compass-44"
    refused = advisor_http.post(
        reverse("account_password"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert refused.status_code == 200
    assert "That is not your current password" in refused.content.decode()
    advisor.refresh_from_db()
    assert advisor.check_password(PASSWORD)


def test_a_new_password_keeps_this_session_and_ends_the_others(advisor):
    here, elsewhere = signed_in(advisor), signed_in(advisor)
    new = "fresh-tide-compass-44"
    response = here.post(
        reverse("account_password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert here.get(reverse("dashboard")).status_code == 200
    assert elsewhere.get(reverse("dashboard")).status_code == 302


def test_the_new_password_must_pass_the_validators(advisor_http):
    response = advisor_http.post(
        reverse("account_password"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    body = response.content.decode()
    assert "too common" in body and "entirely numeric" in body


def test_signing_out_other_sessions(advisor):
    here, elsewhere, third = signed_in(advisor), signed_in(advisor), signed_in(advisor)
    response = here.post(reverse("account_sessions_end"))
    assert response.status_code == 302
    assert here.get(reverse("dashboard")).status_code == 200
    assert elsewhere.get(reverse("dashboard")).status_code == 302
    assert third.get(reverse("client_list")).status_code == 302
    # The password still works: signing in again is a new session.
    advisor.refresh_from_db()
    assert signed_in(advisor).get(reverse("dashboard")).status_code == 200


def test_the_account_forms_never_fail_on_hostile_input(advisor_http):
    for url, data in (
        (reverse("account"), {"first_name": "\x00" * 5, "last_name": "x" * 5000}),
        (reverse("account_password"), {"old_password": "\x00", "new_password1": ["a", "b"]}),
        (reverse("account_two_factor_remove"), {"password": "x" * 10_000}),
    ):
        assert advisor_http.post(url, data).status_code in (200, 302), url


def test_notification_settings_need_a_signed_in_account(client):
    response = client.post(reverse("account_notifications"), {})
    assert response["Location"].startswith(reverse("login"))
