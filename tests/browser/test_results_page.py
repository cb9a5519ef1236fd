"""The advisor's results page in Chromium, on a laptop and on a phone: the chart's words stay
readable, the CEO's head count is set against the client record, and axe finds nothing."""

from __future__ import annotations

import pytest

from assessments.explanations import FLAG_TITLES, SIGNAL_TITLES
from tests.assessments.factories import valid_answers
from tests.browser.conftest import at_each_width, axe_violations, describe, shot, sign_in
from tests.conftest import submit_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest size, in CSS pixels, a label of the chart may be drawn at.
SMALLEST_LABEL_PX = 11

# Each visible text of the chart as drawn: its font size times the scale the SVG is drawn at.
RENDERED_SIZES = """
() => Array.from(document.querySelectorAll('.dimension-chart svg'))
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => {
    const scale = svg.getScreenCTM().a;
    return Array.from(svg.querySelectorAll('text')).map((text) => ({
      text: text.textContent,
      px: parseFloat(getComputedStyle(text).fontSize) * scale,
      height: text.getBoundingClientRect().height,
    }));
  })
"""


def test_results_chart_labels_are_readable_and_the_page_fits(
    new_context, live_server, engagement, advisor, client_org
):
    client_org.employees = 950
    client_org.save()
    submit_answers(engagement, valid_answers({"profile.employees": 140}))
    context = new_context(bypass_csp=True)
    sign_in(context, advisor, live_server)
    page = context.new_page()
    page.goto(f"{live_server.url}/engagements/{engagement.pk}/results/")

    assert (
        page.get_by_test_id("size-difference")
        .inner_text()
        .startswith("The CEO answered 140 employees; the client record says 950.")
    )
    text = page.locator("main").inner_text()
    for title in (*SIGNAL_TITLES.values(), *FLAG_TITLES.values()):
        assert f"{title}?" not in text

    for width in at_each_width(page):
        shot(page, f"results-{width}")
        sizes = page.evaluate(RENDERED_SIZES)
        names = {size["text"] for size in sizes}
        assert {"Primary focus", "Stakeholder relationship", "CTO mandate", "Today"} <= names
        small = [s for s in sizes if s["px"] < SMALLEST_LABEL_PX]
        assert not small, (width, small)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = axe_violations(page)
        assert not violations, f"{width}px: {describe(violations)}"
