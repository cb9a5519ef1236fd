"""Memos carry the firm's branding as it was when they were requested: changing the logo,
colour, name or paper size later alters no version already made, approved ones above all."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from advisory.colours import rgb
from advisory.logos import logo_store
from advisory.models import Engagement
from advisory.team import member_deactivate
from reports.models import MemoVersion
from reports.services.delivery import memo_send
from reports.services.memos import memo_approve, memo_input, memo_render, memo_request, memo_revise
from tests.advisory import images
from tests.conftest import ready_with_stand_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def branded_firm(firm, memo_storage):
    # A logo in another colour than the accent, so the accent found on the page is the memo's.
    firm.logo.name = logo_store(images.png((240, 80), colour="#3a3a3a"))
    firm.accent_color = "#0b6e4f"
    firm.save()
    return firm


@pytest.fixture
def requested(branded_firm, submitted, advisor, django_capture_on_commit_callbacks) -> MemoVersion:
    with django_capture_on_commit_callbacks(execute=False):
        return memo_request(engagement=submitted.engagement, actor=advisor, commentary="Hi")


@pytest.fixture
def approved(requested, advisor) -> MemoVersion:
    """Approved with a one-page stand-in for its file: the tests that use it read the
    version's branding, not its pages (the one that reads the pages renders)."""
    return memo_approve(version=ready_with_stand_in(requested), actor=advisor)


def rebrand(firm) -> None:
    firm.name = "Renamed Partners"
    firm.accent_color = "#5b2a86"
    firm.paper_size = "Letter"
    firm.logo.name = logo_store(images.png((240, 80), colour="#5b2a86"))
    firm.save()


def test_a_version_keeps_the_branding_it_was_requested_with(approved, branded_firm, advisor):
    assert approved.branding == {
        "firm_name": "Northgate Advisory",
        "accent": "#0b6e4f",
        "paper_size": "A4",
        "logo": branded_firm.logo.name,
        "advisor_name": "ada",
    }


def test_rebranding_never_alters_an_approved_version(approved, branded_firm, advisor, advisor_http):
    old_logo = branded_firm.logo.name
    rebrand(branded_firm)
    memo = memo_input(MemoVersion.objects.get(pk=approved.pk))
    assert (memo.firm_name, memo.accent, memo.paper_size) == ("Northgate Advisory", "#0b6e4f", "A4")

    with default_storage.open(old_logo) as handle:
        assert memo.logo == handle.read()
    url = reverse("memo_preview_document", args=[approved.pk])
    preview = advisor_http.get(url).content.decode()
    assert "--accent: #0b6e4f" in preview and "Renamed Partners" not in preview
    assert "size: A4" in preview


def test_a_new_version_uses_the_new_branding(
    approved, branded_firm, advisor, django_capture_on_commit_callbacks
):
    rebrand(branded_firm)
    with django_capture_on_commit_callbacks(execute=False):
        new = memo_revise(version=approved, actor=advisor, commentary="New words")
    memo = memo_input(new)
    assert (memo.firm_name, memo.accent, memo.paper_size) == (
        "Renamed Partners",
        "#5b2a86",
        "Letter",
    )


def test_handing_the_engagement_over_keeps_the_advisor_an_approved_memo_names(
    approved, advisor, colleague, firm
):
    from advisory.models import Membership

    Membership.objects.filter(user=colleague).update(role="owner")
    member_deactivate(membership=advisor.membership, actor=colleague, hand_to=colleague)
    assert Engagement.objects.get().lead_advisor == colleague
    assert memo_input(MemoVersion.objects.get(pk=approved.pk)).advisor_name == "ada"


def test_versions_made_before_branding_was_kept_use_the_firm_s_current_branding(version, firm):
    MemoVersion.objects.filter(pk=version.pk).update(branding={})
    firm.accent_color = "#5b2a86"
    firm.save()
    memo = memo_input(MemoVersion.objects.get(pk=version.pk))
    assert memo.accent == "#5b2a86" and memo.firm_name == "Northgate Advisory" and memo.logo is None


def test_the_rendered_memo_shows_the_logo_and_the_colour_on_page_1(requested):
    version = memo_render(version_id=requested.pk)
    with version.pdf.open("rb") as handle:
        pdf = handle.read()
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(first.images) >= 1
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is needed to look at the colours")
    png = subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 24)
    target = rgb("#0b6e4f")
    close = sum(
        count
        for count, colour in colours
        if all(abs(a - b) <= 12 for a, b in zip(colour, target, strict=True))
    )
    assert close > 200  # headings, rules and the chart in the accent colour


def test_board_links_live_as_long_as_the_firm_says(approved, branded_firm, board_members, advisor):
    branded_firm.board_link_days = 5
    branded_firm.save()
    approved.engagement.board_meeting_date = None
    approved.engagement.save()
    sent = memo_send(version=approved, people=[board_members[0]], actor=advisor)
    # Without a board meeting date: the firm's lifetime, to the end of the last day.
    last_day = timezone.localdate() + timedelta(days=5)
    assert timezone.localtime(sent.deliveries[0].expires_at).date() == last_day


def test_the_send_page_states_the_firm_s_board_link_lifetime(
    approved, branded_firm, board_members, advisor_http
):
    branded_firm.board_link_days = 9
    branded_firm.save()
    approved.engagement.board_meeting_date = None
    approved.engagement.save()
    page = advisor_http.get(reverse("memo_send", args=[approved.pk])).content.decode()
    assert "links work 9 days" in page
