"""Every page of the firm workspace, as a laptop and a phone show it: screenshots to look at,
no sideways scrolling, no serious accessibility problems (axe-core), no CSP refusals. Each
state is reached once and looked at at both widths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp

from advisory.accounts import account_link_issue
from advisory.logos import logo_store
from advisory.models import AccountLink, Client, Engagement, Membership, User
from advisory.team import member_deactivate
from advisory.two_factor import authenticator_start
from tests.advisory import images
from tests.browser.conftest import at_each_width, axe_violations, describe, shot, sign_in
from tests.conftest import make_advisor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace(firm, advisor, colleague, settings, tmp_path):
    """A firm with a logo, an owner, an advisor leading open work, an invitee who has not
    joined and a former member."""
    settings.MEDIA_ROOT = tmp_path
    firm.logo.name = logo_store(images.png((480, 160), "#2b3a42"))
    firm.accent_color = "#7a1f3d"
    firm.save()
    User.objects.filter(pk=advisor.pk).update(first_name="Ada", last_name="Lovelace-Byron")
    User.objects.filter(pk=colleague.pk).update(
        first_name="Colin", last_name="Ng", last_login=timezone.now() - timedelta(days=3)
    )
    client = Client.objects.create(firm=firm, name="Brightwater Utilities")
    for title in ("AI leadership review", "Board follow-up"):
        Engagement.objects.create(firm=firm, client=client, lead_advisor=colleague, title=title)
    pending = User.objects.create_user(email="ivy.ng-longname@northgate-advisory.example")
    Membership.objects.create(user=pending, firm=firm)
    former = make_advisor(firm, "fred@northgate.example")
    member_deactivate(membership=former.membership, actor=advisor, hand_to=None)
    advisor.refresh_from_db()
    colleague.refresh_from_db()
    return firm


def look(page, name: str) -> None:
    """Screenshots, then the checks every page passes, at each width."""
    assert "Something went wrong on our side" not in page.content(), name
    for width in at_each_width(page):
        device = "phone" if width < 600 else "laptop"
        shot(page, f"firm-{device}-{name}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        violations = axe_violations(page)
        assert not violations, f"{name} at {width}px: {describe(violations)}"


def test_the_owner_s_pages(new_context, live_server, workspace, advisor, colleague):
    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    page = context.new_page()
    url = live_server.url

    page.goto(url + "/team/")
    look(page, "team")

    page.goto(url + "/team/invite/")
    page.fill("#id_name", "Ivy Ng")
    page.fill("#id_email", "not an address")
    page.get_by_role("button", name="Send the invitation").click()
    look(page, "team-invite-error")

    page.goto(url + f"/team/{colleague.membership.pk}/deactivate/")
    page.get_by_role("button", name="Deactivate Colin Ng").click()
    assert "Choose the colleague who takes over" in page.content()
    look(page, "team-deactivate")

    page.goto(url + "/firm/settings/")
    look(page, "firm-settings")
    page.fill("#id_accent_color", "#ffcc00")
    page.fill("#id_ceo_link_days", "400")
    page.set_input_files(
        "#id_logo",
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": images.TEXT}],
    )
    page.get_by_role("button", name="Save the settings").click()
    assert "too light to read on white" in page.content()
    assert "This file is not a PNG or JPEG image" in page.content()
    look(page, "firm-settings-errors")

    page.goto(url + "/")
    look(page, "dashboard-with-logo")

    page.goto(url + "/account/")
    look(page, "account")


def test_the_sign_in_and_link_pages(new_context, live_server, workspace, advisor):
    url = live_server.url
    pending = User.objects.get(email__startswith="ivy.ng")
    with transaction.atomic():
        link = account_link_issue(user=pending, purpose=AccountLink.Purpose.INVITATION).url
    page = new_context(bypass_csp=True).new_page()
    page.goto(link)
    look(page, "set-password")
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.get_by_role("button", name="Set my password").click()
    look(page, "set-password-error")

    AccountLink.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    page.goto(link)
    assert "This link has expired" in page.content()
    look(page, "link-expired")

    # Two-factor: set up, recovery codes, the sign-in step, the account page with it on.
    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    page = context.new_page()
    page.goto(url + "/account/two-factor/")
    look(page, "two-factor-setup")
    device_row = authenticator_start(user=advisor)
    page.fill("#id_code", f"{totp(device_row.bin_key):06d}")
    page.get_by_role("button", name="Turn on two-factor").click()
    look(page, "recovery-codes")
    page.goto(url + "/account/")
    page.locator("summary", has_text="Show my recovery codes").click()
    look(page, "account-two-factor-on")

    again = new_context(bypass_csp=True)
    advisor.refresh_from_db()
    sign_in(again, advisor, live_server)
    step = again.new_page()
    step.goto(url + "/clients/")
    assert "Enter your sign-in code" in step.content()
    look(step, "two-factor-sign-in")
    step.fill("#id_code", "000000")
    step.get_by_role("button", name="Sign in").click()
    look(step, "two-factor-sign-in-error")


def test_the_admin_for_staff(new_context, live_server, workspace):
    operator = User.objects.create_superuser(email="ops@install.example", password="x-ops-99")
    problems: list[str] = []
    context = new_context()
    sign_in(context, operator, live_server)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/admin/")
    shot(page, "firm-laptop-admin")
    page.goto(live_server.url + "/admin/advisory/firm/?q=north")
    assert "Northgate Advisory" in page.content()
    shot(page, "firm-laptop-admin-firms")
    page.goto(live_server.url + "/admin/advisory/engagement/?q=bright")
    shot(page, "firm-laptop-admin-engagements")
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_the_pages_keep_to_the_csp(new_context, live_server, workspace, advisor):
    """Without bypassing the CSP: nothing on the new pages is refused (no inline style or
    script), so the firm's colour arrives by its stylesheet."""
    problems: list[str] = []
    context = new_context()
    sign_in(context, advisor, live_server)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    for path in ("/team/", "/team/invite/", "/firm/settings/", "/account/", "/account/two-factor/"):
        page.goto(live_server.url + path)
        colour = page.locator(".app-navbar").evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(122, 31, 61)", path
    assert not problems, problems
