"""Firm settings: branding and defaults, the logo upload (honest and hostile files), the
accent colour's contrast, and how the pages show the logo and the colour."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from advisory.colours import contrast_on_white
from advisory.models import AuditEvent, Firm
from tests.advisory import images
from tests.conftest import signed_in, stored_files

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Northgate Advisory",
    "accent_color": "#1f4e79",
    "paper_size": "A4",
    "sender_name": "",
    "reply_to": "",
    "ceo_link_days": "30",
    "board_link_days_after_meeting": "7",
    "board_link_days": "14",
}


def save(http, files: dict | None = None, **changes: str):
    return http.post(reverse("firm_settings"), {**VALID, **changes, **(files or {})})


def upload(content: bytes, name: str = "logo.png", content_type: str = "image/png"):
    return {"logo": SimpleUploadedFile(name, content, content_type=content_type)}


def test_an_owner_changes_the_branding_and_defaults(advisor_http, firm):
    response = save(
        advisor_http,
        name="Northgate & Co",
        accent_color="#7A1F3D",
        paper_size="Letter",
        sender_name="Northgate Memos",
        reply_to="Desk@Northgate.example",
        ceo_link_days="21",
        board_link_days="10",
        board_link_days_after_meeting="3",
        attach_memo="on",
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.name == "Northgate & Co"
    assert firm.accent_color == "#7a1f3d"
    assert firm.paper_size == "Letter"
    assert (firm.sender_name, firm.reply_to) == ("Northgate Memos", "desk@northgate.example")
    assert (firm.ceo_link_days, firm.board_link_days) == (21, 10)
    assert firm.board_link_days_after_meeting == 3 and firm.attach_memo
    event = AuditEvent.objects.get(action="firm.settings_changed")
    assert "accent colour" in event.summary and "paper size" in event.summary


@pytest.mark.parametrize(
    ("colour", "ratio"),
    [("#ffcc00", "1.51"), ("#ffffff", "1.00"), ("#8a8a8a", "3.45"), ("#777777", "4.47")],
)
def test_an_accent_too_light_to_read_on_white_is_refused_with_the_ratio(
    advisor_http, firm, colour, ratio
):
    response = save(advisor_http, accent_color=colour, name="Kept? No")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"its contrast is {ratio}:1" in body
    assert "at least 4.5:1" in body
    assert 'value="Kept? No"' in body  # nothing typed is lost
    firm.refresh_from_db()
    assert firm.name == "Northgate Advisory"
    assert firm.accent_color == "#1f4e79"


def test_the_contrast_rule_is_the_wcag_one():
    assert round(contrast_on_white("#000000"), 2) == 21.0
    assert round(contrast_on_white("#767676"), 2) == 4.54  # the lightest grey that passes AA
    assert contrast_on_white("#777777") < 4.5


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#gg0000", "", "javascript:1"])
def test_a_malformed_colour_is_refused(advisor_http, colour):
    response = save(advisor_http, accent_color=colour)
    assert response.status_code == 200
    assert "colour" in response.content.decode().lower()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ceo_link_days", "0", "A CEO link must live at least 1 day."),
        ("ceo_link_days", "91", "A CEO link can live at most 90 days."),
        ("board_link_days", "-3", "A board link must live at least 1 day."),
        ("board_link_days", "ten", "Enter a whole number."),
        ("reply_to", "not-an-email", "Enter a valid email address."),
        ("paper_size", "A3", "Select a valid choice."),
        ("sender_name", "Evil\x07Name", "must be on one line"),
        ("name", "   ", "This field is required."),
    ],
)
def test_every_field_says_what_is_wrong(advisor_http, firm, field, value, message):
    response = save(advisor_http, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_sender_name_with_line_breaks_is_kept_on_one_line(advisor_http, firm):
    save(advisor_http, sender_name="Evil\r\nBcc: victim@example.com")
    firm.refresh_from_db()
    assert firm.sender_name == "Evil Bcc: victim@example.com"


def test_requiring_two_factor_needs_the_owner_s_own_first(advisor_http, advisor, firm):
    response = save(advisor_http, require_two_factor="on")
    assert "Turn on two-factor sign-in for your own account first" in response.content.decode()
    firm.refresh_from_db()
    assert not firm.require_two_factor


# --- The logo. ---


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (images.png((600, 200)), "logo.png", "image/png"),
        (images.jpeg((300, 300), exif_note="taken at the office"), "logo.jpg", "image/jpeg"),
        (images.png((80, 40)), "LOGO.JPEG", "application/octet-stream"),  # the name does not count
    ],
)
def test_a_png_or_jpeg_logo_is_re_encoded_and_stored(
    advisor_http, firm, memo_storage, content, name, content_type
):
    response = save(advisor_http, upload(content, name, content_type))
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.logo.name.startswith("logos/") and firm.logo.name.endswith(".png")
    with default_storage.open(firm.logo.name) as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG"
    assert b"office" not in stored and b"Exif" not in stored


def test_a_png_with_a_trailing_script_keeps_only_its_pixels(advisor_http, firm, memo_storage):
    save(advisor_http, upload(images.png_with_trailing_script()))
    firm.refresh_from_db()
    with default_storage.open(firm.logo.name) as handle:
        stored = handle.read()
    assert b"<script" not in stored and b"<html" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")


def test_metadata_is_stripped(advisor_http, firm, memo_storage):
    save(advisor_http, upload(images.png_with_metadata()))
    firm.refresh_from_db()
    with default_storage.open(firm.logo.name) as handle:
        stored = handle.read()
    assert b"secret-author-name" not in stored and b"tEXt" not in stored
    assert Image.open(io.BytesIO(stored)).mode == "RGBA"  # transparency kept


def test_a_large_logo_is_kept_at_a_size_the_pages_and_memo_need(advisor_http, firm, memo_storage):
    save(advisor_http, upload(images.png((3900, 1300))))
    firm.refresh_from_db()
    with default_storage.open(firm.logo.name) as handle:
        assert Image.open(handle).size == (1200, 400)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (images.TEXT, "logo.png", "This file is not a PNG or JPEG image."),
        (images.SVG, "logo.svg", "This file is not a PNG or JPEG image."),
        (images.PDF, "logo.pdf", "This file is not a PNG or JPEG image."),
        (images.ELF, "logo.png", "This file is not a PNG or JPEG image."),
        (images.EXE, "logo.png", "This file is not a PNG or JPEG image."),
        (images.jpeg_declaring(50_000, 50_000), "logo.jpg", "far larger than the limit"),
        (images.jpeg_declaring(4_001, 300), "logo.jpg", "The image is 4,001 × 300 pixels."),
        (images.png_bomb(), "bomb.png", "far larger than the limit"),
        (images.truncated_png(), "logo.png", "could not be read in full"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "big.png", "over the limit"),
        (b"", "empty.png", "The submitted file is empty."),
    ],
)
def test_a_hostile_or_broken_upload_is_refused_and_nothing_is_stored(
    advisor_http, firm, memo_storage, content, name, message
):
    response = save(advisor_http, upload(content, name), name="Renamed meanwhile")
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    if content:
        assert "PNG or JPEG of at most 2 MB and 4,000 × 4,000 pixels" in body
    assert "choose the logo file again" in body
    firm.refresh_from_db()
    assert not firm.logo
    assert firm.name == "Northgate Advisory"  # nothing at all is saved
    assert stored_files("logos") == []


def test_the_same_logo_twice_is_one_file_and_a_replaced_logo_is_kept(
    advisor_http, firm, memo_storage
):
    save(advisor_http, upload(images.png(colour="#112233")))
    save(advisor_http, upload(images.png(colour="#112233")))
    assert len(stored_files("logos")) == 1
    first = Firm.objects.get().logo.name
    save(advisor_http, upload(images.png(colour="#445566")))
    assert len(stored_files("logos")) == 2  # memo versions may still use the first one
    assert Firm.objects.get().logo.name != first
    response = save(advisor_http, remove_logo="on")
    assert response.status_code == 302
    assert not Firm.objects.get().logo
    assert len(stored_files("logos")) == 2


# --- How the pages show it. ---


def test_the_header_shows_the_logo_and_links_the_accent_stylesheet(
    advisor_http, colleague, firm, memo_storage
):
    save(advisor_http, upload(images.png()), accent_color="#7a1f3d")
    firm.refresh_from_db()
    body = signed_in(colleague).get(reverse("dashboard")).content.decode()
    logo_url = reverse("firm_logo", args=[firm.logo_digest])
    assert f'src="{logo_url}"' in body
    assert 'href="/accent/7a1f3d.css"' in body
    response = signed_in(colleague).get(logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]


def test_another_firm_cannot_fetch_our_logo(
    advisor_http, outsider_http, firm, memo_storage, client
):
    save(advisor_http, upload(images.png()))
    firm.refresh_from_db()
    url = reverse("firm_logo", args=[firm.logo_digest])
    assert outsider_http.get(url).status_code == 404
    assert client.get(url).status_code == 302  # anonymous: sign in first


def test_the_accent_stylesheet_colours_buttons_and_links():
    from django.test import Client as HttpClient

    response = HttpClient().get("/accent/7A1F3D.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert "--app-accent: #7a1f3d;" in css
    assert "--bs-link-color-rgb: 122, 31, 61;" in css
    assert HttpClient().get("/accent/zzzzzz.css").status_code == 404
    assert HttpClient().get("/accent/1234567.css").status_code == 404


def test_the_settings_page_never_breaks_on_hostile_input(advisor_http):
    for data in (
        {"name": "\x00", "accent_color": "\x00"},
        {"ceo_link_days": "9" * 400, "board_link_days": "1e9"},
        {"remove_logo": "yes", "require_two_factor": "maybe"},
        {},
    ):
        response = advisor_http.post(reverse("firm_settings"), data)
        assert response.status_code in (200, 302)
