"""Versions side by side in the product: which methodology an engagement uses, moving it to the
newest, old memo versions reproduced with their own; and 2026.2's conditional question."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as live_apps
from django.urls import reverse

from advisory.models import AuditEvent, Engagement
from assessments.forms import field_name
from assessments.methodology import NEWEST
from assessments.models import Answer, Assessment
from assessments.services.answers import (
    answer_save,
    assessment_answers,
    assessment_for,
    assessment_problems,
    assessment_submit,
)
from assessments.services.scoring import NotScorable, engagement_result, methodology_move
from tests.assessments.factories import valid_answers
from tests.assessments.helpers import answer_all, invite
from tests.conftest import clear_cache
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

REPORTS_TO = "leadership.ai_leader_reports_to"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_cache()


def on_2026_1(engagement: Engagement) -> Assessment:
    assessment = assessment_for(engagement)
    assessment.methodology_version = "cto-caio-2026.1"
    assessment.save()
    return assessment


def submit(engagement, ceo, advisor, answers) -> Assessment:
    invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    answer_all(assessment, answers)
    assert assessment_submit(assessment=assessment) == []
    return assessment


# A full CTO roadmap: 2026.1 recommends reporting to the CTO first, 2026.2 to the CEO.
FULL_ROADMAP = valid_answers(leadership__cto_capacity=4)


def test_a_new_engagement_is_scored_with_the_newest_methodology(engagement):
    assert assessment_for(engagement).methodology_version == NEWEST == "cto-caio-2026.2"


def test_engagements_opened_before_the_change_keep_2026_1(firm, client_org, advisor):
    migration = importlib.import_module("assessments.migrations.0003_respondents")
    old = Engagement.objects.create(
        firm=firm, client=client_org, lead_advisor=advisor, title="Opened in November"
    )
    migration.ceo_assessments_for_every_engagement(live_apps, None)
    assert Assessment.objects.get(engagement=old).methodology_version == "cto-caio-2026.1"


def test_an_engagement_on_2026_1_is_scored_with_it(engagement, ceo, advisor):
    on_2026_1(engagement)
    submit(engagement, ceo, advisor, FULL_ROADMAP)
    result = engagement_result(engagement).result
    assert result.methodology == "cto-caio-2026.1"
    assert result.reporting_line == "cto_then_ceo"
    assert result.perception is None


def test_the_results_page_shows_what_moving_would_change_and_the_move_is_audited(
    advisor_http, engagement, ceo, advisor
):
    on_2026_1(engagement)
    submit(engagement, ceo, advisor, FULL_ROADMAP)
    url = reverse("assessment_results", args=[engagement.pk])
    page = advisor_http.get(url).content.decode()
    assert "A newer methodology is available" in page
    assert (
        "Reports to the CTO at first, then to the CEO → <strong>Reports to the CEO</strong>" in page
    )

    moved = advisor_http.post(reverse("methodology_move", args=[engagement.pk]), follow=True)
    html = moved.content.decode()
    assert "now uses methodology cto-caio-2026.2" in html
    assert (
        "Reporting line: Reports to the CTO at first, then to the CEO → Reports to the CEO." in html
    )
    assert "A newer methodology is available" not in html
    assert moved.context["result"].methodology == "cto-caio-2026.2"
    event = AuditEvent.objects.get(action="methodology.moved")
    assert event.actor == advisor
    assert "cto_then_ceo" in event.summary and "→" in event.summary


def test_moving_before_the_ceo_submits_scores_the_answers_with_the_new_one(engagement, advisor):
    on_2026_1(engagement)
    moved = methodology_move(engagement=engagement, actor=advisor)
    assert moved.before is None and moved.after is None
    assert assessment_for(engagement).methodology_version == NEWEST
    with pytest.raises(NotScorable, match="already scored"):
        methodology_move(engagement=engagement, actor=advisor)


def test_a_2026_1_answer_the_new_rule_reads_differently_is_normalised_on_the_move(
    engagement, ceo, advisor
):
    on_2026_1(engagement)
    # 2026.1 allowed "no AI leader" with a reporting line.
    answers = valid_answers(leadership__ai_leader="none", leadership__ai_leader_reports_to="cto")
    assessment = assessment_for(engagement)
    invite(engagement, ceo, advisor)
    answer_all(assessment, answers)
    Answer.objects.filter(assessment=assessment, code=REPORTS_TO).update(value="cto", raw="cto")
    assert assessment_submit(assessment=assessment) == []  # still accepted under 2026.1
    moved = methodology_move(engagement=engagement, actor=advisor)
    assert moved.normalised == [(REPORTS_TO, "cto", "none")]
    assert assessment_answers(assessment)[REPORTS_TO] == "none"
    assert moved.after is not None


def test_a_memo_approved_under_2026_1_renders_again_exactly_as_it_was(
    engagement, ceo, advisor, memo_storage, django_capture_on_commit_callbacks
):
    from reports.services.memos import memo_approve, memo_input, memo_render, memo_request
    from reports.services.rendering import memo_pdf

    on_2026_1(engagement)
    submit(engagement, ceo, advisor, FULL_ROADMAP)
    with django_capture_on_commit_callbacks(execute=False):
        version = memo_request(engagement=engagement, actor=advisor, commentary="As agreed.")
    version = memo_approve(version=memo_render(version_id=version.pk), actor=advisor)
    methodology_move(engagement=engagement, actor=advisor)  # the engagement moves on

    with version.pdf.open("rb") as handle:
        stored = handle.read()
    again = memo_pdf(memo_input(version))

    assert version.methodology_version == "cto-caio-2026.1"
    assert pdf_text(again.pdf) == pdf_text(stored)
    assert "reporting to the CTO at first" in " ".join(pdf_text(stored).split())
    assert again.pdf == stored  # byte for byte


# --- 2026.2 §1 in the browser: reports-to is asked only when there is an AI leader. ----------


@pytest.fixture
def token(engagement, ceo, advisor) -> str:
    return invite(engagement, ceo, advisor)


def test_no_ai_leader_stores_reports_to_none_and_a_leader_asks_again(engagement, token):
    assessment = assessment_for(engagement)
    answer_save(assessment=assessment, code="leadership.ai_leader", raw="none")
    assert Answer.objects.get(assessment=assessment, code=REPORTS_TO).value == "none"
    answer_save(assessment=assessment, code="leadership.ai_leader", raw="fractional")
    assert not Answer.objects.filter(assessment=assessment, code=REPORTS_TO).exists()
    answer_save(assessment=assessment, code=REPORTS_TO, raw="ceo")
    answer_save(assessment=assessment, code="leadership.ai_leader", raw="full_time")
    assert Answer.objects.get(assessment=assessment, code=REPORTS_TO).value == "ceo"


def test_the_leadership_step_hides_reports_to_without_an_ai_leader(client, engagement, token):
    url = reverse("questionnaire_step", args=[token, "leadership"])
    before = client.get(url).content.decode()
    question = before.split('data-shown-when="leadership-ai_leader"', 1)[1].split(">", 1)[0]
    assert "hidden" in question  # no AI leader answered yet
    assert f'name="{field_name(REPORTS_TO)}" value="none"' not in before  # never offered
    answer_save(assessment=assessment_for(engagement), code="leadership.ai_leader", raw="full_time")
    after = client.get(url).content.decode()
    question = after.split('data-shown-when="leadership-ai_leader"', 1)[1].split(">", 1)[0]
    assert "hidden" not in question


def test_without_javascript_choosing_a_leader_keeps_the_ceo_on_the_step(client, engagement, token):
    url = reverse("questionnaire_step", args=[token, "leadership"])
    response = client.post(url, {"leadership-ai_leader": "fractional", "action": "next"})
    assert response.status_code == 302
    assert response.url.endswith(f"/step/leadership/#div_id_{field_name(REPORTS_TO)}")
    response = client.post(
        url, {"leadership-ai_leader": "fractional", field_name(REPORTS_TO): "cto", "action": "next"}
    )
    assert response.url.endswith("/step/accountability/")


def test_review_does_not_ask_for_the_hidden_question(engagement, token):
    assessment = assessment_for(engagement)
    answers = valid_answers(leadership__ai_leader="none")
    del answers[REPORTS_TO]
    answer_all(assessment, answers)
    assert [p.code for p in assessment_problems(assessment)] == []
    assert assessment_answers(assessment)[REPORTS_TO] == "none"
    assert assessment_submit(assessment=assessment) == []


def test_an_ai_leader_reporting_to_nobody_is_refused_under_2026_2(engagement, token):
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers(leadership__ai_leader="fractional"))
    Answer.objects.update_or_create(
        assessment=assessment, code=REPORTS_TO, defaults={"value": "none", "raw": "none"}
    )
    assert [p.code for p in assessment_problems(assessment)] == [REPORTS_TO]


def test_saved_answers_of_an_engagement_on_2026_1_keep_being_accepted(engagement, token):
    assessment = on_2026_1(engagement)
    answer_all(assessment, valid_answers(leadership__ai_leader="fractional"))
    Answer.objects.update_or_create(
        assessment=assessment, code=REPORTS_TO, defaults={"value": "none", "raw": "none"}
    )
    assert assessment_problems(assessment) == []
    assert assessment_submit(assessment=assessment) == []
