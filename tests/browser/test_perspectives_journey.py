"""The CEO has answered and the CTO answers on their own link; the advisor sees where they
disagree, and the memo requested afterwards carries it. A real Chromium throughout."""

from __future__ import annotations

import pytest

from advisory.models import Person
from assessments.questionnaire import PERSPECTIVE_QUESTIONNAIRE
from assessments.services.answers import assessment_for, assessment_submit
from assessments.services.invitations import invitation_send, perspective_invite
from reports.models import MemoVersion
from reports.services.memos import memo_render
from tests.assessments.factories import perspective, valid_answers
from tests.assessments.helpers import answer_all
from tests.browser.conftest import at_each_width, axe_violations, describe, shot, sign_in
from tests.browser.ui import answer_section
from tests.pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_on_link(page, link: str, sections, answers: dict) -> None:
    page.goto(link)
    page.get_by_role("link", name="Start").click()
    for section in sections:
        assert page.locator("h1").inner_text() == section.title
        answer_section(page, section, answers)
        last = section is sections[-1]
        page.get_by_role("button", name="Check my answers" if last else "Next").click()
    assert page.locator("h1").inner_text() == "Check your answers"
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you, your answers are in" in page.content()


def test_ceo_and_cto_disagree_and_the_memo_says_so(
    new_context, live_server, engagement, ceo, advisor, client_org, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    cto = Person.objects.create(
        client=client_org, name="Tariq Tech", email="tariq@acme.example", role=Person.Role.CTO
    )
    ceo_answers = valid_answers(accountability__outcomes_owner="cto")
    cto_answers = perspective(
        "cto",
        ceo_answers,
        {
            "accountability.outcomes_owner": "nobody",
            "leadership.cto_capacity": 5,
            "dimension.primary_focus.today": 5,
            "dimension.risk_lens.needed": 5,
            "dimension.success_metrics.today": 4,
        },
    )["answers"]

    # The CEO's answers are in (the CEO's pages have journeys of their own); the CTO answers
    # in the browser.
    invitation_send(engagement=engagement, person=ceo, actor=advisor)
    answer_all(assessment_for(engagement), ceo_answers)
    assert assessment_submit(assessment=assessment_for(engagement)) == []
    cto_link = perspective_invite(engagement=engagement, person=cto, actor=advisor)
    cto_page = new_context(bypass_csp=True).new_page()
    cto_page.goto(cto_link)
    assert "by your role (CTO), never by your name" in cto_page.content()
    assert axe_violations(cto_page) == [], describe(axe_violations(cto_page))
    answer_on_link(cto_page, cto_link, PERSPECTIVE_QUESTIONNAIRE.sections, cto_answers)

    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    desk = context.new_page()
    desk.goto(f"{live_server.url}/engagements/{engagement.pk}/results/")
    section = desk.locator("section.perception")
    text = section.inner_text()
    assert "the CEO names the CTO; the CTO names nobody" in text
    assert "The CTO rates their own load 5 out of 5" in text
    assert "Divergent" in text
    assert desk.get_by_test_id("reporting-line").inner_text() == "Reports to the CEO"
    for width in at_each_width(desk):
        violations = axe_violations(desk)
        assert violations == [], f"{width}px: {describe(violations)}"
        shot(desk, f"results-perspectives-{width}")

    # A memo requested afterwards carries the disagreement.
    desk.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    desk.get_by_role("button", name="Prepare the memo").click()
    version = MemoVersion.objects.get(engagement=engagement)
    assert [p["role"] for p in version.answers["perspectives"]] == ["cto"]
    memo_render(version_id=version.pk)  # what the worker does
    pdf = context.request.get(f"{live_server.url}/memos/{version.pk}/pdf/")
    assert pdf.status == 200
    memo = " ".join(pdf_text(pdf.body()).split())
    assert "Where the leaders see it differently" in memo
    assert "the CEO names the CTO; the CTO names nobody" in memo
    assert "What every leader answered" in memo
