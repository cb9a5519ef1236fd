"""The CEO's journey in a real browser, with and without JavaScript, on a laptop and a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.forms import field_name
from assessments.methodology import NEWEST, method_for
from assessments.models import Assessment, Invitation
from assessments.questionnaire import SECTIONS
from assessments.services.answers import assessment_answers, assessment_for, assessment_submit
from assessments.services.invitations import invitation_resolve, invitation_revoke, invitation_send
from tests.assessments.factories import valid_answers
from tests.assessments.helpers import answer_all
from tests.browser.conftest import axe_violations, describe, shot, sign_in
from tests.browser.ui import answer_question, answer_section, wait_saved
from tests.conftest import send_queued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def link(engagement, ceo, advisor) -> str:
    return invitation_send(engagement=engagement, person=ceo, actor=advisor)


def stored(engagement) -> dict[str, object]:
    return assessment_answers(Assessment.objects.get(engagement=engagement))


def test_ceo_answers_leaves_comes_back_on_a_phone_and_submits(new_context, link, engagement):
    answers = valid_answers({"profile.ai_spend_usd": 6_200_000})
    first = new_context().new_page()
    first.goto(link)
    assert "About 15 minutes" in first.content()
    first.get_by_role("link", name="Start").click()

    # Answer part of the first step, each answer saved as it is given; then close the page.
    for code in ("profile.employees", "profile.ai_spend_usd", "profile.ai_role"):
        answer_question(first, code, answers[code])
        wait_saved(first, code)
    assert first.locator("[data-progress-text]").inner_text().startswith("9%")
    first.close()

    # Another device, a phone: a fresh browser context with no cookies. Every step, answered
    # by touch, stays within the phone's width.
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(link)
    shot(page, "phone-welcome")
    page.get_by_role("link", name="Continue").click()
    assert page.input_value(f"#id_{field_name('profile.ai_spend_usd')}") == "6,200,000"
    assert page.is_checked(f"input[name='{field_name('profile.ai_role')}'][value='feature']")

    for section in SECTIONS:
        assert page.locator("h1").inner_text() == section.title
        answer_section(page, section, answers)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], section.key
        shot(page, f"phone-{section.key}")
        button = "Next" if section is not SECTIONS[-1] else "Check my answers"
        page.get_by_role("button", name=button).click()

    assert page.locator("h1").inner_text() == "Check your answers"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-review")
    assert "$6.2M" in page.content()
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you, your answers are in" in page.content()
    shot(page, "phone-done")

    # The link now shows the confirmation, never the form.
    page.goto(link.rstrip("/") + "/step/profile/")
    assert "Thank you, your answers are in" in page.content()
    assert page.locator("input[type=text], input[type=radio], textarea").count() == 0
    assert stored(engagement) == answers
    assert Assessment.objects.get(engagement=engagement).submitted_at is not None


def test_invalid_answer_is_explained_next_to_the_field_and_survives_a_reload(new_context, link):
    page = new_context().new_page()
    page.goto(link.rstrip("/") + "/step/profile/")
    name = field_name("profile.employees")

    page.fill(f"#id_{name}", "roughly 300")
    page.locator(f"#id_{name}").blur()
    status = page.locator(f"[data-status-for='{name}']")
    status.filter(has_text="whole number").wait_for()
    assert page.get_attribute(f"#id_{name}", "aria-invalid") == "true"
    assert status.get_attribute("aria-live") == "polite"

    page.reload()
    assert page.input_value(f"#id_{name}") == "roughly 300"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "whole number" in page.locator("#error-summary").inner_text()

    page.fill(f"#id_{name}", "300")
    page.locator(f"#id_{name}").blur()
    wait_saved(page, "profile.employees")
    assert page.get_attribute(f"#id_{name}", "aria-invalid") is None


def test_lost_connection_is_reported_and_the_answer_saved_when_it_returns(
    new_context, link, engagement
):
    context = new_context()
    page = context.new_page()
    page.goto(link.rstrip("/") + "/step/profile/")

    context.set_offline(True)
    answer_question(page, "profile.products", 4)
    status = page.locator(f"[data-status-for='{field_name('profile.products')}']")
    status.filter(has_text="connection was lost").wait_for()
    assert stored(engagement) == {}

    context.set_offline(False)
    wait_saved(page, "profile.products")
    assert stored(engagement) == {"profile.products": 4}


def test_two_tabs_answering_different_questions_keep_both(new_context, link, engagement):
    context = new_context()
    one, two = context.new_page(), context.new_page()
    one.goto(link.rstrip("/") + "/step/profile/")
    two.goto(link.rstrip("/") + "/step/leadership/")

    answer_question(one, "profile.employees", 700)
    answer_question(two, "leadership.cto_capacity", 4)
    wait_saved(one, "profile.employees")
    wait_saved(two, "leadership.cto_capacity")
    # Each tab then moves on with its own plain form post, as a CEO clicking Next would.
    one.get_by_role("button", name="Next").click()
    two.get_by_role("button", name="Next").click()

    assert stored(engagement) == {"profile.employees": 700, "leadership.cto_capacity": 4}


def test_without_javascript_every_step_posts_and_the_answers_are_kept(
    new_context, link, engagement
):
    answers = valid_answers()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(link)
    page.get_by_role("link", name="Start").click()

    # A mistake first: the step comes back with the value kept and the error listed.
    page.fill(f"#id_{field_name('profile.employees')}", "lots")
    page.get_by_role("button", name="Next").click()
    assert page.locator("h1").inner_text() == SECTIONS[0].title
    assert "whole number" in page.locator("#error-summary").inner_text()
    assert page.input_value(f"#id_{field_name('profile.employees')}") == "lots"

    for section in SECTIONS:
        answer_section(page, section, answers)
        button = "Next" if section is not SECTIONS[-1] else "Check my answers"
        page.get_by_role("button", name=button).click()
        assert "need a second look" not in page.content()

    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you, your answers are in" in page.content()
    assert stored(engagement) == answers


def test_submit_is_refused_until_everything_required_is_answered(new_context, link):
    page = new_context().new_page()
    page.goto(link.rstrip("/") + "/review/")
    page.get_by_role("button", name="Send my answers").click()

    summary = page.locator("#error-summary")
    assert "cannot be sent yet" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link", name="How many people does the company employ?").click()
    assert page.locator("h1").inner_text() == SECTIONS[0].title


def test_expired_link_shows_what_to_do(new_context, link):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    page = new_context().new_page()

    response = page.goto(link)

    assert response.status == 410
    assert "This link has expired" in page.content()
    assert "Ask your advisor for a new link" in page.content()
    assert "Acme" not in page.content()


def test_revoked_link_shows_what_to_do(new_context, link, advisor):
    token = link.rstrip("/").split("/")[-1]
    invitation_revoke(invitation=invitation_resolve(token), actor=advisor)
    page = new_context().new_page()

    response = page.goto(link)

    assert response.status == 410
    assert "This link has been replaced" in page.content()


# --- Accessibility ---------------------------------------------------------------------------


def test_a_step_showing_an_error_passes_axe(new_context, link, engagement):
    """Every step as it first shows is read by axe in the every-page test; this is a step
    with an error on it."""
    page = new_context(bypass_csp=True).new_page()
    page.goto(link.rstrip("/") + "/step/profile/")
    page.fill(f"#id_{field_name('profile.employees')}", "none")
    page.get_by_role("button", name="Next").click()
    shot(page, "laptop-profile-error")
    violations = axe_violations(page)
    assert not violations, f"profile with an error: {describe(violations)}"


def test_results_page_shows_the_scored_result_and_the_engagement_page_passes_axe(
    new_context, live_server, link, engagement, advisor
):
    """The results page itself is read by axe in the every-page test."""
    answers = valid_answers()
    answer_all(assessment_for(engagement), answers)
    assert assessment_submit(assessment=assessment_for(engagement)) == []
    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    page = context.new_page()

    page.goto(f"{live_server.url}/engagements/{engagement.pk}/results/")

    shot(page, "laptop-results")
    result = method_for(NEWEST).score(answers)
    assert page.get_by_test_id("recommendation").inner_text().startswith("A fractional")
    assert result.recommendation == "fractional_caio"

    # Answers in, no memo yet: the state the every-page test does not have.
    page.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    shot(page, "laptop-engagement")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_advisor_invites_copies_the_link_once_and_revokes_it(
    new_context, live_server, engagement, advisor
):
    from django.core import mail

    context = new_context(bypass_csp=False)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(context, advisor, live_server)
    desk = context.new_page()
    desk.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    desk.get_by_role("button", name="Invite the CEO").click()

    assert desk.locator("h1").inner_text() == "Link sent to Carla Ceo"
    link = desk.input_value("#invitation-link")
    send_queued()  # what the worker would do
    assert link in mail.outbox[0].body
    desk.get_by_role("button", name="Copy").click()
    desk.get_by_text("Link copied.").wait_for()
    assert desk.evaluate("navigator.clipboard.readText()") == link
    shot(desk, "laptop-invitation-sent")

    # Shown once: reloading sends the advisor back to the engagement without the link.
    desk.reload()
    assert link not in desk.content()

    ceo = new_context().new_page()
    assert ceo.goto(link).status == 200

    desk.get_by_role("button", name="Revoke the link").click()
    assert "no longer works" in desk.content()
    assert ceo.goto(link).status == 410


def test_an_answer_typed_just_before_leaving_is_still_saved(new_context, link, engagement):
    import time

    page = new_context().new_page()
    page.goto(link.rstrip("/") + "/step/profile/")
    prompts: list[str] = []

    def leave_anyway(dialog) -> None:
        prompts.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave_anyway)
    # Typed, and the page left at once: no blur, no pause for the typing delay.
    page.type(f"#id_{field_name('profile.engineering_headcount')}", "55")
    page.goto(link)

    deadline = time.monotonic() + 5
    while stored(engagement) != {"profile.engineering_headcount": 55}:
        assert time.monotonic() < deadline, stored(engagement)
        time.sleep(0.1)
    assert prompts == ["beforeunload"]
