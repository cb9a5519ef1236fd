"""Soft checks on unlikely answers: stated once (assessments/plausibility.py), shown beside
the question and on the review page, confirmable, never a reason to refuse the answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisory.models import AuditEvent
from assessments.forms import field_name
from assessments.plausibility import CHECKS, CHECKS_BY_KEY, findings, open_findings
from assessments.questionnaire import (
    CEO_QUESTIONNAIRE,
    DIMENSION_KEYS,
    PERSPECTIVE_QUESTIONNAIRE,
)
from assessments.services.answers import (
    assessment_findings,
    assessment_for,
    assessment_submit,
    finding_confirm,
)
from tests.assessments.factories import dimensions, valid_answers
from tests.assessments.helpers import answer_all, invite
from tests.conftest import clear_cache

UNLIKELY: dict[str, dict[str, object]] = {
    "engineers_above_employees": {
        "profile.employees": 320,
        "profile.engineering_headcount": 5000,
    },
    "ai_people_above_employees": {"profile.employees": 40, "profile.ai_headcount": 60},
    "ai_spend_very_small": {"profile.ai_spend_usd": 750},
    "ai_spend_above_company": {"profile.employees": 320, "profile.ai_spend_usd": 1_200_000_000},
    "people_on_ai_without_spend": {"profile.ai_spend_usd": 0, "profile.ai_headcount": 24},
    "ai_leader_owns_results_without_ai_leader": {
        "leadership.ai_leader": "none",
        "leadership.ai_leader_reports_to": "none",
        "accountability.outcomes_owner": "ai_leader",
    },
    "ai_leader_settles_without_ai_leader": {
        "leadership.ai_leader": "none",
        "leadership.ai_leader_reports_to": "none",
        "accountability.conflict_resolver": "ai_leader",
    },
    "dimensions_all_alike": dimensions(3, 3),
}

MESSAGES = {
    "engineers_above_employees": "5,000 people in engineering, in a company of 320 employees. "
    "If contractors make up the difference, the answer can stand.",
    "ai_people_above_employees": "60 people working on AI, in a company of 40 employees.",
    "ai_spend_very_small": "$750 a year on AI. If you meant $750K, write $750K or 750,000.",
    "ai_spend_above_company": "$1.2B a year on AI is more than $1M for each of the 320 employees.",
    "people_on_ai_without_spend": "No spend on AI, while 24 people work on it. The spend "
    "includes the cost of their time.",
    "ai_leader_owns_results_without_ai_leader": "Our AI leader answers for AI results here, "
    "but the leadership step says there is no dedicated AI leader.",
    "ai_leader_settles_without_ai_leader": "Our AI leader settles conflicts here, but the "
    "leadership step says there is no dedicated AI leader.",
    "dimensions_all_alike": "Every dimension is at 3, today and in 24 months, so nothing would "
    "change. If the company has to move on some of them, place those again.",
}


def test_every_check_is_exercised_here():
    assert set(UNLIKELY) == set(CHECKS_BY_KEY) == set(MESSAGES)


@pytest.mark.parametrize("key", list(UNLIKELY))
def test_each_check_holds_for_unlikely_answers_with_its_message(key: str) -> None:
    answers = valid_answers(UNLIKELY[key])
    found = {f.key: f for f in findings(answers, CEO_QUESTIONNAIRE, {})}
    assert key in found
    assert found[key].message == MESSAGES[key]
    assert found[key].confirmed is False


def test_the_sample_answers_raise_no_check() -> None:
    assert findings(valid_answers(), CEO_QUESTIONNAIRE, {}) == []


@pytest.mark.parametrize(
    ("answers", "quiet"),
    [
        ({"profile.employees": 320, "profile.engineering_headcount": 320}, "engineers"),
        ({"profile.employees": 40, "profile.ai_headcount": 40}, "ai_people"),
        ({"profile.ai_spend_usd": 1000}, "ai_spend_very_small"),
        ({"profile.ai_spend_usd": 0, "profile.ai_headcount": 0}, "no spend, nobody on AI"),
        (
            {
                "profile.employees": 2,
                "profile.engineering_headcount": 1,
                "profile.ai_headcount": 1,
                "profile.ai_spend_usd": 2_000_000,
            },
            "$1M per employee",
        ),
    ],
)
def test_answers_at_the_edge_raise_no_check(answers: dict, quiet: str) -> None:
    assert findings(valid_answers(answers), CEO_QUESTIONNAIRE, {}) == [], quiet


def test_a_check_waits_until_every_answer_it_reads_is_given() -> None:
    assert findings({"profile.engineering_headcount": 5000}, CEO_QUESTIONNAIRE, {}) == []


def test_notes_come_in_the_order_of_the_questions() -> None:
    answers = valid_answers({**UNLIKELY["dimensions_all_alike"], **UNLIKELY["ai_spend_very_small"]})
    assert [f.key for f in findings(answers, CEO_QUESTIONNAIRE, {})] == [
        "ai_spend_very_small",
        "dimensions_all_alike",
    ]


def test_the_perspective_questionnaire_gets_the_checks_it_asks_the_answers_for() -> None:
    applying = {check.key for check in CHECKS if check.applies_to(PERSPECTIVE_QUESTIONNAIRE)}
    assert applying == {"dimensions_all_alike"}
    answers = {code: 4 for code in PERSPECTIVE_QUESTIONNAIRE.questions if code.startswith("dim")}
    assert [f.key for f in findings(answers, PERSPECTIVE_QUESTIONNAIRE, {})] == [
        "dimensions_all_alike"
    ]


def test_a_confirmation_holds_for_the_answers_it_was_given_for_only() -> None:
    answers = valid_answers(UNLIKELY["engineers_above_employees"])
    confirmed = {"engineers_above_employees": [320, 5000]}
    assert open_findings(answers, CEO_QUESTIONNAIRE, confirmed) == []
    [finding] = findings(answers, CEO_QUESTIONNAIRE, confirmed)
    assert finding.confirmed

    changed = valid_answers({"profile.employees": 320, "profile.engineering_headcount": 6000})
    assert [f.key for f in open_findings(changed, CEO_QUESTIONNAIRE, confirmed)] == [
        "engineers_above_employees"
    ]


def test_every_check_sits_beside_a_question_it_reads() -> None:
    for check in CHECKS:
        assert check.shown_at in check.codes
        assert check.shown_at in CEO_QUESTIONNAIRE.questions


# --- Stored confirmations and the pages. ----------------------------------------------------


@pytest.mark.django_db
def test_confirming_is_stored_audited_and_never_needed_to_submit(engagement):
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers(UNLIKELY["engineers_above_employees"]))
    assert [f.key for f in assessment_findings(assessment)] == ["engineers_above_employees"]

    assert finding_confirm(assessment=assessment, key="engineers_above_employees") is True
    assessment.refresh_from_db()
    assert assessment.confirmed_checks == {"engineers_above_employees": [320, 5000]}
    assert [f.confirmed for f in assessment_findings(assessment)] == [True]
    event = AuditEvent.objects.get(action="assessment.confirmed")
    assert event.summary == (
        "Confirmed answers as given: more people in engineering than employees"
    )

    # A note that does not hold, or is not a note at all, is not recorded.
    assert finding_confirm(assessment=assessment, key="ai_spend_very_small") is False
    assert finding_confirm(assessment=assessment, key="no-such-check") is False
    assessment.refresh_from_db()
    assert list(assessment.confirmed_checks) == ["engineers_above_employees"]


@pytest.mark.django_db
def test_unconfirmed_notes_do_not_stop_submission(engagement):
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers(UNLIKELY["ai_people_above_employees"]))
    assert assessment_findings(assessment)
    assert assessment_submit(assessment=assessment) == []


@pytest.fixture
def token(engagement, ceo, advisor) -> str:
    clear_cache()
    return invite(engagement, ceo, advisor)


def autosave(client, token: str, code: str, value: str):
    return client.post(
        reverse("questionnaire_autosave", args=[token]),
        {"field": field_name(code), "value": [value]},
    )


@pytest.mark.django_db
def test_autosave_answers_with_the_notes_open_and_the_value_as_the_field_shows_it(
    client, token, engagement
):
    autosave(client, token, "profile.employees", "320")
    data = autosave(client, token, "profile.engineering_headcount", "5000").json()

    assert data["shown"] == ["5,000"]
    assert data["notes"] == [
        {
            "key": "engineers_above_employees",
            "field": field_name("profile.engineering_headcount"),
            "message": MESSAGES["engineers_above_employees"],
        }
    ]
    assert autosave(client, token, "profile.ai_spend_usd", "$2.5M").json()["shown"] == ["2,500,000"]
    later = autosave(client, token, "profile.engineering_headcount", "50").json()
    assert later["notes"] == []
    # A later save has a later revision: the page keeps the notes of the latest.
    assert later["revision"] > data["revision"]


@pytest.mark.django_db
def test_the_step_shows_a_note_beside_its_question_and_confirms_it(client, token, engagement):
    assessment = assessment_for(engagement)
    answer_all(assessment, UNLIKELY["ai_people_above_employees"])
    url = reverse("questionnaire_step", args=[token, "profile"])

    page = client.get(url).content.decode()
    assert "Please check:" in page
    assert MESSAGES["ai_people_above_employees"] in page
    assert 'name="confirm" value="ai_people_above_employees"' in page

    response = client.post(
        url, {"confirm": "ai_people_above_employees", field_name("profile.products"): "3"}
    )
    assert response.status_code == 302
    assert response.url == url + f"#div_id_{field_name('profile.ai_headcount')}"
    assessment.refresh_from_db()
    assert "ai_people_above_employees" in assessment.confirmed_checks
    assert "Please check:" not in client.get(url).content.decode()
    # What the step carried was saved as well, as Next would have.
    assert assessment.answers.get(code="profile.products").value == 3


@pytest.mark.django_db
def test_a_step_confirms_only_the_notes_it_shows(client, token, engagement):
    assessment = assessment_for(engagement)
    answer_all(assessment, dimensions(2, 2))
    client.post(
        reverse("questionnaire_step", args=[token, "profile"]), {"confirm": "dimensions_all_alike"}
    )
    assessment.refresh_from_db()
    assert assessment.confirmed_checks == {}


@pytest.mark.django_db
def test_the_review_page_lists_the_notes_and_confirms_them(client, token, engagement):
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers(UNLIKELY["ai_spend_very_small"]))
    url = reverse("questionnaire_review", args=[token])

    page = client.get(url).content.decode()
    assert 'id="checks"' in page
    assert MESSAGES["ai_spend_very_small"] in page
    assert "Send my answers" in page

    response = client.post(url, {"confirm": "ai_spend_very_small"})
    assert response.status_code == 302
    assert response.url == url + "#checks"
    assessment.refresh_from_db()
    assert assessment.submitted_at is None
    assert 'id="checks"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_perspective_gets_its_dimension_note(client, engagement, client_org, advisor):
    from advisory.models import Person
    from tests.assessments.helpers import invite_leader

    cto = Person.objects.create(
        client=client_org, name="Tariq Tech", email="tariq@acme.example", role=Person.Role.CTO
    )
    token = invite_leader(engagement, cto, advisor)
    for key in DIMENSION_KEYS:
        for which in ("today", "needed"):
            autosave(client, token, f"dimension.{key}.{which}", "4")
    page = client.get(reverse("questionnaire_step", args=[token, "dimensions"])).content.decode()
    assert "Every dimension is at 4, today and in 24 months" in page
