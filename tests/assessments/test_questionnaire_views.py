from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from advisory.models import AuditEvent, Engagement
from assessments.forms import field_name
from assessments.models import Answer, Assessment, Invitation
from assessments.questionnaire import QUESTIONS, REQUIRED_CODES, SECTIONS
from assessments.services.answers import (
    AssessmentLocked,
    answer_save,
    assessment_answers,
    assessment_for,
    assessment_submit,
)
from assessments.services.invitations import invitation_resolve, invitation_revoke
from tests.assessments.factories import valid_answers
from tests.assessments.helpers import answer_all, invite, step_post
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_cache()


@pytest.fixture
def token(engagement, ceo, advisor) -> str:
    return invite(engagement, ceo, advisor)


@pytest.fixture
def assessment(engagement, token) -> Assessment:
    return assessment_for(engagement)


def autosave(client, token: str, code: str, *values: str):
    return client.post(
        reverse("questionnaire_autosave", args=[token]),
        {"field": field_name(code), "value": list(values)},
    )


# --- Saving answers --------------------------------------------------------------------------


def test_autosave_stores_a_typed_value_from_what_was_typed(client, token, assessment):
    response = autosave(client, token, "profile.ai_spend_usd", "6,200,000")

    assert response.status_code == 200
    assert response.json()["ok"] is True
    answer = Answer.objects.get(code="profile.ai_spend_usd")
    assert answer.value == 6_200_000
    assert answer.raw == "6,200,000"
    assert answer.error == ""


def test_autosave_keeps_an_invalid_value_with_its_error(client, token, assessment):
    response = autosave(client, token, "profile.employees", "about forty")

    data = response.json()
    assert data["ok"] is False
    assert "whole number" in data["error"]
    answer = Answer.objects.get(code="profile.employees")
    assert answer.value is None
    assert answer.raw == "about forty"
    assert "profile.employees" not in assessment_answers(assessment)


def test_invalid_value_is_shown_back_in_its_field_with_the_error(client, token, assessment):
    autosave(client, token, "profile.employees", "about forty")

    page = client.get(reverse("questionnaire_step", args=[token, "profile"]))
    html = page.content.decode()

    assert 'value="about forty"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="error-summary"' in html
    assert "as a whole number" in html
    assert f"id_{field_name('profile.employees')}_error" in html


def test_autosave_of_a_list_answer_none_of_these_and_unticking_all(client, token, assessment):
    autosave(client, token, "profile.ai_functions", "sales", "finance")
    assert Answer.objects.get(code="profile.ai_functions").value == ["sales", "finance"]

    autosave(client, token, "profile.ai_functions", "")  # "None of these"
    assert Answer.objects.get(code="profile.ai_functions").value == []

    autosave(client, token, "profile.ai_functions")  # every box unticked: not answered
    assert not Answer.objects.filter(code="profile.ai_functions").exists()


def test_step_post_leaves_an_untouched_list_question_unanswered(client, token, assessment):
    client.post(
        reverse("questionnaire_step", args=[token, "profile"]),
        {"action": "next", field_name("profile.employees"): "80"},
    )
    assert assessment_answers(assessment) == {"profile.employees": 80}

    client.post(
        reverse("questionnaire_step", args=[token, "profile"]),
        {"action": "next", field_name("profile.ai_functions"): ""},
    )
    assert assessment_answers(assessment)["profile.ai_functions"] == []
    page = client.get(reverse("questionnaire_step", args=[token, "profile"])).content.decode()
    assert "None of these" in page


def test_first_answer_moves_the_engagement_into_progress(client, token, engagement, assessment):
    autosave(client, token, "profile.employees", "250")

    engagement.refresh_from_db()
    assessment.refresh_from_db()
    assert engagement.state == Engagement.State.IN_PROGRESS
    assert assessment.answered_count == 1
    assert assessment.last_activity_at is not None
    assert AuditEvent.objects.filter(action="assessment.started").count() == 1


def test_progress_counts_only_valid_required_answers(client, token, assessment):
    autosave(client, token, "profile.employees", "250")
    autosave(client, token, "profile.products", "two")
    response = autosave(client, token, "context.concerns", "Board wants clarity")

    assessment.refresh_from_db()
    assert assessment.answered_count == 1
    assert response.json()["progress"] == round(100 / len(REQUIRED_CODES))


def test_autosave_refuses_an_unknown_question(client, token, assessment):
    response = client.post(
        reverse("questionnaire_autosave", args=[token]), {"field": "profile-salary", "value": "1"}
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_different_questions_at_once_both_keep_their_answers(
    engagement, ceo, advisor
):
    token = invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def tab(code: str, raw: str) -> None:
        try:
            barrier.wait(timeout=5)
            answer_save(assessment=Assessment.objects.get(pk=assessment.pk), code=code, raw=raw)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=tab, args=("profile.employees", "250")),
        threading.Thread(target=tab, args=("profile.products", "3")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert assessment_answers(assessment) == {"profile.employees": 250, "profile.products": 3}
    assessment.refresh_from_db()
    assert assessment.answered_count == 2
    assert token


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_saves_through_http_keep_every_answer(engagement, ceo, advisor):
    from django.test import Client

    token = invite(engagement, ceo, advisor)
    assessment_for(engagement)
    answers = valid_answers()
    codes = [
        c
        for c in (
            "profile.employees",
            "profile.products",
            "profile.ai_headcount",
            "profile.ai_use_cases",
            "profile.engineering_headcount",
        )
    ]
    barrier = threading.Barrier(len(codes))
    statuses: list[int] = []

    def tab(code: str) -> None:
        try:
            barrier.wait(timeout=5)
            statuses.append(autosave(Client(), token, code, str(answers[code])).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * len(codes)
    stored = assessment_answers(Assessment.objects.get(engagement=engagement))
    assert stored == {code: answers[code] for code in codes}


# --- The plain form (no JavaScript) ---------------------------------------------------------


def test_step_post_saves_the_whole_step_and_moves_on(client, token, assessment):
    answers = valid_answers()
    codes = [q.code for q in SECTIONS[0].questions]

    response = client.post(
        reverse("questionnaire_step", args=[token, "profile"]), step_post(answers, codes)
    )

    assert response.status_code == 302
    assert response.url == reverse("questionnaire_step", args=[token, SECTIONS[1].key])
    stored = assessment_answers(assessment)
    assert {code: stored[code] for code in codes} == {code: answers[code] for code in codes}


def test_step_post_with_an_error_stays_on_the_step(client, token, assessment):
    data = {"action": "next", field_name("profile.employees"): "-3"}

    response = client.post(reverse("questionnaire_step", args=[token, "profile"]), data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("questionnaire_step", args=[token, "profile"]))
    page = client.get(response.url).content.decode()
    assert 'value="-3"' in page
    assert "The number of employees cannot be negative." in page


def test_step_post_leaves_unchosen_radios_alone(client, token, assessment):
    autosave(client, token, "profile.ai_role", "core")

    client.post(
        reverse("questionnaire_step", args=[token, "profile"]),
        {"action": "next", field_name("profile.employees"): "80"},
    )

    assert assessment_answers(assessment)["profile.ai_role"] == "core"


def test_back_goes_to_the_previous_step(client, token, assessment):
    response = client.post(
        reverse("questionnaire_step", args=[token, "leadership"]), {"action": "back"}
    )
    assert response.url == reverse("questionnaire_step", args=[token, "profile"])


def test_every_step_renders_its_questions_from_the_definition(client, token, assessment):
    for number, section in enumerate(SECTIONS, start=1):
        page = client.get(reverse("questionnaire_step", args=[token, section.key]))
        html = page.content.decode()
        assert page.status_code == 200
        assert f"Step {number} of {len(SECTIONS)}" in html
        for question in section.questions:
            assert f'name="{field_name(question.code)}"' in html


def test_numbers_use_a_numeric_keyboard_and_dimensions_show_both_poles(client, token, assessment):
    profile = client.get(reverse("questionnaire_step", args=[token, "profile"])).content.decode()
    assert 'inputmode="numeric"' in profile

    dims = client.get(reverse("questionnaire_step", args=[token, "dimensions"])).content.decode()
    from assessments.questionnaire import DIMENSIONS

    for dimension in DIMENSIONS:
        assert escape(dimension.cto_pole) in dims
        assert escape(dimension.caio_pole) in dims
    assert "In 24 months" in dims


# --- Review and submit -----------------------------------------------------------------------


def test_submit_is_refused_with_the_missing_questions_listed(client, token, assessment):
    answers = valid_answers()
    missing = ["profile.employees", "overlap.ai_security"]
    answer_all(assessment, {k: v for k, v in answers.items() if k not in missing})

    response = client.post(reverse("questionnaire_review", args=[token]))

    assert response.status_code == 400
    html = response.content.decode()
    for code in missing:
        assert QUESTIONS[code].label in html
    assessment.refresh_from_db()
    assert assessment.submitted_at is None
    assert [p.code for p in assessment_submit(assessment=assessment)] == missing


def test_submit_is_refused_while_an_invalid_optional_answer_waits(client, token, assessment):
    answer_all(assessment, {k: v for k, v in valid_answers().items() if k != "context.concerns"})
    answer_save(assessment=assessment, code="context.concerns", raw="x" * 5001)

    problems = assessment_submit(assessment=assessment)

    assert [p.code for p in problems] == ["context.concerns"]
    assert (
        "5,000 characters"
        in client.get(reverse("questionnaire_review", args=[token])).content.decode()
    )


def test_submit_locks_the_answers(client, token, engagement, assessment):
    answers = valid_answers()
    answer_all(assessment, answers)

    response = client.post(reverse("questionnaire_review", args=[token]))

    assert response.status_code == 302
    assessment.refresh_from_db()
    engagement.refresh_from_db()
    assert assessment.submitted_at is not None
    assert engagement.state == Engagement.State.SUBMITTED
    assert assessment_answers(assessment) == answers

    # Posting after submission changes nothing, by autosave or by form.
    locked = autosave(client, token, "profile.employees", "9999")
    assert locked.status_code == 409
    client.post(
        reverse("questionnaire_step", args=[token, "profile"]),
        {"action": "next", field_name("profile.employees"): "9999"},
    )
    with pytest.raises(AssessmentLocked):
        answer_save(assessment=assessment, code="profile.employees", raw="9999")
    assert assessment_answers(assessment) == answers


def test_after_submission_the_link_shows_the_confirmation_not_the_form(client, token, assessment):
    answer_all(assessment, valid_answers())
    assessment_submit(assessment=assessment)

    welcome = client.get(reverse("questionnaire_welcome", args=[token]))
    assert "Thank you" in welcome.content.decode()
    assert "<form" not in welcome.content.decode()
    step = client.get(reverse("questionnaire_step", args=[token, "profile"]))
    assert step.status_code == 302
    assert step.url == reverse("questionnaire_welcome", args=[token])
    review = client.get(reverse("questionnaire_review", args=[token]))
    assert review.url == reverse("questionnaire_welcome", args=[token])


def test_review_lists_every_answer_with_a_link_to_change_it(client, token, assessment):
    answer_all(assessment, valid_answers())

    html = client.get(reverse("questionnaire_review", args=[token])).content.decode()

    assert "$1.2M" in html
    for section in SECTIONS:
        assert reverse("questionnaire_step", args=[token, section.key]) in html


# --- Bad links -------------------------------------------------------------------------------


CEO_URLS = [
    ("get", "questionnaire_welcome", ()),
    ("get", "questionnaire_step", ("profile",)),
    ("post", "questionnaire_step", ("profile",)),
    ("post", "questionnaire_autosave", ()),
    ("get", "questionnaire_review", ()),
    ("post", "questionnaire_review", ()),
]


@pytest.mark.parametrize(("method", "name", "extra"), CEO_URLS)
def test_a_tampered_token_gets_a_friendly_404(client, token, assessment, method, name, extra):
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    data = {"field": field_name("profile.employees"), "value": "5"} if method == "post" else None

    response = getattr(client, method)(reverse(name, args=[tampered, *extra]), data)

    assert response.status_code == 404
    assert "ask your advisor for a new link" in response.content.decode().lower()
    assert "Acme" not in response.content.decode()
    assert not Answer.objects.exists()


def test_an_expired_link_gets_410_and_saves_nothing(client, token, assessment):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    page = client.get(reverse("questionnaire_welcome", args=[token]))
    save = autosave(client, token, "profile.employees", "5")

    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert "Acme" not in page.content.decode()
    assert save.status_code == 410
    assert not Answer.objects.exists()


def test_a_revoked_link_gets_410(client, token, assessment, advisor):
    invitation_revoke(invitation=invitation_resolve(token), actor=advisor)

    page = client.get(reverse("questionnaire_step", args=[token, "profile"]))

    assert page.status_code == 410
    assert "new link" in page.content.decode()


def test_answers_survive_a_new_link(client, engagement, ceo, advisor, token, assessment):
    autosave(client, token, "profile.employees", "250")
    new_token = invite(engagement, ceo, advisor)

    page = client.get(reverse("questionnaire_step", args=[new_token, "profile"])).content.decode()

    assert 'value="250"' in page


def test_token_pages_are_rate_limited(client, token, assessment, settings):
    settings.QUESTIONNAIRE_RATE_PER_LINK = "3/m"
    url = reverse("questionnaire_welcome", args=[token])

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_token_pages_are_rate_limited_per_address_across_links(
    client, engagement, ceo, advisor, settings
):
    settings.QUESTIONNAIRE_RATE_PER_IP = "2/m"
    real = invite(engagement, ceo, advisor)
    guesses = [reverse("questionnaire_welcome", args=[f"guess-{n}"]) for n in range(2)]

    statuses = [client.get(url).status_code for url in guesses]
    statuses.append(client.get(reverse("questionnaire_welcome", args=[real])).status_code)

    assert statuses == [404, 404, 429]


def test_a_stale_tab_posting_its_step_keeps_what_another_tab_saved(client, token, assessment):
    import re
    from html import unescape

    autosave(client, token, "profile.employees", "100")
    autosave(client, token, "profile.ai_role", "feature")
    # Tab A draws the step; tab B then changes two answers on it.
    page = client.get(reverse("questionnaire_step", args=[token, "profile"])).content.decode()
    shown = unescape(re.search(r'name="shown" value="([^"]*)"', page).group(1))
    autosave(client, token, "profile.employees", "200")
    autosave(client, token, "profile.ai_role", "core")

    # Tab A posts its step as drawn, with one new answer of its own.
    client.post(
        reverse("questionnaire_step", args=[token, "profile"]),
        {
            "action": "next",
            "shown": shown,
            field_name("profile.employees"): "100",
            field_name("profile.ai_role"): "feature",
            field_name("profile.products"): "3",
        },
    )

    stored = assessment_answers(assessment)
    assert stored["profile.employees"] == 200
    assert stored["profile.ai_role"] == "core"
    assert stored["profile.products"] == 3


# --- Queries per request (issue 15: the figures are in bench/web.py; the counts are held here) --


def _queries(action) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = action()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def no_rate_limits(settings) -> None:
    """The page's own queries only: without Redis (``make test-fast``) the rate limits count
    in the database cache, as they do not in production (and do not in bench/web.py)."""
    settings.RATELIMIT_ENABLE = False


def test_autosave_costs_at_most_six_queries_however_many_answers_there_are(
    client, token, assessment, no_rate_limits
):
    autosave(client, token, "profile.employees", "320")
    few = _queries(lambda: autosave(client, token, "profile.employees", "400"))
    answer_all(assessment, valid_answers())
    many = _queries(lambda: autosave(client, token, "profile.employees", "450"))

    assert few <= 6
    assert many == few
    assert assessment_answers(assessment)["profile.employees"] == 450


def test_a_step_page_reads_the_same_few_rows_however_many_answers_there_are(
    client, token, assessment, no_rate_limits
):
    url = reverse("questionnaire_step", args=[token, "dimensions"])
    client.get(url)  # the first open of the minute records it
    few = _queries(lambda: client.get(url))
    answer_all(assessment, valid_answers())
    many = _queries(lambda: client.get(url))

    assert few == many <= 3


def test_the_answered_count_follows_every_kind_of_change(client, token, assessment):
    """The count is kept from the answers read under the lock, not counted again: it must
    match a fresh count after answering, correcting, breaking and clearing answers."""
    autosave(client, token, "profile.employees", "320")
    autosave(client, token, "profile.ai_functions", "sales", "support")
    autosave(client, token, "profile.employees", "lots")
    autosave(client, token, "profile.ai_functions")
    autosave(client, token, "leadership.ai_leader", "none")
    autosave(client, token, "profile.products", "3")

    assessment.refresh_from_db()
    counted = Answer.objects.filter(
        assessment=assessment, code__in=REQUIRED_CODES, value__isnull=False
    ).count()
    assert assessment.answered_count == counted
    assert {"profile.products", "leadership.ai_leader"} <= set(
        Answer.objects.filter(assessment=assessment, value__isnull=False).values_list(
            "code", flat=True
        )
    )


def test_the_count_stays_true_when_two_requests_began_with_the_same_count(token, assessment):
    """Two saves of different questions, each request holding the assessment as it was when
    it began: the second, made after the first had moved the count, still leaves it true."""
    answer_save(assessment=assessment, code="profile.products", raw="3")
    first = Assessment.objects.get(pk=assessment.pk)
    second = Assessment.objects.get(pk=assessment.pk)

    answer_save(assessment=first, code="profile.employees", raw="320")
    answer_save(assessment=second, code="profile.products", raw="three")

    stored = Assessment.objects.get(pk=assessment.pk)
    counted = Answer.objects.filter(
        assessment=assessment, code__in=REQUIRED_CODES, value__isnull=False
    ).count()
    assert stored.answered_count == counted == 1
