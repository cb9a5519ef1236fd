"""The one-time set-password link: validators, single use, expiry, replacement, limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from advisory.accounts import account_link_issue
from advisory.models import AccountLink, AuditEvent, Membership, User
from advisory.redaction import redact

pytestmark = pytest.mark.django_db

NEW = {"new_password1": "quiet-harbour-lantern-31", "new_password2": "quiet-harbour-lantern-31"}


@pytest.fixture
def invitee(firm) -> User:
    user = User.objects.create_user(email="ivy@northgate.example", first_name="Ivy", last_name="Ng")
    Membership.objects.create(user=user, firm=firm)
    return user


def issue(user: User, purpose: str = AccountLink.Purpose.INVITATION) -> str:
    with transaction.atomic():
        url = account_link_issue(user=user, purpose=purpose).url
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_setting_a_password_signs_in_and_spends_the_link(client, invitee):
    path = issue(invitee)
    page = client.get(path)
    assert page.status_code == 200
    assert "Join Northgate Advisory" in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    response = client.post(path, NEW)
    assert response.status_code == 302
    invitee.refresh_from_db()
    assert invitee.check_password(NEW["new_password1"])
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="member.joined", actor=invitee).exists()
    # The link works once.
    again = client.get(path)
    assert again.status_code == 410
    assert "This link has been used" in again.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83920174652", "entirely numeric"),
        ("ivy@northgate", "too similar"),
    ],
)
def test_the_password_validators_apply(client, invitee, password, message):
    path = issue(invitee)
    response = client.post(path, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    invitee.refresh_from_db()
    assert not invitee.has_usable_password()
    assert AccountLink.objects.usable().count() == 1  # the link still works


def test_mismatched_passwords_are_refused(client, invitee):
    path = issue(invitee)
    response = client.post(path, {"new_password1": NEW["new_password1"], "new_password2": "x"})
    assert "didn’t match" in response.content.decode()


def test_an_expired_link_says_so(client, invitee):
    path = issue(invitee)
    AccountLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(path)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This link has expired" in body
    assert "work for 7 days" in body
    assert client.post(path, NEW).status_code == 410
    invitee.refresh_from_db()
    assert not invitee.has_usable_password()


def test_a_new_link_replaces_the_old_one(client, invitee):
    old = issue(invitee)
    new = issue(invitee)
    assert "This link has been replaced" in client.get(old).content.decode()
    assert client.get(new).status_code == 200


def test_a_deactivated_account_s_link_is_withdrawn(client, invitee):
    path = issue(invitee)
    User.objects.filter(pk=invitee.pk).update(is_active=False)
    response = client.get(path)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_unknown_or_overlong_token_is_a_friendly_404(client):
    for token in ("nope", "x" * 500):
        response = client.get(reverse("account_link", args=[token]))
        assert response.status_code == 404
        assert "could not find this link" in response.content.decode()


def test_the_link_pages_are_rate_limited_per_address(client, invitee, settings):
    settings.ACCOUNT_LINK_RATE = "3/m"
    statuses = [
        client.get(reverse("account_link", args=[f"guess{n}"])).status_code for n in range(5)
    ]
    assert statuses[-1] == 429


def test_the_link_never_reaches_the_logs(invitee):
    path = issue(invitee)
    token = path.strip("/").rsplit("/", 1)[1]
    assert token not in redact(f'"GET {path} HTTP/1.1" 200')
    assert redact(f"GET {path}") == "GET /accounts/welcome/[link]/"


def test_a_signed_in_person_opening_a_colleague_s_link_becomes_that_colleague(
    advisor_http, invitee
):
    path = issue(invitee)
    advisor_http.post(path, NEW)
    response = advisor_http.get(reverse("account"))
    assert invitee.email in response.content.decode()
