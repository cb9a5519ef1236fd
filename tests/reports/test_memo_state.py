"""The engagement's memo state follows its newest version, only the newest version can be
retried, approved or sent, double submits do nothing twice, and a missing PDF is a clear
refusal. Services are called directly; rendering is replaced by a fast fake renderer so the
tests can put versions in any order of finishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from advisory.models import AuditEvent, Email, Engagement
from reports.models import Delivery, MemoVersion
from reports.services import memos
from reports.services.delivery import delivery_resolve, delivery_revoke, memo_send
from reports.services.memos import (
    MemoError,
    memo_approve,
    memo_request,
    memo_retry,
    memo_revise,
    memo_sweep,
)
from reports.services.rendering import RenderedMemo
from reports.tasks import render_memo_version
from tests.conftest import send_queued

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% fake memo\n%%EOF\n"


class FakeRenderer:
    """Stands in for WeasyPrint: renders instantly, or fails when told to."""

    def __init__(self) -> None:
        self.broken = False

    def __call__(self, _input: object) -> RenderedMemo:
        if self.broken:
            raise RuntimeError("the template is broken")
        return RenderedMemo(
            pdf=FAKE_PDF, sha256="f" * 64, page_count=5, size_bytes=len(FAKE_PDF), render_ms=1
        )


@pytest.fixture
def renderer(monkeypatch, memo_storage) -> FakeRenderer:
    fake = FakeRenderer()
    monkeypatch.setattr(memos, "memo_pdf", fake)
    return fake


@pytest.fixture
def request_memo(submitted, advisor, django_capture_on_commit_callbacks):
    """Requests a version with the given commentary, without publishing the task."""

    def request(commentary: str = "") -> MemoVersion:
        with django_capture_on_commit_callbacks(execute=False):
            return memo_request(
                engagement=submitted.engagement, actor=advisor, commentary=commentary
            )

    return request


def state_of(engagement: Engagement) -> str:
    engagement.refresh_from_db()
    return engagement.state


def render(version: MemoVersion) -> MemoVersion:
    """Runs the render task as the worker would, as a plain function."""
    render_memo_version.run(version.pk)
    return MemoVersion.objects.get(pk=version.pk)


# --- M2: the newest version decides. -----------------------------------------------------------


def test_old_version_finishing_late_leaves_the_engagement_on_the_newest(
    renderer, request_memo, submitted
) -> None:
    engagement = submitted.engagement
    v1 = request_memo("First draft")
    v2 = request_memo("Second draft")
    assert render(v2).state == "ready"
    assert state_of(engagement) == Engagement.State.MEMO_READY
    assert render(v1).state == "ready"
    assert state_of(engagement) == Engagement.State.MEMO_READY


def test_old_failed_version_cannot_be_retried_once_replaced(
    renderer, request_memo, submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    engagement = submitted.engagement
    v1 = request_memo("First draft")
    renderer.broken = True
    assert render(v1).state == "failed"
    assert state_of(engagement) == Engagement.State.MEMO_FAILED
    renderer.broken = False
    v2 = request_memo("Second draft")
    render(v2)
    assert state_of(engagement) == Engagement.State.MEMO_READY

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(MemoError, match="replaced by v2"),
    ):
        memo_retry(version=v1, actor=advisor)
    assert callbacks == []
    v1.refresh_from_db()
    assert v1.state == "failed"
    assert state_of(engagement) == Engagement.State.MEMO_READY


def test_retrying_the_newest_failed_version_shows_it_rendering_then_ready(
    renderer, request_memo, submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    engagement = submitted.engagement
    renderer.broken = True
    v1 = render(request_memo())
    assert state_of(engagement) == Engagement.State.MEMO_FAILED
    renderer.broken = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        memo_retry(version=v1, actor=advisor)
    assert len(callbacks) == 1
    assert state_of(engagement) == Engagement.State.MEMO_RENDERING
    assert render(v1).state == "ready"
    assert state_of(engagement) == Engagement.State.MEMO_READY


def test_older_version_failing_after_a_newer_one_is_ready_changes_nothing(
    renderer, request_memo, submitted
) -> None:
    engagement = submitted.engagement
    v1 = request_memo("First draft")
    render(request_memo("Second draft"))
    renderer.broken = True
    assert render(v1).state == "failed"
    assert state_of(engagement) == Engagement.State.MEMO_READY


def test_older_version_given_up_by_the_sweep_after_sending_leaves_it_sent(
    renderer, request_memo, submitted, advisor, board_members, settings
) -> None:
    engagement = submitted.engagement
    stuck = request_memo("First draft")
    v2 = render(request_memo("Second draft"))
    memo_approve(version=v2, actor=advisor)
    memo_send(version=v2, people=board_members, actor=advisor)
    assert state_of(engagement) == Engagement.State.SENT

    MemoVersion.objects.filter(pk=stuck.pk).update(
        state="rendering",
        attempts=settings.MEMO_MAX_ATTEMPTS,
        render_started_at=timezone.now() - timedelta(hours=1),
    )
    memo_sweep()
    stuck.refresh_from_db()
    assert stuck.state == "failed"
    assert state_of(engagement) == Engagement.State.SENT


def test_only_the_newest_version_can_be_approved(
    renderer, request_memo, submitted, advisor
) -> None:
    engagement = submitted.engagement
    v1 = render(request_memo("First draft"))
    v2 = render(request_memo("Second draft"))
    with pytest.raises(MemoError, match="replaced by v2; only the newest version can be approved"):
        memo_approve(version=v1, actor=advisor)
    v1.refresh_from_db()
    assert not v1.is_approved
    assert state_of(engagement) == Engagement.State.MEMO_READY
    memo_approve(version=v2, actor=advisor)
    assert state_of(engagement) == Engagement.State.APPROVED


def test_an_approved_version_replaced_by_a_newer_one_cannot_be_sent(
    renderer, request_memo, submitted, advisor, board_members
) -> None:
    engagement = submitted.engagement
    v1 = memo_approve(version=render(request_memo("First draft")), actor=advisor)
    render(request_memo("Second draft"))
    assert state_of(engagement) == Engagement.State.MEMO_READY
    with pytest.raises(MemoError, match="replaced by v2; only the newest version can be sent"):
        memo_send(version=v1, people=board_members, actor=advisor)
    assert not Email.objects.exists() and not Delivery.objects.exists()
    assert state_of(engagement) == Engagement.State.MEMO_READY


def test_a_new_version_after_sending_shows_the_work_in_progress_until_it_is_sent(
    renderer, request_memo, submitted, advisor, board_members
) -> None:
    engagement = submitted.engagement
    v1 = memo_approve(version=render(request_memo("First draft")), actor=advisor)
    memo_send(version=v1, people=board_members, actor=advisor)
    assert state_of(engagement) == Engagement.State.SENT

    v2 = request_memo("Second draft")
    assert state_of(engagement) == Engagement.State.MEMO_RENDERING
    render(v2)
    assert state_of(engagement) == Engagement.State.MEMO_READY
    memo_approve(version=v2, actor=advisor)
    assert state_of(engagement) == Engagement.State.APPROVED
    memo_send(version=v2, people=board_members[:1], actor=advisor)
    assert state_of(engagement) == Engagement.State.SENT


def test_revoking_every_link_keeps_the_engagement_sent(
    renderer, request_memo, submitted, advisor, board_members
) -> None:
    v1 = memo_approve(version=render(request_memo()), actor=advisor)
    for delivery in memo_send(version=v1, people=board_members, actor=advisor).deliveries:
        delivery_revoke(delivery=delivery, actor=advisor)
    assert state_of(submitted.engagement) == Engagement.State.SENT


# --- L7: double submits. -------------------------------------------------------------------------


def test_requesting_twice_while_it_is_prepared_makes_one_version(
    renderer, submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    engagement = submitted.engagement
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = memo_request(engagement=engagement, actor=advisor, commentary="For the board")
        second = memo_request(engagement=engagement, actor=advisor, commentary=" For the board ")
    assert second.pk == first.pk and second.reused and not first.reused
    assert MemoVersion.objects.count() == 1
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="memo.requested").count() == 1

    # Different commentary is a different memo; and once v1 is done, asking again is new work.
    with django_capture_on_commit_callbacks(execute=False):
        other = memo_request(engagement=engagement, actor=advisor, commentary="Shorter")
    assert other.number == 2 and not other.reused
    render(other)
    with django_capture_on_commit_callbacks(execute=False):
        again = memo_request(engagement=engagement, actor=advisor, commentary="Shorter")
    assert again.number == 3 and not again.reused


def test_a_repeat_of_an_older_pending_request_comes_out_on_top(
    renderer, request_memo, submitted
) -> None:
    request_memo("First draft")
    request_memo("Second draft")
    third = request_memo("First draft")
    assert third.number == 3 and not third.reused
    assert state_of(submitted.engagement) == Engagement.State.MEMO_RENDERING


def test_revising_twice_while_it_is_prepared_makes_one_version(
    renderer, request_memo, advisor, django_capture_on_commit_callbacks
) -> None:
    v1 = render(request_memo("First draft"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = memo_revise(version=v1, actor=advisor, commentary="Better words")
        second = memo_revise(version=v1, actor=advisor, commentary="Better words")
    assert first.number == 2 and second.pk == first.pk and second.reused
    assert MemoVersion.objects.count() == 2 and len(callbacks) == 1


def test_sending_twice_emails_nobody_twice_and_says_who_was_skipped(
    renderer, request_memo, submitted, advisor, board_members
) -> None:
    bob, beth = board_members
    v1 = memo_approve(version=render(request_memo()), actor=advisor)
    first = memo_send(version=v1, people=[bob], actor=advisor)
    assert [d.person for d in first.deliveries] == [bob] and first.skipped == []

    second = memo_send(version=v1, people=[bob, beth], actor=advisor)
    assert [d.person for d in second.deliveries] == [beth]
    assert second.skipped == [bob]
    send_queued()
    assert sorted(m.to[0] for m in mail.outbox) == ["beth@acme.example", "bob@acme.example"]

    third = memo_send(version=v1, people=[bob, beth], actor=advisor)
    assert third.deliveries == [] and third.skipped == [bob, beth]
    assert send_queued() == [] and len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="memo.sent").count() == 2
    assert state_of(submitted.engagement) == Engagement.State.SENT


def test_a_board_member_whose_link_was_revoked_can_be_sent_a_new_one(
    renderer, request_memo, advisor, board_members
) -> None:
    bob = board_members[0]
    v1 = memo_approve(version=render(request_memo()), actor=advisor)
    (delivery,) = memo_send(version=v1, people=[bob], actor=advisor).deliveries
    delivery_revoke(delivery=delivery, actor=advisor)
    again = memo_send(version=v1, people=[bob], actor=advisor)
    assert len(again.deliveries) == 1 and again.skipped == []
    send_queued()
    # The first email, still waiting when its link was revoked, never went; the new one did.
    assert len(mail.outbox) == 1
    assert Email.objects.get(pk=delivery.email_id).state == Email.State.WITHDRAWN


# --- L8: a missing PDF. -------------------------------------------------------------------------


def test_sending_a_memo_whose_pdf_is_missing_is_refused_clearly(
    renderer, request_memo, submitted, advisor, board_members
) -> None:
    v1 = memo_approve(version=render(request_memo()), actor=advisor)
    default_storage.delete(v1.pdf.name)
    with pytest.raises(MemoError, match="PDF of memo v1 is missing"):
        memo_send(version=v1, people=board_members, actor=advisor)
    assert not Email.objects.exists() and not Delivery.objects.exists()
    assert state_of(submitted.engagement) == Engagement.State.APPROVED


# --- L2: the sweep judges rendering by when it started. ------------------------------------------


def test_sweep_judges_rendering_by_when_it_started_not_when_it_was_requested(
    request_memo,
) -> None:
    long_queued = request_memo("Waited for a worker")
    long_rendering = request_memo("Worker died")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    MemoVersion.objects.filter(pk=long_queued.pk).update(
        state="rendering", requested_at=an_hour_ago, render_started_at=timezone.now(), attempts=1
    )
    MemoVersion.objects.filter(pk=long_rendering.pk).update(
        state="rendering", requested_at=an_hour_ago, render_started_at=an_hour_ago, attempts=1
    )
    assert memo_sweep() == [long_rendering.pk]
    assert memo_sweep() == []  # republished: the next sweep waits again


def test_render_records_when_it_started(renderer, request_memo) -> None:
    before = timezone.now()
    version = render(request_memo())
    assert version.render_started_at is not None and version.render_started_at >= before


# --- M3: links of removed board members and archived engagements. --------------------------------


@pytest.fixture
def sent_link(renderer, request_memo, advisor, board_members) -> tuple[Delivery, str]:
    v1 = memo_approve(version=render(request_memo()), actor=advisor)
    (delivery,) = memo_send(version=v1, people=board_members[:1], actor=advisor).deliveries
    send_queued()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/m/" in line).strip()
    return delivery, link.rsplit("/m/", 1)[1].strip("/")


def test_link_of_a_removed_board_member_counts_as_withdrawn(sent_link) -> None:
    delivery, token = sent_link
    assert delivery_resolve(token).state == "usable"
    delivery.person.archived_at = timezone.now()
    delivery.person.save()
    assert delivery_resolve(token).state == "withdrawn"


def test_link_to_an_archived_engagement_counts_as_withdrawn(sent_link) -> None:
    delivery, token = sent_link
    Engagement.objects.filter(pk=delivery.memo_version.engagement_id).update(
        archived_at=timezone.now()
    )
    assert delivery_resolve(token).state == "withdrawn"
