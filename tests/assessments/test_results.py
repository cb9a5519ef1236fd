from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import explanations
from assessments.methodology import NEWEST, method_for
from assessments.questionnaire import DIMENSIONS, QUESTIONS, display_value
from assessments.services.answers import assessment_for, assessment_submit
from tests.assessments.factories import dimensions, valid_answers
from tests.assessments.helpers import answer_all, invite

pytestmark = pytest.mark.django_db

ANSWER_SETS = {
    "fractional": valid_answers(),
    "full_time": valid_answers(
        {
            "profile.ai_spend_usd": 9_000_000,
            "profile.ai_headcount": 60,
            "profile.ai_role": "core",
            "profile.employees": 8000,
            **dimensions(1, 4),
        }
    ),
    "single_seat": valid_answers(
        {
            "profile.ai_headcount": 3,
            "profile.ai_use_cases": 1,
            "profile.ai_role": "internal",
            "profile.products": 1,
            "profile.engineering_headcount": 10,
            "leadership.cto_shipped_production_ai": "yes",
            "accountability.outcomes_owner": "ceo",
            **dimensions(2, 2),
        }
    ),
}


def submitted(engagement, ceo, advisor, answers):
    invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    answer_all(assessment, answers)
    assert assessment_submit(assessment=assessment) == []
    return assessment


@pytest.mark.parametrize("name", sorted(ANSWER_SETS))
def test_results_page_shows_the_same_result_as_score(advisor_http, engagement, ceo, advisor, name):
    answers = ANSWER_SETS[name]
    submitted(engagement, ceo, advisor, answers)
    expected = method_for(NEWEST).score(answers)

    response = advisor_http.get(reverse("assessment_results", args=[engagement.pk]))

    assert response.status_code == 200
    assert response.context["result"] == expected
    html = response.content.decode()
    assert escape(explanations.RECOMMENDATION_LABELS[expected.recommendation]) in html
    assert escape(explanations.REPORTING_LINE_LABELS[expected.reporting_line]) in html
    assert escape(explanations.recommendation_sentence(expected, engagement.client.name)) in html


def test_results_page_explains_every_signal_and_flag(advisor_http, engagement, ceo, advisor):
    answers = valid_answers()
    submitted(engagement, ceo, advisor, answers)
    explanation = explanations.explain(method_for(NEWEST).score(answers), answers)

    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()

    for reason in [*explanation.two_seat, *explanation.one_seat, *explanation.flags]:
        assert escape(reason.sentence) in html


def test_results_page_shows_dimensions_overlap_and_answers(advisor_http, engagement, ceo, advisor):
    answers = valid_answers()
    submitted(engagement, ceo, advisor, answers)

    response = advisor_http.get(reverse("assessment_results", args=[engagement.pk]))
    html = response.content.decode()

    rows = response.context["words"].dimensions
    assert [row.dimension.key for row in rows] == [d.key for d in DIMENSIONS]
    assert [row.score.gap for row in rows] == [2, 1, 1, 1, 1, 1, 1]
    # valid_answers() leaves data infrastructure contested and AI security undefined.
    assert "<strong>Data infrastructure quality</strong>" in html
    assert "<strong>Security of AI models and data</strong>" in html
    assert "<strong>Cloud and compute allocation</strong>" not in html
    for code, value in answers.items():
        if code == "leadership.ai_leader_reports_to" and answers["leadership.ai_leader"] == "none":
            # Not asked without an AI leader (methodology 2026.2 §1).
            assert escape(QUESTIONS[code].label) not in html
            continue
        assert escape(QUESTIONS[code].label) in html
        assert escape(display_value(code, value)) in html


def test_results_wait_for_submission(advisor_http, engagement, ceo, advisor):
    invite(engagement, ceo, advisor)
    answer_all(assessment_for(engagement), {"profile.employees": 250})

    response = advisor_http.get(reverse("assessment_results", args=[engagement.pk]))

    assert response.status_code == 200
    assert "result" not in response.context
    assert "once the CEO has submitted" in response.content.decode()


def test_typed_text_is_escaped_on_the_results_page(advisor_http, engagement, ceo, advisor):
    answers = valid_answers({"context.concerns": "<script>alert(1)</script>"})
    submitted(engagement, ceo, advisor, answers)

    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_colleague_in_the_same_firm_sees_the_results(engagement, ceo, advisor, colleague):
    from tests.conftest import signed_in

    submitted(engagement, ceo, advisor, valid_answers())

    response = signed_in(colleague).get(reverse("assessment_results", args=[engagement.pk]))

    assert response.status_code == 200
    assert "result" in response.context


def test_engagement_page_links_to_the_results_after_submission(
    advisor_http, engagement, ceo, advisor
):
    submitted(engagement, ceo, advisor, valid_answers())

    html = advisor_http.get(engagement.get_absolute_url()).content.decode()

    assert reverse("assessment_results", args=[engagement.pk]) in html
    assert "Issue a new link" not in html


# --- Issue 14: the page reads plainly and says where the answers disagree with the record. ---


def test_signs_that_hold_are_named_and_the_rest_read_as_plain_statements(
    advisor_http, engagement, ceo, advisor
):
    answers = valid_answers()
    submitted(engagement, ceo, advisor, answers)
    result = method_for(NEWEST).score(answers)
    explanation = explanations.explain(result, answers)

    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()

    # No "Few AI use cases? No — ... more than the 2": no question marks with Yes or No.
    for reason in [*explanation.two_seat, *explanation.one_seat, *explanation.flags]:
        assert f"{escape(reason.title)}?" not in html
        if reason.fired:
            assert f"{escape(reason.title)}:</span> {escape(reason.sentence)}" in html
        else:
            assert f'data-reason="{reason.key}">{escape(reason.sentence)}</li>' in html
    assert "Also checked:" in html


def test_the_ceo_count_against_the_client_record_is_shown_when_they_differ(
    advisor_http, engagement, ceo, advisor, client_org
):
    client_org.employees = 950
    client_org.save()
    submitted(engagement, ceo, advisor, valid_answers({"profile.employees": 140}))
    url = reverse("assessment_results", args=[engagement.pk])

    html = advisor_http.get(url).content.decode()
    assert "The CEO answered 140 employees; the client record says 950." in html
    assert reverse("client_edit", args=[client_org.pk]) in html

    client_org.employees = 140
    client_org.save()
    assert 'data-testid="size-difference"' not in advisor_http.get(url).content.decode()
    client_org.employees = None
    client_org.save()
    assert 'data-testid="size-difference"' not in advisor_http.get(url).content.decode()


def test_thousands_are_separated_in_the_difference(advisor_http, engagement, ceo, advisor):
    submitted(engagement, ceo, advisor, valid_answers({"profile.employees": 12_500}))
    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()
    assert "The CEO answered 12,500 employees; the client record says 1,200." in html


def test_answers_the_ceo_was_asked_to_check_are_listed_with_their_confirmation(
    advisor_http, engagement, ceo, advisor
):
    from assessments.services.answers import finding_confirm

    invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    answer_all(
        assessment,
        valid_answers({"profile.employees": 40, "profile.ai_headcount": 60, **dimensions(3, 3)}),
    )
    assert finding_confirm(assessment=assessment, key="ai_people_above_employees")
    assert assessment_submit(assessment=assessment) == []

    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()

    assert "Answers to check with the client" in html
    assert "60 people working on AI, in a company of 40 employees." in html
    assert "Confirmed as given" in html
    assert "Every dimension is at 3" in html
    assert "Sent without confirming" in html


def test_the_chart_comes_in_a_phone_layout_as_well(advisor_http, engagement, ceo, advisor):
    submitted(engagement, ceo, advisor, valid_answers())
    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()
    assert 'class="dimension-chart chart-wide"' in html
    assert 'class="dimension-chart chart-narrow"' in html
    assert 'id="dimension-chart-narrow-title"' in html
