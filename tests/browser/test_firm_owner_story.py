"""The whole owner story in Chromium against a live server: a firm starts from nothing and
ends up with a colleague, two-factor sign-in and its logo and colour on a memo."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from base64 import b32decode

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from advisory.colours import rgb
from advisory.models import Client, Engagement, Person, User
from reports.models import MemoVersion
from reports.services import memos
from tests.advisory import images
from tests.assessments.factories import valid_answers
from tests.conftest import send_queued, submit_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCENT = "#0b6e4f"
OWNER_PASSWORD = "harbour-lantern-quiet-71"
COLLEAGUE_PASSWORD = "tidal-compass-morning-29"


def fill(page, label: str, value: str) -> None:
    # Crispy marks required fields with an asterisk after the label.
    page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")).fill(value)


def sign_in_with_password(page, url: str, email: str, password: str) -> None:
    page.goto(url + "/accounts/login/")
    fill(page, "Email address", email)
    fill(page, "Password", password)
    page.get_by_role("button", name="Sign in").click()


def set_password(page, link: str, password: str) -> None:
    page.goto(link)
    fill(page, "New password", password)
    fill(page, "New password confirmation", password)
    page.get_by_role("button", name="Set my password").click()


def email_link(to: str) -> str:
    send_queued()  # what the worker would do
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(r"https?://\S+/accounts/welcome/[\w-]+/", message.body).group(0)


def accent_pixels(pdf: bytes, colour: str) -> int:
    png = subprocess.run(
        ["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    target = rgb(colour)
    return sum(
        count
        for count, found in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 24)
        if all(abs(a - b) <= 12 for a, b in zip(found, target, strict=True))
    )


def test_a_firm_starts_from_nothing_and_brands_its_memo(
    new_context, live_server, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    # The memo is rendered below by the same code the worker runs; nothing is published.
    monkeypatch.setattr(memos, "_publish", lambda version_id: None)
    problems: list[str] = []

    # create_firm prints the owner's one-time link.
    out = io.StringIO()
    call_command(
        "create_firm",
        name="Quayside Advisory",
        owner_email="olga@quayside.example",
        owner_name="Olga Berg",
        stdout=out,
    )
    link = re.search(r"https?://\S+/accounts/welcome/[\w-]+/", out.getvalue()).group(0)
    assert link.startswith(live_server.url)

    # The owner sets a password from it and is signed in.
    context = new_context()
    owner = context.new_page()
    owner.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    set_password(owner, link, OWNER_PASSWORD)
    expect(owner.get_by_role("heading", name="Engagements")).to_be_visible()
    assert "Quayside Advisory" in owner.locator(".navbar-brand").inner_text()

    # Turns on two-factor: scans (here: reads) the key, types the code, keeps recovery codes.
    owner.get_by_role("link", name="Olga Berg").click()
    owner.get_by_role("link", name="Set up two-factor sign-in").click()
    key = b32decode(owner.inner_text("#totp-key").replace(" ", ""))
    assert owner.locator("img.qr-code").evaluate("img => img.naturalWidth") > 100
    fill(owner, "Code", f"{totp(key):06d}")
    owner.get_by_role("button", name="Turn on two-factor").click()
    expect(owner.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    recovery = owner.locator(".recovery-codes code").all_inner_texts()
    assert len(recovery) == 10

    # Signing in again takes the password and then a code.
    owner.get_by_role("button", name="Sign out").click()
    sign_in_with_password(owner, live_server.url, "olga@quayside.example", OWNER_PASSWORD)
    expect(owner.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    assert owner.get_by_role("link", name="Team").count() == 0  # nothing else until the code
    fill(owner, "Code", recovery[0])
    owner.get_by_role("button", name="Sign in").click()
    expect(owner.get_by_role("heading", name="Engagements")).to_be_visible()

    # Invites a colleague.
    owner.get_by_role("link", name="Team").click()
    owner.get_by_role("link", name="Invite a colleague").click()
    fill(owner, "Name", "Cal Reyes")
    fill(owner, "Email address", "cal@quayside.example")
    owner.get_by_label("Role").select_option(label="Advisor")
    owner.get_by_role("button", name="Send the invitation").click()
    assert "Invitation sent to cal@quayside.example" in owner.content()
    assert "Invited, not joined yet" in owner.content()

    # The colleague sets a password from the email, and signs in with it later.
    colleague = new_context().new_page()
    set_password(colleague, email_link("cal@quayside.example"), COLLEAGUE_PASSWORD)
    expect(colleague.get_by_role("heading", name="Engagements")).to_be_visible()
    colleague.get_by_role("button", name="Sign out").click()
    sign_in_with_password(colleague, live_server.url, "cal@quayside.example", COLLEAGUE_PASSWORD)
    expect(colleague.get_by_role("heading", name="Engagements")).to_be_visible()
    assert colleague.get_by_role("link", name="Team").count() == 0  # not an owner

    # The owner uploads a logo and picks a colour.
    owner.get_by_role("link", name="Firm settings").click()
    owner.set_input_files(
        "#id_logo",
        files=[
            {
                "name": "logo.png",
                "mimeType": "image/png",
                "buffer": images.png((360, 120), "#333a40"),
            }
        ],
    )
    owner.fill("#id_accent_color", ACCENT)
    owner.get_by_role("button", name="Save the settings").click()
    # The colour comes in a stylesheet of its own: read styles once it has loaded.
    owner.wait_for_load_state("load")
    assert "Settings saved" in owner.content()
    assert owner.locator(".brand-logo").evaluate("img => img.naturalWidth") > 0
    navbar = owner.locator(".app-navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert navbar == "rgb(11, 110, 79)"
    button = owner.get_by_role("button", name="Save the settings")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 110, 79)"

    # A memo rendered afterwards shows the logo and the colour.
    owner_user = User.objects.get(email="olga@quayside.example")
    firm = owner_user.membership.firm
    client = Client.objects.create(firm=firm, name="Harbour Freight")
    Person.objects.create(client=client, name="Hana Ceo", email="hana@hf.example", role="ceo")
    engagement = Engagement.objects.create(
        firm=firm, client=client, lead_advisor=owner_user, title="Who should lead AI"
    )
    submit_answers(engagement, valid_answers())
    version = memos.memo_request(engagement=engagement, actor=owner_user, commentary="")
    memos.memo_render(version_id=version.pk)
    version = MemoVersion.objects.get(pk=version.pk)
    assert version.state == MemoVersion.State.READY

    owner.goto(f"{live_server.url}/memos/{version.pk}/preview/memo/")  # the preview frame
    assert owner.locator("img.logo").evaluate("img => img.naturalWidth") > 0
    heading = owner.locator("h2").first.evaluate("e => getComputedStyle(e).color")
    assert heading == "rgb(11, 110, 79)"

    with version.pdf.open("rb") as handle:
        pdf = handle.read()
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) >= 1
    if shutil.which("pdftoppm"):
        assert accent_pixels(pdf, ACCENT) > 200
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
