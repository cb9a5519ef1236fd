"""Every email in the firm's branding: from the firm's sender name on the app's address, with
the firm's reply-to, and the firm's logo inline in the HTML part."""

from __future__ import annotations

import email
import email.policy
from email.headerregistry import Address

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from advisory.emails import email_from_templates
from advisory.logos import logo_store
from advisory.models import Email, Firm
from advisory.outbox import email_queue
from advisory.team import member_invite
from assessments.services.invitations import invitation_send
from reports.services.delivery import memo_send
from tests.advisory import images
from tests.conftest import send_queued
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def branded(firm, memo_storage) -> Firm:
    firm.logo.name = logo_store(images.png((200, 80), colour="#7a1f3d"))
    firm.sender_name = "Northgate Board Memos"
    firm.reply_to = "desk@northgate.example"
    firm.accent_color = "#7a1f3d"
    firm.save()
    return firm


def sent():
    """The last email, once the outbox has sent what it holds."""
    send_queued()
    return mail.outbox[-1]


def parsed(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def check_branding(message, firm: Firm, *, reply_to: str) -> email.message.EmailMessage:
    mime = parsed(message)
    sender = mime["From"].addresses[0]
    assert sender.display_name == firm.from_name
    assert sender.addr_spec == "memos@localhost"  # the app's own address, never the firm's
    assert [a.addr_spec for a in mime["Reply-To"].addresses] == [reply_to]
    html = mime.get_body(preferencelist=("html",)).get_content()
    assert firm.accent_color in html
    text = mime.get_body(preferencelist=("plain",)).get_content()
    assert firm.name in text
    if firm.logo:
        related = next(p for p in mime.walk() if p.get_content_type() == "multipart/related")
        image = next(p for p in related.iter_parts() if p.get_content_type() == "image/png")
        content_id = image["Content-ID"].strip("<>")
        assert f'src="cid:{content_id}"' in html
        assert image.get_content_disposition() == "inline"
        with default_storage.open(firm.logo.name) as handle:
            assert image.get_content() == handle.read()
    return mime


def test_the_ceo_invitation(branded, engagement, ceo, advisor):
    invitation_send(engagement=engagement, person=ceo, actor=advisor)
    mime = check_branding(sent(), branded, reply_to="desk@northgate.example")
    assert "Northgate Advisory" in mime["Subject"]
    structure = [p.get_content_type() for p in mime.walk()]
    assert structure == [
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
    ]


def test_the_board_memo_holds_the_link_only_unless_the_firm_attaches_it(
    branded, delivery, board_members, ceo, advisor
):
    version = delivery[0].memo_version
    memo_send(version=version, people=[board_members[1]], actor=advisor)
    mime = check_branding(sent(), branded, reply_to="desk@northgate.example")
    assert "application/pdf" not in [p.get_content_type() for p in mime.walk()]
    assert "/m/" in mime.get_body(preferencelist=("plain",)).get_content()

    branded.attach_memo = True
    branded.save()
    memo_send(version=version, people=[ceo], actor=advisor)
    mime = check_branding(sent(), branded, reply_to="desk@northgate.example")
    assert [p.get_content_type() for p in mime.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "application/pdf",
    ]
    attachment = next(mime.iter_attachments())
    assert attachment.get_filename().endswith(".pdf")
    # The recipient's own copy: their name on the page.
    assert pdf_text(attachment.get_content()).count(f"Prepared for {ceo.name}") == 1


def test_the_colleague_invitation(branded, advisor):
    member_invite(firm=branded, actor=advisor, email="ivy@x.example", name="Ivy Ng", role="advisor")
    mime = check_branding(sent(), branded, reply_to="desk@northgate.example")
    assert mime["Subject"] == "ada invites you to join Northgate Advisory"
    assert "/accounts/welcome/" in mime.get_body(preferencelist=("plain",)).get_content()


def test_the_password_reset(branded, advisor, client):
    client.post(reverse("password_reset"), {"email": advisor.email})
    mime = check_branding(sent(), branded, reply_to="desk@northgate.example")
    assert mime["Subject"] == "Northgate Advisory: reset your password"
    html = mime.get_body(preferencelist=("html",)).get_content()
    assert "/accounts/reset/" in html


def test_without_a_reply_to_replies_go_to_the_advisor_and_without_a_logo_the_name_shows(
    firm, engagement, ceo, advisor
):
    invitation_send(engagement=engagement, person=ceo, actor=advisor)
    mime = check_branding(sent(), firm, reply_to=advisor.email)
    assert mime["From"].addresses[0].display_name == "Northgate Advisory"
    assert "multipart/related" not in [p.get_content_type() for p in mime.walk()]
    html = mime.get_body(preferencelist=("html",)).get_content()
    assert ">Northgate Advisory</span>" in html


@pytest.mark.parametrize(
    "name",
    [
        'Smith, Jones & "Partners"',
        "Bøgh & Østergaard Rådgivning",
        "A <b>bold</b> name",
        "日本の会社",
    ],
)
def test_any_sender_name_arrives_as_typed(firm, advisor, name):
    firm.sender_name = name
    draft = email_from_templates(
        name="advisory/email/member_invitation",
        context={
            "person": advisor,
            "inviter": "x",
            "firm": firm,
            "role": "Advisor",
            "link": "https://x.example/",
            "expires_at": timezone.now(),
        },
        to="someone@example.com",
        firm=firm,
    )
    email_queue(draft, kind=Email.Kind.MEMBER_INVITATION, firm=firm)
    sender = parsed(sent())["From"].addresses
    assert len(sender) == 1
    assert sender[0] == Address(display_name=name, addr_spec="memos@localhost")


def test_a_missing_logo_file_sends_the_email_without_it(branded, engagement, ceo, advisor):
    default_storage.delete(branded.logo.name)
    invitation_send(engagement=engagement, person=ceo, actor=advisor)
    mime = parsed(sent())
    assert "image/png" not in [p.get_content_type() for p in mime.walk()]
