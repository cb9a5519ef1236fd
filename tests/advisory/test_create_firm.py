"""Starting a firm from nothing: `manage.py create_firm`, and `account_link` for a new link."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from advisory.models import AccountLink, AuditEvent, Firm, Membership, User
from advisory.tokens import token_hash

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/welcome/([\w-]+)/")


def create_firm(**options: str) -> str:
    out = io.StringIO()
    call_command("create_firm", stdout=out, **options)
    return out.getvalue()


def test_creates_the_firm_and_its_owner_and_prints_a_one_time_link(settings, client):
    settings.SITE_URL = "https://memos.example.com"
    output = create_firm(
        name="  Fjord   Partners ", owner_email="Olga@Fjord.Example", owner_name="Olga Berg"
    )

    firm = Firm.objects.get()
    assert firm.name == "Fjord Partners"
    owner = User.objects.get()
    assert owner.email == "olga@fjord.example"
    assert (owner.first_name, owner.last_name) == ("Olga", "Berg")
    assert not owner.has_usable_password()
    assert owner.membership.firm == firm and owner.membership.role == Membership.Role.OWNER
    token = LINK.search(output).group(1)
    assert output.count("https://memos.example.com/accounts/welcome/") == 1
    link = AccountLink.objects.get()
    assert link.token_hash == token_hash(token)
    assert token not in str(list(AccountLink.objects.values()))
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    assert AuditEvent.objects.filter(firm=firm, action="firm.created").exists()


def test_the_printed_link_lets_the_owner_set_a_password_and_sign_in(client):
    output = create_firm(name="Fjord Partners", owner_email="olga@fjord.example")
    path = "/accounts/welcome/" + LINK.search(output).group(1) + "/"
    assert "Welcome to Fjord Partners" in client.get(path).content.decode()
    response = client.post(
        path, {"new_password1": "a-long-pass-phrase-9", "new_password2": "a-long-pass-phrase-9"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # signed in: the dashboard
    assert User.objects.get().check_password("a-long-pass-phrase-9")


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"name": "   ", "owner_email": "a@b.example"}, "--name: The firm needs a name."),
        ({"name": "X", "owner_email": "not-an-email"}, "--owner-email: 'not-an-email' is not"),
        ({"name": "X", "owner_email": "a@b"}, "--owner-email: 'a@b' is not an email address"),
        ({"name": "X\x1b[2J", "owner_email": "a@b.example"}, "--name: The firm's name must be on"),
        ({"name": "X" * 201, "owner_email": "a@b.example"}, "--name: Ensure this value has"),
    ],
)
def test_bad_input_exits_non_zero_naming_the_problem_and_creates_nothing(options, problem):
    with pytest.raises(CommandError) as error:
        create_firm(**options)
    assert problem in str(error.value)
    assert "Nothing was created" in str(error.value)
    assert not Firm.objects.exists() and not User.objects.exists()


def test_an_existing_email_is_refused_and_nothing_is_created(advisor):
    firms = Firm.objects.count()
    with pytest.raises(CommandError, match="--owner-email: An account with ada@northgate"):
        create_firm(name="Second firm", owner_email="ADA@northgate.example")
    assert Firm.objects.count() == firms
    assert User.objects.count() == 1


def test_a_missing_argument_is_refused():
    with pytest.raises(CommandError, match="--owner-email"):
        create_firm(name="Fjord Partners")


def test_account_link_replaces_an_expired_first_owner_link(client):
    output = create_firm(name="Fjord Partners", owner_email="olga@fjord.example")
    old_path = "/accounts/welcome/" + LINK.search(output).group(1) + "/"
    AccountLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(old_path).status_code == 410

    out = io.StringIO()
    call_command("account_link", email="olga@fjord.example", stdout=out)
    new_path = "/accounts/welcome/" + LINK.search(out.getvalue()).group(1) + "/"
    assert client.get(new_path).status_code == 200
    assert "replaced" in client.get(old_path).content.decode()


def test_account_link_names_an_unknown_address():
    with pytest.raises(CommandError, match="--email: no account has the address x@y.example"):
        call_command("account_link", email="x@y.example", stdout=io.StringIO())


def test_account_link_can_reset_a_lost_two_factor(advisor):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=advisor, name="phone", confirmed=True)
    out = io.StringIO()
    call_command("account_link", email=advisor.email, reset_two_factor=True, stdout=out)
    assert "Two-factor sign-in removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=advisor).exists()
    assert AuditEvent.objects.filter(action="member.two_factor_reset").exists()
