"""The Team page: invitations, roles, deactivation; owners only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advisory.audit import audit_record
from advisory.models import (
    AccountLink,
    AuditEvent,
    Client,
    Email,
    Engagement,
    Membership,
    User,
)
from advisory.team import TeamError, member_deactivate, member_role_set
from tests.conftest import PASSWORD, make_advisor, send_queued, signed_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+(/accounts/welcome/[\w-]+/)")


def last_email():
    send_queued()
    return mail.outbox[-1]


def invite(http, **data: str):
    return http.post(
        reverse("team_invite"),
        {"name": "Ivy Ng", "email": "ivy@northgate.example", "role": "advisor", **data},
    )


def test_the_team_page_lists_members_with_role_last_sign_in_and_two_factor(
    advisor_http, advisor, colleague
):
    User.objects.filter(pk=colleague.pk).update(last_login=timezone.now() - timedelta(days=2))
    body = advisor_http.get(reverse("team")).content.decode()
    assert advisor.email in body and colleague.email in body
    assert 'value="owner" selected' in body and 'value="advisor" selected' in body
    assert "Last sign-in" in body and "Two-factor" in body
    assert "Off" in body


# --- Inviting. ---


def test_an_invitation_emails_a_one_time_link_that_lets_the_colleague_in(
    advisor_http, client, firm
):
    response = invite(advisor_http)
    assert response.status_code == 302
    message = last_email()
    assert message.to == ["ivy@northgate.example"]
    assert "Northgate Advisory" in message.subject
    path = LINK.search(message.body).group(1)
    assert "until" in message.body
    ivy = User.objects.get(email="ivy@northgate.example")
    assert ivy.membership.firm == firm and ivy.membership.role == "advisor"
    assert not ivy.has_usable_password()
    # The colleague sets a password from the email and signs in with it.
    client.post(
        path, {"new_password1": "lantern-quay-harbour-8", "new_password2": "lantern-quay-harbour-8"}
    )
    client.logout()
    signed = client.post(
        reverse("login"),
        {"username": "ivy@northgate.example", "password": "lantern-quay-harbour-8"},
    )
    assert signed.status_code == 302 and client.get(reverse("dashboard")).status_code == 200


def test_an_invitation_expires_after_7_days(advisor_http):
    invite(advisor_http)
    link = AccountLink.objects.get()
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)


def test_sending_the_invitation_again_replaces_the_old_link(advisor_http, client):
    invite(advisor_http)
    first = LINK.search(last_email().body).group(1)
    ivy = Membership.objects.get(user__email="ivy@northgate.example")
    response = advisor_http.post(reverse("member_resend", args=[ivy.pk]))
    assert response.status_code == 302
    second = LINK.search(last_email().body).group(1)
    assert first != second
    assert "This link has been replaced" in client.get(first).content.decode()
    assert client.get(second).status_code == 200
    assert AccountLink.objects.usable().count() == 1


def test_no_invitation_is_sent_again_to_someone_who_has_joined(advisor_http, colleague):
    membership = colleague.membership
    response = advisor_http.post(reverse("member_resend", args=[membership.pk]), follow=True)
    assert "already joined" in response.content.decode()
    assert not mail.outbox


def test_inviting_someone_already_on_the_team_or_in_another_firm_is_refused(
    advisor_http, colleague, outsider
):
    response = invite(advisor_http, email=colleague.email.upper())
    assert "is already on the team" in response.content.decode()
    response = invite(advisor_http, email=outsider.email)
    assert "already has an account with another firm" in response.content.decode()
    assert 'value="Ivy Ng"' in response.content.decode()  # nothing typed is lost
    assert not mail.outbox


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"name": "   "}, "This field is required."),
        ({"role": "superuser"}, "Select a valid choice."),
    ],
)
def test_the_invitation_form_names_what_is_wrong(advisor_http, data, message):
    response = invite(advisor_http, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="ivy@northgate.example").exists()


def test_a_mail_server_failure_loses_no_invitation_and_the_team_page_says_so(
    advisor_http, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    settings.EMAIL_TIMEOUT, settings.EMAIL_MAX_ATTEMPTS = 2, 1
    invite(advisor_http)
    [email] = send_queued()

    assert email.state == Email.State.FAILED
    assert AccountLink.objects.usable().filter(user__email="ivy@northgate.example").exists()
    page = advisor_http.get(reverse("team")).content.decode()
    assert "Invitation email" in page and "Not sent" in page and "Send again" in page
    advisor_http.post(reverse("email_send_again", args=[email.pk]))
    email.refresh_from_db()
    assert email.state == Email.State.QUEUED


def test_a_former_member_can_be_invited_back(advisor_http, advisor, colleague, client):
    member_deactivate(membership=colleague.membership, actor=advisor, hand_to=None)
    invite(advisor_http, email=colleague.email, name="Colin Again", role="owner")
    colleague.refresh_from_db()
    assert colleague.is_active and not colleague.has_usable_password()
    assert colleague.membership.role == "owner" and colleague.membership.deactivated_at is None
    # The old password no longer works; the new link does.
    refused = client.post(reverse("login"), {"username": colleague.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert client.get(LINK.search(last_email().body).group(1)).status_code == 200


# --- Roles. ---


def test_an_owner_changes_a_role(advisor_http, colleague):
    response = advisor_http.post(
        reverse("member_role", args=[colleague.membership.pk]), {"role": "owner"}
    )
    assert response.status_code == 302
    colleague.membership.refresh_from_db()
    assert colleague.membership.role == "owner"
    assert AuditEvent.objects.filter(action="member.role_changed").exists()


def test_the_last_owner_cannot_be_demoted(advisor_http, advisor, colleague):
    response = advisor_http.post(
        reverse("member_role", args=[advisor.membership.pk]), {"role": "advisor"}, follow=True
    )
    assert "the firm&#x27;s only owner" in response.content.decode()
    advisor.membership.refresh_from_db()
    assert advisor.membership.role == "owner"


def test_an_owner_who_has_not_joined_does_not_count_as_the_remaining_owner(advisor, firm):
    pending = User.objects.create_user(email="pending@northgate.example")
    Membership.objects.create(user=pending, firm=firm, role="owner")
    with pytest.raises(TeamError, match="only owner"):
        member_role_set(membership=advisor.membership, role="advisor", actor=advisor)


def test_with_two_owners_one_may_step_down(advisor_http, advisor, colleague):
    Membership.objects.filter(pk=colleague.membership.pk).update(role="owner")
    response = advisor_http.post(
        reverse("member_role", args=[advisor.membership.pk]), {"role": "advisor"}
    )
    assert response.url == reverse("dashboard")
    assert advisor_http.get(reverse("team")).status_code == 404


def test_a_forged_role_is_refused(advisor_http, colleague):
    response = advisor_http.post(
        reverse("member_role", args=[colleague.membership.pk]), {"role": "god"}, follow=True
    )
    assert "Choose Owner or Advisor" in response.content.decode()
    colleague.membership.refresh_from_db()
    assert colleague.membership.role == "advisor"


# --- Deactivating. ---


@pytest.fixture
def colleague_engagements(firm, colleague) -> list[Engagement]:
    client = Client.objects.create(firm=firm, name="Brightwater")
    open_one = Engagement.objects.create(
        firm=firm, client=client, lead_advisor=colleague, title="Open"
    )
    archived = Engagement.objects.create(
        firm=firm, client=client, lead_advisor=colleague, title="Old", archived_at=timezone.now()
    )
    return [open_one, archived]


def test_deactivating_ends_sessions_at_once_and_keeps_the_audit_trail(
    advisor_http, advisor, colleague, engagement
):
    audit_record(firm=colleague.membership.firm, actor=colleague, action="x", summary="Did a thing")
    colleague_http = signed_in(colleague)
    assert colleague_http.get(reverse("dashboard")).status_code == 200
    response = advisor_http.post(reverse("member_deactivate", args=[colleague.membership.pk]))
    assert response.status_code == 302
    # Their very next request is signed out.
    assert colleague_http.get(reverse("dashboard")).status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    event = AuditEvent.objects.get(action="x")
    assert event.actor == colleague and event.who == str(colleague)
    assert AuditEvent.objects.filter(
        action="member.deactivated", summary__contains=colleague.email
    ).exists()
    # And they cannot sign in again.
    from django.test import Client as HttpClient

    assert (
        HttpClient()
        .post(reverse("login"), {"username": colleague.email, "password": PASSWORD})
        .status_code
        == 200
    )


def test_deactivating_asks_for_a_colleague_to_take_over_open_engagements(
    advisor_http, advisor, colleague, colleague_engagements
):
    open_one, archived = colleague_engagements
    url = reverse("member_deactivate", args=[colleague.membership.pk])
    page = advisor_http.get(url).content.decode()
    assert "Brightwater: Open" in page and "Brightwater: Old" not in page
    refused = advisor_http.post(url, {})
    assert refused.status_code == 200
    assert "Choose the colleague who takes over" in refused.content.decode()
    colleague.refresh_from_db()
    assert colleague.is_active

    response = advisor_http.post(url, {"hand_to": advisor.pk})
    assert response.status_code == 302
    open_one.refresh_from_db()
    archived.refresh_from_db()
    assert open_one.lead_advisor == advisor
    assert archived.lead_advisor == colleague  # closed work keeps its history
    assert open_one.audit_events.filter(action="engagement.handed_over").exists()


def test_engagements_cannot_be_handed_to_the_member_another_firm_or_an_invitee(
    advisor_http, firm, colleague, outsider, colleague_engagements
):
    invitee = User.objects.create_user(email="new@northgate.example")
    Membership.objects.create(user=invitee, firm=firm)
    url = reverse("member_deactivate", args=[colleague.membership.pk])
    for target in (colleague.pk, outsider.pk, invitee.pk, 2**70, "x"):
        response = advisor_http.post(url, {"hand_to": target})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.is_active


def test_the_service_refuses_a_handover_that_would_leave_engagements_without_a_lead(
    advisor, colleague, colleague_engagements
):
    with pytest.raises(TeamError, match="so none is left without a lead advisor"):
        member_deactivate(membership=colleague.membership, actor=advisor, hand_to=None)
    inactive = make_advisor(colleague.membership.firm, "gone@northgate.example")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    with pytest.raises(TeamError, match="active colleague"):
        member_deactivate(membership=colleague.membership, actor=advisor, hand_to=inactive)


def test_nobody_deactivates_themselves(advisor, firm):
    make_advisor(firm, "olive@northgate.example", Membership.Role.OWNER)
    with pytest.raises(TeamError, match="cannot deactivate your own account"):
        member_deactivate(membership=advisor.membership, actor=advisor, hand_to=None)
    advisor.refresh_from_db()
    assert advisor.is_active


def test_the_service_never_deactivates_the_last_owner(advisor, colleague):
    # The pages let only owners act, so an owner acting on another owner means two owners;
    # the service keeps the rule on its own all the same.
    with pytest.raises(TeamError, match="only owner"):
        member_deactivate(membership=advisor.membership, actor=colleague, hand_to=None)
    advisor.refresh_from_db()
    assert advisor.is_active


def test_one_of_two_owners_may_deactivate_the_other(advisor, colleague):
    Membership.objects.filter(pk=colleague.membership.pk).update(role="owner")
    member_deactivate(membership=advisor.membership, actor=colleague, hand_to=None)
    advisor.refresh_from_db()
    assert not advisor.is_active


def test_deactivating_an_invitee_withdraws_their_link(advisor_http, advisor, firm, client):
    invite(advisor_http)
    path = LINK.search(last_email().body).group(1)
    ivy = Membership.objects.get(user__email="ivy@northgate.example")
    advisor_http.post(reverse("member_deactivate", args=[ivy.pk]))
    assert client.get(path).status_code == 410


# --- Who may reach it. ---


def team_urls(membership: Membership) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("team"), {}),
        ("get", reverse("team_invite"), {}),
        ("post", reverse("team_invite"), {"name": "X", "email": "x@x.example", "role": "owner"}),
        ("post", reverse("member_role", args=[membership.pk]), {"role": "owner"}),
        ("post", reverse("member_resend", args=[membership.pk]), {}),
        ("post", reverse("member_two_factor", args=[membership.pk]), {}),
        ("get", reverse("member_deactivate", args=[membership.pk]), {}),
        ("post", reverse("member_deactivate", args=[membership.pk]), {}),
        ("get", reverse("firm_settings"), {}),
        ("post", reverse("firm_settings"), {"name": "Taken over", "accent_color": "#000000"}),
    ]


def test_anonymous_is_sent_to_sign_in(client, colleague):
    for method, url, data in team_urls(colleague.membership):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_an_advisor_who_is_not_an_owner_gets_404_even_posting_directly(colleague, advisor):
    http = signed_in(colleague)
    for method, url, data in team_urls(advisor.membership):
        assert getattr(http, method)(url, data).status_code == 404, url
    advisor.membership.refresh_from_db()
    assert advisor.membership.role == "owner"
    assert not User.objects.filter(email="x@x.example").exists()
    assert advisor.membership.firm.name == "Northgate Advisory"


def test_another_firm_s_owner_gets_404_for_our_members(colleague, other_firm):
    rival_owner = make_advisor(other_firm, "rita@rival.example", Membership.Role.OWNER)
    http = signed_in(rival_owner)
    for method, url, data in team_urls(colleague.membership)[3:8]:
        assert getattr(http, method)(url, data).status_code == 404, url
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.membership.role == "advisor"


def test_an_out_of_range_member_id_is_a_404(advisor_http):
    assert advisor_http.get(f"/team/{2**70}/deactivate/").status_code == 404


def test_an_owner_resets_a_colleague_s_lost_two_factor(advisor_http, advisor, colleague):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    colleague_http = signed_in(colleague)
    response = advisor_http.post(reverse("member_two_factor", args=[colleague.membership.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert colleague_http.get(reverse("dashboard")).status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="member.two_factor_reset", actor=advisor).exists()


def test_nobody_resets_their_own_two_factor_from_the_team_page(advisor_http, advisor):
    response = advisor_http.post(
        reverse("member_two_factor", args=[advisor.membership.pk]), follow=True
    )
    assert "Use your Account page" in response.content.decode()
