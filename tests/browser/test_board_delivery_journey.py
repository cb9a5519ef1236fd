"""A board receives the memo as a portal would deliver it, in a real Chromium with a real
worker sending the emails: the advisor previews and sends, a director downloads a copy with
their name on every page, a newer version is sent, and the old link says it was superseded."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from advisory.models import Email
from reports.models import MemoVersion
from reports.services.memos import memo_approve, memo_render, memo_request, memo_revise
from tests.assessments.factories import valid_answers
from tests.browser.conftest import at_each_width, axe_violations, describe, shot, sign_in
from tests.conftest import needs_redis, submit_answers
from tests.pdf import pages_text

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    needs_redis,
]


def ready_version(
    engagement, advisor, previous: MemoVersion | None = None, *, by_worker: bool = False
) -> MemoVersion:
    """A rendered, approved version through the memo's own pipeline: the running worker
    renders it (``by_worker``), or the test does as the worker would."""
    if previous is None:
        version = memo_request(engagement=engagement, actor=advisor, commentary="For Thursday.")
    else:
        version = memo_revise(version=previous, actor=advisor, commentary="Revised figures.")
    if by_worker:
        deadline = time.monotonic() + 60
        while not MemoVersion.objects.filter(pk=version.pk, state=MemoVersion.State.READY).exists():
            assert time.monotonic() < deadline, f"v{version.number} was not rendered in 60 s"
            time.sleep(0.05)
    else:
        memo_render(version_id=version.pk)
    return memo_approve(version=MemoVersion.objects.get(pk=version.pk), actor=advisor)


def emails_to(address: str, count: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mail.outbox if address in m.to]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{address} never got {count} email(s)")


def link_in(message) -> str:
    return next(word for word in message.body.split() if "/m/" in word)


def look(page, name: str) -> None:
    """The page as it is now, at a phone's width and a laptop's."""
    for width in at_each_width(page):
        violations = axe_violations(page)
        assert violations == [], f"{name} at {width}px: {describe(violations)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        shot(page, f"{'phone' if width < 600 else 'laptop'}-{name}")


def test_send_download_a_named_copy_then_a_newer_version_supersedes_the_old_link(
    new_context, live_server, engagement, advisor, board_members, worker, tmp_path
):
    engagement.board_meeting_date = timezone.localdate() + timedelta(days=30)
    engagement.save()
    submit_answers(engagement, valid_answers())
    v1 = ready_version(engagement, advisor, by_worker=True)
    bob = board_members[0]

    # The advisor sends v1: the send page, then the email exactly as it will go.
    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    desk = context.new_page()
    desk.goto(f"{live_server.url}/memos/{v1.pk}/send/")
    last_day = engagement.board_meeting_date + timedelta(days=7)
    assert desk.get_by_label("Links work until").input_value() == last_day.isoformat()
    look(desk, "memo-send")
    desk.get_by_label("Beth Board", exact=False).uncheck()
    desk.get_by_label("Cover note (optional)").fill("Please read it before Thursday's meeting.")
    desk.get_by_role("button", name="Preview the email").click()
    frame = desk.frame_locator("iframe.email-preview")
    assert "Please read it before Thursday" in frame.locator("body").inner_text()
    assert "Dear Bob Board" in frame.locator("body").inner_text()
    look(desk, "memo-send-preview")
    assert not Email.objects.filter(kind=Email.Kind.BOARD_MEMO).exists()  # nothing sent yet
    desk.get_by_role("button", name="Send to 1 person").click()
    assert "on its way to 1 person" in desk.content()

    # The worker sends it; the director downloads their own copy in the browser.
    (email,) = emails_to(bob.email, 1)
    assert not email.attachments
    old_link = link_in(email)
    director = new_context(bypass_csp=True).new_page()
    director.goto(live_server.url + "/static/img/favicon.svg")  # any page, to start from
    with director.expect_download() as started:
        director.evaluate("url => { window.location.href = url; }", old_link)
    copy = tmp_path / "bob.pdf"
    started.value.save_as(copy)
    pages = pages_text(copy.read_bytes())
    assert len(pages) >= 4
    for number, text in enumerate(pages, 1):
        assert "Prepared for Bob Board · bob@acme.example" in " ".join(text.split()), number

    # The engagement page: the email sent, the link valid, one download.
    desk.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    deliveries = desk.locator("table.memo-deliveries").inner_text()
    assert "Valid until" in deliveries and "Sent" in deliveries
    look(desk, "engagement-delivered")

    # Revoking asks first (and is not done here).
    desk.get_by_role("link", name="Revoke link").click()
    assert "stops working at once" in desk.content()
    look(desk, "delivery-revoke")

    # A newer version goes to the board; the old link now says so.
    v2 = ready_version(engagement, advisor, previous=v1, by_worker=True)
    desk.goto(f"{live_server.url}/memos/{v2.pk}/send/")
    desk.get_by_label("Beth Board", exact=False).uncheck()
    desk.get_by_role("button", name="Preview the email").click()
    desk.get_by_role("button", name="Send to 1 person").click()
    emails_to(bob.email, 2)
    director.goto(old_link)
    assert "A newer version of this memo was sent" in director.content()
    assert "The newer version was sent to you too" in director.content()
    look(director, "link-superseded")

    desk.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    assert "a newer version was sent" in desk.locator("table.memo-deliveries").inner_text()


def test_the_preview_and_the_notification_settings_read_well_at_both_widths(
    new_context, live_server, engagement, advisor, board_members, settings, tmp_path
):
    """The journey above looks at the send pages; these are the advisor's other two."""
    settings.MEDIA_ROOT = tmp_path
    submit_answers(engagement, valid_answers())
    version = ready_version(engagement, advisor)
    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    desk = context.new_page()
    desk.goto(f"{live_server.url}/memos/{version.pk}/preview/")
    desk.locator("iframe.memo-frame").wait_for()
    look(desk, "memo-preview-approved")
    desk.goto(f"{live_server.url}/account/")
    look(desk, "account-notifications")
