from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from advisory.models import Email
from tests.conftest import PASSWORD, clear_cache, send_queued

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password(client, advisor):
    response = client.post(reverse("login"), {"username": advisor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_wrong_password_says_so_without_saying_which_part(client, advisor):
    response = client.post(reverse("login"), {"username": advisor.email, "password": "nope"})
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()


def test_repeated_failures_lock_sign_in_even_with_the_right_password(client, advisor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": advisor.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": advisor.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "too many failed sign-ins" in response.content.decode()


def test_sign_out(advisor_http):
    response = advisor_http.post(reverse("logout"))
    assert response.status_code == 302
    assert advisor_http.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_a_working_link(client, advisor):
    client.post(reverse("password_reset"), {"email": advisor.email})
    send_queued()
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "a-brand-new-pass-77", "new_password2": "a-brand-new-pass-77"}
    )
    assert done.status_code == 302
    advisor.refresh_from_db()
    assert advisor.check_password("a-brand-new-pass-77")


def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def behind_proxy(settings):
    settings.AXES_CLIENT_IP_CALLABLE = "advisory.proxy.client_ip"
    settings.RATELIMIT_IP_META_KEY = "advisory.proxy.client_ip"


def test_behind_a_proxy_an_attacker_cannot_lock_out_the_real_user(client, advisor, behind_proxy):
    attacker = {"HTTP_X_REAL_IP": "198.51.100.66", "REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        client.post(reverse("login"), {"username": advisor.email, "password": "x"}, **attacker)
    locked = client.post(
        reverse("login"), {"username": advisor.email, "password": PASSWORD}, **attacker
    )
    assert locked.status_code == 429
    real_user = {"HTTP_X_REAL_IP": "203.0.113.9", "REMOTE_ADDR": "10.0.0.1"}
    response = client.post(
        reverse("login"), {"username": advisor.email, "password": PASSWORD}, **real_user
    )
    assert response.status_code == 302


def test_a_missing_or_forged_proxy_header_falls_back_to_the_socket_address(rf):
    from advisory.proxy import client_ip

    assert client_ip(rf.get("/", HTTP_X_REAL_IP="203.0.113.9")) == "203.0.113.9"
    assert client_ip(rf.get("/", HTTP_X_REAL_IP="not-an-ip")) == "127.0.0.1"
    assert client_ip(rf.get("/")) == "127.0.0.1"


def test_one_address_guessing_across_accounts_is_slowed(client, advisor, settings):
    settings.SIGN_IN_RATE = "3/m"
    statuses = [
        client.post(
            reverse("login"), {"username": f"user{n}@x.example", "password": "x"}
        ).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429


def test_password_reset_emails_are_limited_per_address(client, advisor, settings):

    clear_cache()
    for _ in range(7):
        client.post(reverse("password_reset"), {"email": advisor.email})
    assert Email.objects.filter(kind=Email.Kind.PASSWORD_RESET).count() == 5


def test_sign_in_ignores_the_case_of_the_email(client, advisor):
    response = client.post(
        reverse("login"), {"username": advisor.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
