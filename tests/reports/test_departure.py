"""The advisor's judgement: departing from the method's recommendation, with a reason the
memo prints beside the method's result, recorded in the version and the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisory.models import AuditEvent
from assessments.presenter import Departure
from reports.models import MemoVersion
from reports.services.memos import (
    DepartureNotConfirmed,
    MemoError,
    memo_approve,
    memo_request,
    memo_revise,
)

pytestmark = pytest.mark.django_db

# valid_answers() scores fractional_caio / cto_then_ceo / medium.
REASON = "The board wants a permanent owner for AI before the new product line launches."


def request(engagement, advisor, callbacks, **kwargs) -> MemoVersion:
    with callbacks(execute=False):
        return memo_request(engagement=engagement, actor=advisor, **kwargs)


def test_a_departure_is_recorded_in_the_version_and_the_audit_trail(
    submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    version = request(
        submitted.engagement,
        advisor,
        django_capture_on_commit_callbacks,
        departure=Departure("full_time_caio", "ceo", REASON),
    )
    assert (version.advisor_recommendation, version.advisor_reporting_line) == (
        "full_time_caio",
        "ceo",
    )
    assert version.departure_reason == REASON and version.departs
    event = AuditEvent.objects.get(action="memo.requested")
    assert "departing from the method's result (fractional_caio / cto_then_ceo)" in event.summary
    assert "full_time_caio / ceo" in event.summary and REASON in event.summary


def test_choosing_the_methods_own_result_is_no_departure(
    submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    version = request(
        submitted.engagement,
        advisor,
        django_capture_on_commit_callbacks,
        departure=Departure("fractional_caio", "cto_then_ceo", ""),
    )
    assert not version.departs and version.departure_reason == ""


@pytest.mark.parametrize(
    ("departure", "message"),
    [
        (Departure("full_time_caio", "none", REASON), "go together"),
        (Departure("single_seat", "ceo", REASON), "go together"),
        (Departure("nonsense", "ceo", REASON), "go together"),
        (Departure("full_time_caio", "ceo", "Because."), "at least one full sentence"),
        (Departure("full_time_caio", "ceo", ""), "at least one full sentence"),
    ],
)
def test_a_departure_that_does_not_hold_together_is_refused(
    submitted, advisor, django_capture_on_commit_callbacks, departure, message
) -> None:
    with pytest.raises(MemoError, match=message):
        request(
            submitted.engagement, advisor, django_capture_on_commit_callbacks, departure=departure
        )
    assert not MemoVersion.objects.exists()


def test_approving_a_departing_version_needs_a_second_confirmation(
    advisor_http, version, advisor
) -> None:
    MemoVersion.objects.filter(pk=version.pk).update(
        advisor_recommendation="full_time_caio",
        advisor_reporting_line="ceo",
        departure_reason=REASON,
    )
    version.refresh_from_db()
    with pytest.raises(DepartureNotConfirmed):
        memo_approve(version=version, actor=advisor)

    url = reverse("memo_approve", args=[version.pk])
    first = advisor_http.post(url)
    assert first.status_code == 200
    page = first.content.decode()
    assert "This memo departs from the method's result" in page
    assert REASON in page and 'name="confirm_departure" value="yes"' in page
    version.refresh_from_db()
    assert not version.is_approved

    advisor_http.post(url, {"confirm_departure": "yes"})
    version.refresh_from_db()
    assert version.is_approved
    event = AuditEvent.objects.get(action="memo.approved")
    assert "departs from the method's result" in event.summary


def test_a_version_that_follows_the_method_is_approved_at_once(advisor_http, version) -> None:
    advisor_http.post(reverse("memo_approve", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_approved


def test_the_engagement_page_form_keeps_everything_typed_on_an_error(
    advisor_http, submitted
) -> None:
    engagement = submitted.engagement
    response = advisor_http.post(
        reverse("memo_request", args=[engagement.pk]),
        {"commentary": "Our view.", "recommendation": "full_time_caio", "reason": "Too short."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least one full sentence" in page
    # The reason's box is marked for screen readers and points at its message.
    assert 'aria-invalid="true" aria-describedby="id_reason_helptext id_reason_error"' in page
    assert 'id="id_reason_error"' in page
    assert "Our view." in page and "Too short." in page
    assert 'value="full_time_caio" selected' in page
    assert not MemoVersion.objects.exists()

    done = advisor_http.post(
        reverse("memo_request", args=[engagement.pk]),
        {"commentary": "Our view.", "recommendation": "full_time_caio", "reason": REASON},
    )
    assert done.status_code == 302
    version = MemoVersion.objects.get()
    # The method said "to the CTO at first"; the advisor kept that line with a full-time seat.
    assert (version.advisor_recommendation, version.advisor_reporting_line) == (
        "full_time_caio",
        "cto_then_ceo",
    )


def test_editing_a_version_starts_from_its_judgement_and_can_drop_it(
    advisor_http, submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    v1 = request(
        submitted.engagement,
        advisor,
        django_capture_on_commit_callbacks,
        departure=Departure("full_time_caio", "ceo", REASON),
    )
    page = advisor_http.get(reverse("memo_revise", args=[v1.pk])).content.decode()
    assert REASON in page and 'value="full_time_caio" selected' in page
    with django_capture_on_commit_callbacks(execute=False):
        v2 = memo_revise(version=v1, actor=advisor, commentary="Back to the method.")
    assert not v2.departs and v2.answers == v1.answers


def test_the_results_page_shows_a_departing_memo(
    advisor_http, submitted, advisor, django_capture_on_commit_callbacks
) -> None:
    engagement = submitted.engagement
    request(
        engagement,
        advisor,
        django_capture_on_commit_callbacks,
        departure=Departure("full_time_caio", "ceo", REASON),
    )
    page = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()
    assert "Memo v1 departs from the method's result." in page
    assert "a full-time Chief AI Officer (reports to the CEO)" in page
    assert REASON in page
