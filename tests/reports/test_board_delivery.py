"""Board delivery: how long links last, superseded versions, the attachment choice, and each
director's own copy of the memo."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from advisory.links import LinkState
from assessments.samples import GROWING_SAAS
from reports.models import Delivery, Download, MemoVersion
from reports.services.copies import draft_copy, named_copy
from reports.services.delivery import (
    delivery_resolve,
    expiry_default,
    expiry_moment,
    memo_send,
)
from reports.services.memos import MemoError
from reports.services.rendering import MemoInput, memo_pdf
from tests.conftest import PDF, send_queued
from tests.pdf import pages_text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def approve(version: MemoVersion) -> MemoVersion:
    version.approved_at = timezone.now()
    version.save()
    return version


def next_version(version: MemoVersion) -> MemoVersion:
    """A newer approved, ready version of the same engagement, with a file of its own."""
    name = default_storage.save(f"memos/{version.engagement_id}/v2.pdf", ContentFile(PDF))
    newer = MemoVersion.objects.get(pk=version.pk)
    newer.pk, newer.number, newer.pdf = None, version.number + 1, name
    newer.approved_at = timezone.now()
    newer.save()
    return newer


def token_in(message) -> str:
    return message.body.split("/m/", 1)[1].split("/", 1)[0]


# --- How long a link lasts. -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "after", "expected"),
    [
        (date(2027, 1, 20), 7, date(2027, 1, 27)),  # the meeting plus the firm's days
        (date(2027, 1, 20), 0, date(2027, 1, 20)),  # to the end of the meeting day itself
        (date(2026, 11, 25), 7, date(2026, 12, 2)),  # last day tomorrow: still the meeting's
        (date(2026, 11, 24), 7, date(2026, 12, 15)),  # it would have run out: firm's 14 days
        (date(2027, 2, 22), 7, date(2027, 3, 1)),  # 90 days from today: allowed
        (date(2027, 2, 23), 7, date(2027, 3, 1)),  # one more: held at 90 days
        (None, 7, date(2026, 12, 15)),  # no meeting date: the firm's default lifetime
    ],
)
def test_a_link_lasts_to_the_meeting_plus_the_firms_days(engagement, meeting, after, expected):
    engagement.board_meeting_date = meeting
    engagement.firm.board_link_days = 14
    engagement.firm.board_link_days_after_meeting = after
    assert expiry_default(engagement, today=TODAY) == expected


def test_a_link_works_all_of_its_last_day_and_not_a_moment_after(delivery):
    d, token = delivery
    last_day = timezone.localdate() + timedelta(days=1)
    Delivery.objects.filter(pk=d.pk).update(expires_at=expiry_moment(last_day))
    assert delivery_resolve(token).usable
    Delivery.objects.filter(pk=d.pk).update(
        expires_at=expiry_moment(timezone.localdate() - timedelta(days=1))
    )
    assert delivery_resolve(token).state == LinkState.EXPIRED


@pytest.mark.parametrize(("days", "allowed"), [(0, False), (1, True), (90, True), (91, False)])
def test_the_last_day_is_from_tomorrow_to_90_days_ahead(
    version, board_members, advisor, days, allowed
):
    approve(version)
    day = timezone.localdate() + timedelta(days=days)
    if allowed:
        sent = memo_send(version=version, people=board_members, actor=advisor, expires_on=day)
        assert timezone.localtime(sent.deliveries[0].expires_at).date() == day
    else:
        with pytest.raises(MemoError, match="Choose a last day for the links between"):
            memo_send(version=version, people=board_members, actor=advisor, expires_on=day)
        assert not Delivery.objects.exists()


def test_the_send_page_proposes_the_meeting_plus_the_firms_days(advisor_http, version):
    approve(version)
    engagement = version.engagement
    engagement.board_meeting_date = timezone.localdate() + timedelta(days=30)
    engagement.save()
    page = advisor_http.get(reverse("memo_send", args=[version.pk])).content.decode()
    proposed = engagement.board_meeting_date + timedelta(days=7)
    assert f'value="{proposed.isoformat()}"' in page
    assert "keeps links working 7 days after the meeting" in page


# --- Superseded. ----------------------------------------------------------------------------


def test_sending_a_newer_version_supersedes_every_link_to_older_ones(
    client, version, board_members, advisor, advisor_http
):
    bob, beth = board_members
    memo_send(version=approve(version), people=[bob, beth], actor=advisor)
    send_queued()
    old_tokens = {m.to[0]: token_in(m) for m in mail.outbox}
    v2 = next_version(version)
    sent = memo_send(version=v2, people=[bob], actor=advisor)
    assert sent.superseded == 2

    for token in old_tokens.values():
        assert delivery_resolve(token).state == LinkState.SUPERSEDED
    assert not Delivery.objects.filter(memo_version=version).usable().exists()
    # Bob was sent v2 too; Beth was not, and is told whom to ask.
    to_bob = client.get(reverse("memo_download", args=[old_tokens[bob.email]]))
    assert to_bob.status_code == 410
    assert "A newer version of this memo was sent" in to_bob.content.decode()
    assert "The newer version was sent to you too" in to_bob.content.decode()
    to_beth = client.get(reverse("memo_download", args=[old_tokens[beth.email]])).content.decode()
    assert "ask Northgate Advisory to send it to you" in to_beth
    assert not Download.objects.exists()
    page = advisor_http.get(version.engagement.get_absolute_url()).content.decode()
    assert "a newer version was sent" in page


def test_a_superseded_link_stays_superseded_when_revoked_later_says_revoked(
    version, board_members, advisor
):
    memo_send(version=approve(version), people=board_members[:1], actor=advisor)
    (delivery,) = Delivery.objects.all()
    memo_send(version=next_version(version), people=board_members[:1], actor=advisor)
    delivery.refresh_from_db()
    assert delivery.link_state == LinkState.SUPERSEDED
    delivery.revoked_at = timezone.now()
    assert delivery.link_state == LinkState.REVOKED  # what the advisor did last and on purpose


# --- Attachment, cover note, the CEO. -------------------------------------------------------


def test_the_email_holds_the_link_only_by_default(version, board_members, advisor):
    memo_send(version=approve(version), people=board_members, actor=advisor)
    send_queued()
    assert [m.attachments for m in mail.outbox] == [[], []]
    assert all("Download your copy" in m.body for m in mail.outbox)


def test_with_the_firms_choice_each_email_attaches_that_directors_copy(
    version, board_members, advisor
):
    firm = version.engagement.firm
    firm.attach_memo = True
    firm.save()
    memo_send(version=approve(version), people=board_members, actor=advisor)
    send_queued()
    for message, person in zip(mail.outbox, board_members, strict=True):
        ((_, content, _),) = message.attachments
        assert f"Prepared for {person.name} · {person.email}" in pages_text(content)[0]
        assert "Your copy is attached" in message.body


def test_the_cover_note_is_in_every_email_as_written_and_escaped_in_html(
    version, board_members, advisor
):
    note = "Please read before Thursday.\n<b>Bring questions</b> & notes."
    memo_send(version=approve(version), people=board_members, actor=advisor, cover_note=note)
    send_queued()
    for message in mail.outbox:
        assert note in message.body
        html = message.alternatives[0][0]
        assert "&lt;b&gt;Bring questions&lt;/b&gt; &amp; notes." in html
        assert "<b>Bring questions</b>" not in html
    assert Delivery.objects.filter(cover_note=note).count() == 2


def test_the_ceo_can_be_sent_the_memo_too(version, ceo, advisor):
    (delivery,) = memo_send(version=approve(version), people=[ceo], actor=advisor).deliveries
    assert delivery.person == ceo


# --- The director's own copy. ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real_memo() -> bytes:
    return memo_pdf(MemoInput(answers=GROWING_SAAS, client_name="Acme Robotics")).pdf


def test_a_copy_is_the_versions_file_with_the_name_on_every_page(real_memo):
    copy = named_copy(real_memo, name="Ana Ruiz", email="ana@x.example", sent_on=TODAY)
    original, marked = pages_text(real_memo), pages_text(copy.pdf)
    assert len(marked) == len(original)
    mark = "Prepared for Ana Ruiz · ana@x.example · 1 December 2026"
    for before, after in zip(original, marked, strict=True):
        assert mark in after
        # All the memo's own text, in its order (the mark sits among the footer's lines).
        assert " ".join(before.split()) == " ".join(after.replace(mark, "").split())


def structure_elements(pdf: bytes) -> list[str]:
    """The structure types of the document's tagged elements, in tree order."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif hasattr(node, "get") and node.get("/Type") == "/StructElem":
            found.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/K"])
    return found


def test_a_copy_stays_tagged_and_the_mark_is_outside_the_structure_tree(real_memo):
    copy = named_copy(real_memo, name="Ana Ruiz", email="ana@x.example", sent_on=TODAY)
    after = PdfReader(io.BytesIO(copy.pdf))
    assert after.trailer["/Root"]["/MarkInfo"]["/Marked"]
    # The same structure tree, element for element: the mark added none.
    assert structure_elements(copy.pdf) == structure_elements(real_memo)
    assert len(structure_elements(real_memo)) > 50
    for page in after.pages:
        drawn = page.get_contents().get_data()
        assert drawn.rstrip().endswith(b"BDC\nq /MemoMark Do Q\nEMC")
        assert b"/Artifact <</Type /Pagination /Subtype /Watermark>> BDC" in drawn


def test_a_director_s_name_outside_latin_still_prints(real_memo):
    copy = named_copy(real_memo, name="Łukasz Żółć", email="l@x.example", sent_on=TODAY)
    assert "Prepared for Łukasz Żółć" in pages_text(copy.pdf)[0]


def test_an_unapproved_version_downloads_marked_draft(real_memo):
    copy = draft_copy(real_memo, number=3)
    assert all("Draft v3, not approved" in text for text in pages_text(copy.pdf))


def test_the_download_log_records_which_copy_was_served(client, delivery):
    d, token = delivery
    first = client.get(reverse("memo_download", args=[token])).content
    second = client.get(reverse("memo_download", args=[token])).content
    assert first == second  # the same director's copy each time
    logged = list(Download.objects.filter(delivery=d).values_list("copy_sha256", flat=True))
    assert logged == [hashlib.sha256(first).hexdigest()] * 2
    d.refresh_from_db()
    assert d.download_count == 2
