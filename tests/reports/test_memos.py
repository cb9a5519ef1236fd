"""The memo services, called directly (tasks as plain functions, enqueuing via on_commit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from advisory.models import AuditEvent, Engagement, Person
from assessments.methodology import NEWEST as METHODOLOGY_VERSION
from assessments.methodology import answers_sha256
from assessments.questionnaire import QUESTIONNAIRE_VERSION
from assessments.services.answers import assessment_for, assessment_submit, perspective_for
from reports.models import Delivery, MemoVersion
from reports.services.delivery import delivery_resolve, memo_send
from reports.services.memos import (
    MemoError,
    memo_approve,
    memo_draft_prepare,
    memo_render,
    memo_request,
    memo_retry,
    memo_revise,
    memo_sweep,
)
from reports.tasks import render_memo_version
from tests.assessments.factories import perspective as perspective_answers
from tests.assessments.factories import valid_answers
from tests.assessments.helpers import answer_all, invite, invite_leader
from tests.conftest import ready_with_stand_in, send_queued, stored_files
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(submitted, advisor, memo_storage, django_capture_on_commit_callbacks) -> MemoVersion:
    with django_capture_on_commit_callbacks(execute=False):
        version = memo_request(engagement=submitted.engagement, actor=advisor, commentary="Hi")
    return memo_render(version_id=version.pk)


@pytest.fixture
def ready_unread(submitted, advisor, django_capture_on_commit_callbacks) -> MemoVersion:
    """Requested, then made ready with a one-page stand-in for its file, for the tests that
    never open it (the others render it, with each storage)."""
    with django_capture_on_commit_callbacks(execute=False):
        version = memo_request(engagement=submitted.engagement, actor=advisor, commentary="Hi")
    return ready_with_stand_in(version)


def test_request_needs_a_submitted_assessment(engagement, advisor) -> None:
    with pytest.raises(MemoError, match="not submitted"):
        memo_request(engagement=engagement, actor=advisor)
    assert not MemoVersion.objects.exists()


def test_request_snapshots_the_answers_and_enqueues_after_commit(
    submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    engagement = submitted.engagement
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = memo_request(engagement=engagement, actor=advisor, commentary="  Note  ")
    assert len(callbacks) == 1  # the task is published only once the request has committed
    assert version.number == 1 and version.state == "queued"
    assert version.answers == valid_answers()
    assert version.answers_sha256 == answers_sha256(valid_answers())
    assert version.methodology_version == METHODOLOGY_VERSION
    assert version.questionnaire_version == QUESTIONNAIRE_VERSION and version.template_version
    assert version.commentary == "Note"
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.MEMO_RENDERING
    assert AuditEvent.objects.filter(engagement=engagement, action="memo.requested").exists()
    with django_capture_on_commit_callbacks(execute=False):
        assert memo_request(engagement=engagement, actor=advisor).number == 2


def test_task_run_twice_leaves_one_file(ready) -> None:
    assert ready.state == "ready"
    render_memo_version.run(ready.pk)  # a second delivery of the same message
    render_memo_version.run(ready.pk)
    files = stored_files()
    assert len(files) == 1
    ready.refresh_from_db()
    assert files == [f"memos/{ready.engagement_id}/v1-{ready.answers_sha256[:12]}.pdf"]
    assert ready.pdf.name == files[0]
    with default_storage.open(files[0]) as handle:
        assert handle.read().startswith(b"%PDF")
    assert ready.attempts == 1
    assert ready.page_count and ready.page_count <= 8
    assert ready.size_bytes == default_storage.size(files[0])
    assert len(ready.pdf_sha256) == 64 and ready.render_ms > 0
    assert ready.engagement.state == Engagement.State.MEMO_READY


def test_task_for_a_deleted_version_returns_quietly(db) -> None:
    render_memo_version.run(987654)


def test_failing_template_fails_at_once_with_a_plain_reason(
    submitted, advisor, memo_storage, settings, tmp_path, django_capture_on_commit_callbacks, caplog
) -> None:
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "broken_memo.html").write_text(
        '{% extends "reports/pdf/base.html" %}{% block content %}{% no_such_tag %}'
        "{% endblock content %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], broken]}
    ]
    settings.MEMO_TEMPLATE = "broken_memo.html"
    with django_capture_on_commit_callbacks(execute=False):
        version = memo_request(engagement=submitted.engagement, actor=advisor)
    with caplog.at_level("ERROR", logger="reports.tasks"):
        render_memo_version.run(version.pk)
    version.refresh_from_db()
    assert version.state == "failed"
    # The advisor reads what to do; the technical detail is in the worker's log only.
    assert "fault in the memo template" in version.failure_reason
    assert "TemplateSyntaxError" not in version.failure_reason
    assert "no_such_tag" in caplog.text
    assert version.attempts == 1
    assert stored_files() == []
    engagement = version.engagement
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.MEMO_FAILED
    assert AuditEvent.objects.filter(engagement=engagement, action="memo.failed").exists()

    # Fixed: retry queues it again and it renders.
    settings.MEMO_TEMPLATE = "reports/pdf/memo.html"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        memo_retry(version=version, actor=advisor)
    assert len(callbacks) == 1
    render_memo_version.run(version.pk)
    version.refresh_from_db()
    assert version.state == "ready" and version.failure_reason == ""


def test_transient_error_is_raised_for_retry_and_leaves_no_file(
    submitted, advisor, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    blocked = tmp_path / "media"
    blocked.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocked
    with django_capture_on_commit_callbacks(execute=False):
        version = memo_request(engagement=submitted.engagement, actor=advisor)
    with pytest.raises(OSError):
        memo_render(version_id=version.pk)
    version.refresh_from_db()
    assert version.state == "rendering" and version.failure_reason == ""
    # The task retries these errors with backoff instead of failing the memo.
    assert OSError in render_memo_version.autoretry_for
    assert render_memo_version.retry_backoff


def test_sweep_republishes_only_stranded_versions(
    submitted, advisor, settings, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        fresh = memo_request(engagement=submitted.engagement, actor=advisor, commentary="a")
        stale = memo_request(engagement=submitted.engagement, actor=advisor, commentary="b")
        stuck = memo_request(engagement=submitted.engagement, actor=advisor, commentary="c")
    old = timezone.now() - timedelta(minutes=2)
    MemoVersion.objects.filter(pk=stale.pk).update(requested_at=old)
    MemoVersion.objects.filter(pk=stuck.pk).update(
        state="rendering", requested_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    assert sorted(memo_sweep()) == sorted([stale.pk, stuck.pk])
    # Published again, so the next sweep waits before doing it a second time.
    assert memo_sweep() == []
    fresh.refresh_from_db()
    assert fresh.state == "queued"


def test_sweep_gives_up_after_too_many_attempts(
    submitted, advisor, settings, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        version = memo_request(engagement=submitted.engagement, actor=advisor)
    MemoVersion.objects.filter(pk=version.pk).update(
        state="rendering",
        attempts=settings.MEMO_MAX_ATTEMPTS,
        requested_at=timezone.now() - timedelta(hours=1),
    )
    assert memo_sweep() == []
    version.refresh_from_db()
    assert version.state == "failed" and "Gave up" in version.failure_reason


def test_approved_version_is_immutable_and_new_commentary_makes_a_new_version(
    ready_unread, advisor, django_capture_on_commit_callbacks
) -> None:
    approved = memo_approve(version=ready_unread, actor=advisor)
    assert approved.is_approved
    assert approved.engagement.state == Engagement.State.APPROVED
    with pytest.raises(MemoError):
        memo_approve(version=approved, actor=advisor)
    with django_capture_on_commit_callbacks(execute=False):
        new = memo_revise(version=approved, actor=advisor, commentary="Better words")
    assert new.number == 2 and new.commentary == "Better words"
    assert new.answers == approved.answers and new.answers_sha256 == approved.answers_sha256
    approved.refresh_from_db()
    assert approved.commentary == "Hi" and approved.is_approved and approved.state == "ready"


def test_only_ready_versions_can_be_approved(
    submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        version = memo_request(engagement=submitted.engagement, actor=advisor)
    with pytest.raises(MemoError):
        memo_approve(version=version, actor=advisor)


def test_send_emails_each_board_member_a_personal_link_and_their_own_copy(
    ready, advisor, board_members
) -> None:
    firm = ready.engagement.firm
    firm.attach_memo = True  # off by default; on, each email carries the director's own copy
    firm.save()
    with pytest.raises(MemoError, match="approved"):
        memo_send(version=ready, people=board_members, actor=advisor)
    memo_approve(version=ready, actor=advisor)
    deliveries = memo_send(version=ready, people=board_members, actor=advisor).deliveries
    assert not mail.outbox  # recorded in the outbox; sent by the worker after commit
    send_queued()

    assert len(deliveries) == 2 and len(mail.outbox) == 2
    for delivery, message in zip(deliveries, mail.outbox, strict=True):
        assert message.to == [delivery.person.email]
        ((name, content, mimetype),) = message.attachments
        assert mimetype == "application/pdf" and content.startswith(b"%PDF")
        assert name == "board-memo-Acme-Logistics-v1.pdf"
        assert f"Prepared for {delivery.person.name}" in pdf_text(content)
        link = next(line for line in message.body.splitlines() if "/m/" in line).strip()
        token = link.rsplit("/m/", 1)[1].strip("/")
        assert token not in delivery.token_hash  # only the hash is stored
        assert delivery_resolve(token).delivery == delivery
        assert delivery.expires_at > timezone.now() + timedelta(days=1)
    engagement = ready.engagement
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.SENT
    assert AuditEvent.objects.filter(engagement=engagement, action="memo.sent").exists()


def test_send_refuses_anyone_but_the_clients_board_and_ceo(
    ready_unread, advisor, ceo, board_members, other_firm
) -> None:
    memo_approve(version=ready_unread, actor=advisor)
    cto = Person.objects.create(
        client=ready_unread.engagement.client, name="Tao", email="tao@acme.example", role="cto"
    )
    with pytest.raises(MemoError, match="board members and the CEO"):
        memo_send(version=ready_unread, people=[cto], actor=advisor)
    from advisory.models import Client

    elsewhere = Client.objects.create(firm=ready_unread.engagement.firm, name="Other Co")
    stranger = Person.objects.create(
        client=elsewhere, name="Sam", email="sam@other.example", role=Person.Role.BOARD
    )
    with pytest.raises(MemoError, match="board members"):
        memo_send(version=ready_unread, people=[board_members[0], stranger], actor=advisor)
    assert not Delivery.objects.exists() and mail.outbox == []


# --- A draft as soon as the answers are in. -------------------------------------------------


def submit_as_ceo(engagement, ceo, advisor, callbacks_fixture):
    invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers())
    with callbacks_fixture(execute=False) as callbacks:
        assert assessment_submit(assessment=assessment) == []
    return callbacks


def test_the_ceos_submission_publishes_a_draft_memo_after_commit(
    engagement, ceo, advisor, django_capture_on_commit_callbacks
):
    callbacks = submit_as_ceo(engagement, ceo, advisor, django_capture_on_commit_callbacks)
    assert any("_draft_memo_on_commit" in c.__qualname__ for c in callbacks)


def test_the_draft_is_made_once_from_the_submitted_answers(
    engagement, ceo, advisor, django_capture_on_commit_callbacks
):
    assert memo_draft_prepare(engagement_id=engagement.pk) is None  # nothing submitted yet
    submit_as_ceo(engagement, ceo, advisor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as render:
        draft = memo_draft_prepare(engagement_id=engagement.pk)
    assert draft.number == 1 and draft.state == MemoVersion.State.QUEUED
    assert draft.requested_by is None and len(render) == 1  # the render, after commit
    event = AuditEvent.objects.get(action="memo.drafted")
    assert event.who == "The app" and "draft memo v1" in event.summary
    assert memo_draft_prepare(engagement_id=engagement.pk) is None  # the same answers


def test_a_later_perspective_makes_a_new_draft_with_the_advisors_words(
    engagement, ceo, advisor, client_org, django_capture_on_commit_callbacks
):
    submit_as_ceo(engagement, ceo, advisor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        memo_request(engagement=engagement, actor=advisor, commentary="Our view.")
        cto = Person.objects.create(
            client=client_org, name="Tao", email="tao@x.example", role=Person.Role.CTO
        )
        invite_leader(engagement, cto, advisor)
        view = perspective_for(engagement, cto)
        answer_all(view, perspective_answers("cto")["answers"])
        assert assessment_submit(assessment=view) == []
        draft = memo_draft_prepare(engagement_id=engagement.pk)
    assert draft.number == 2 and draft.commentary == "Our view."
    assert [p["role"] for p in draft.answers["perspectives"]] == ["cto"]
