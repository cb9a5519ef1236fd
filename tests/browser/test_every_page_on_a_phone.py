"""Every advisor and respondent page at a phone's 390 px and a laptop's 1280 px: nothing
scrolls sideways, what a row can do stays on the screen, axe finds nothing serious, and a
screenshot of each is kept to look at (SCREENSHOT_DIR). Each page is loaded once and
checked at both widths."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.utils import timezone

from advisory.models import Client, Engagement, Person
from assessments.services.answers import assessment_for, assessment_submit
from assessments.services.invitations import invitation_send, perspective_invite
from reports.services.delivery import memo_send
from reports.services.memos import memo_approve, memo_fail, memo_render, memo_request
from tests.assessments.factories import valid_answers
from tests.assessments.helpers import answer_all
from tests.browser.conftest import (
    PHONE,
    at_each_width,
    axe_violations,
    describe,
    shot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workspace(
    firm, advisor, colleague, client_org, ceo, board_members, engagement, settings, tmp_path
):
    """A firm's working week: a memo sent to the board, a CEO and a CTO answering, a memo
    that failed, a client with long names and addresses."""
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client_org.employees = 12_500
    client_org.save()
    cto = Person.objects.create(
        client=client_org,
        name="Tariq Al-Rashid",
        email="tariq.al-rashid.technology-office@acme-logistics-group.example",
        role=Person.Role.CTO,
        title="Chief Technology Officer",
    )
    Engagement.objects.filter(pk=engagement.pk).update(
        board_meeting_date=timezone.localdate() + timedelta(days=30)
    )

    # The first engagement: answered, memo rendered, approved and sent to the board.
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers())
    assert assessment_submit(assessment=assessment) == []
    version = memo_request(engagement=engagement, actor=advisor, commentary="Board in March.")
    version = memo_render(version_id=version.pk)
    version = memo_approve(version=version, actor=advisor)
    with transaction.atomic():
        memo_send(version=version, people=board_members, actor=advisor)

    # The second: the CEO and the CTO have links and are part way.
    follow_up = Engagement.objects.create(
        firm=firm, client=client_org, lead_advisor=colleague, title="Board follow-up, spring"
    )
    ceo_link = invitation_send(engagement=follow_up, person=ceo, actor=advisor)
    cto_link = perspective_invite(engagement=follow_up, person=cto, actor=advisor)
    answer_all(assessment_for(follow_up), {"profile.employees": 140, "profile.ai_headcount": 200})

    # The third, another client: the memo failed.
    other = Client.objects.create(
        firm=firm, name="Brightwater Regional Utilities Cooperative", sector="Utilities"
    )
    other_ceo = Person.objects.create(
        client=other, name="Grace Okafor", email="grace@brightwater.example", role="ceo"
    )
    failed = Engagement.objects.create(
        firm=firm, client=other, lead_advisor=advisor, title="Should we hire a CAIO?"
    )
    done_link = invitation_send(engagement=failed, person=other_ceo, actor=advisor)
    answer_all(assessment_for(failed), valid_answers())
    assert assessment_submit(assessment=assessment_for(failed)) == []
    broken = memo_request(engagement=failed, actor=advisor, commentary="")
    memo_fail(version_id=broken.pk, reason="The worker ran out of time.")

    return {
        "engagement": engagement,
        "follow_up": follow_up,
        "failed": failed,
        "client": client_org,
        "person": cto,
        "version": version,
        "ceo_link": urlsplit(ceo_link).path,
        "cto_link": urlsplit(cto_link).path,
        "done_link": urlsplit(done_link).path,
        "colleague": colleague,
    }


def advisor_pages(w: dict) -> dict[str, str]:
    e, f = w["engagement"].pk, w["follow_up"].pk
    return {
        "dashboard": "/",
        "dashboard-nothing-found": "/?q=no+such+client",
        "clients": "/clients/",
        "client-new": "/clients/new/",
        "client": f"/clients/{w['client'].pk}/",
        "client-edit": f"/clients/{w['client'].pk}/edit/",
        "person-new": f"/clients/{w['client'].pk}/people/new/",
        "person-edit": f"/people/{w['person'].pk}/edit/",
        "engagement-new": "/engagements/new/",
        "engagement-sent": f"/engagements/{e}/",
        "engagement-answering": f"/engagements/{f}/",
        "engagement-memo-failed": f"/engagements/{w['failed'].pk}/",
        "engagement-edit": f"/engagements/{e}/edit/",
        "results": f"/engagements/{e}/results/",
        "results-not-yet": f"/engagements/{f}/results/",
        "memo-revise": f"/memos/{w['version'].pk}/revise/",
        "memo-send": f"/memos/{w['version'].pk}/send/",
        "memo-preview": f"/memos/{w['version'].pk}/preview/",
        "delivery-revoke": f"/deliveries/{w['version'].deliveries.first().pk}/revoke/",
        "team": "/team/",
        "team-invite": "/team/invite/",
        "team-deactivate": f"/team/{w['colleague'].membership.pk}/deactivate/",
        "firm-settings": "/firm/settings/",
        "account": "/account/",
        "two-factor-setup": "/account/two-factor/",
    }


def respondent_pages(w: dict) -> dict[str, str]:
    ceo, cto = w["ceo_link"], w["cto_link"]
    pages = {"ceo-welcome": ceo}
    for key in ("profile", "leadership", "accountability", "dimensions", "overlap", "context"):
        pages[f"ceo-{key}"] = f"{ceo}step/{key}/"
    pages["ceo-review"] = f"{ceo}review/"
    pages["cto-welcome"] = cto
    for key in ("view", "dimensions", "overlap"):
        pages[f"cto-{key}"] = f"{cto}step/{key}/"
    pages["cto-review"] = f"{cto}review/"
    pages["ceo-done"] = w["done_link"]
    pages["link-unknown"] = "/a/not-a-real-link/"
    pages["sign-in"] = "/accounts/login/"
    pages["password-reset"] = "/accounts/password-reset/"
    return pages


# The links, buttons and fields a page shows that lie beyond the left or right edge.
OFFSCREEN = """(width) => Array.from(
    document.querySelectorAll('main a, main button, main input, main select, main textarea'))
  .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
  .filter((el) => { const r = el.getBoundingClientRect();
                    return r.width > 0 && (r.right > width + 1 || r.left < -1); })
  .map((el) => el.outerHTML.slice(0, 80))"""


def check(page, name: str) -> None:
    for width in at_each_width(page):
        shot(page, f"{name}-{width}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} scrolls sideways at {width}px: {scroll}px wide"
        # Nothing the page offers lies off the screen, hidden in a table that scrolls.
        offscreen = page.evaluate(OFFSCREEN, width)
        assert not offscreen, f"{name} at {width}px: {offscreen}"
        violations = axe_violations(page)
        assert not violations, f"{name} at {width}px: {describe(violations)}"


def test_every_advisor_page_fits(new_context, live_server, workspace, advisor):
    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    page = context.new_page()
    for name, path in advisor_pages(workspace).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        check(page, name)


def test_every_respondent_page_fits(new_context, live_server, workspace):
    page = new_context(bypass_csp=True).new_page()
    for name, path in respondent_pages(workspace).items():
        response = page.goto(live_server.url + path)
        expected = 404 if name == "link-unknown" else 200
        assert response.status == expected, f"{name}: {response.status}"
        check(page, name)


def test_on_a_phone_each_engagement_is_a_card_and_every_action_is_in_reach(
    new_context, live_server, workspace, advisor
):
    context = new_context(viewport=PHONE, bypass_csp=True)
    sign_in(context, advisor, live_server)
    page = context.new_page()

    page.goto(live_server.url + "/")
    assert not page.locator(".engagement-list thead").is_visible() or (
        page.locator(".engagement-list thead").bounding_box()["height"] <= 1
    )
    rows = page.locator(".engagement-list tbody tr")
    assert rows.count() == 3
    for index in range(rows.count()):
        box = rows.nth(index).bounding_box()
        assert box["width"] <= PHONE["width"] and box["height"] > 100  # a card, not a line
        labels = rows.nth(index).evaluate(
            "row => Array.from(row.querySelectorAll('[data-label]'))"
            ".map((td) => getComputedStyle(td, '::before').content)"
        )
        assert labels == ['"State"', '"Lead advisor"', '"Board meeting"', '"Updated"']

    page.goto(live_server.url + f"/clients/{workspace['client'].pk}/")
    for name in ("Edit Tariq Al-Rashid", "Remove Tariq Al-Rashid"):
        control = page.get_by_role(page_role(name), name=name)
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name

    page.goto(live_server.url + f"/engagements/{workspace['engagement'].pk}/")
    actions = page.locator(".memo-actions a, .memo-actions button")
    assert actions.count() >= 3
    for index in range(actions.count()):
        box = actions.nth(index).bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"]
    revoke = page.get_by_role("link", name="Revoke link").first
    assert revoke.bounding_box()["x"] + revoke.bounding_box()["width"] <= PHONE["width"]


def page_role(name: str) -> str:
    return "link" if name.startswith("Edit") else "button"
