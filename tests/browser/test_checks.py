"""The browser tests' own checks can fail: axe, run as they run it, finds a missing text
alternative and faint text, and each width is a real re-layout."""

from __future__ import annotations

import pytest

from tests.browser.conftest import at_each_width, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAULTS = """document.querySelector('main').insertAdjacentHTML('beforeend',
  '<img src="/static/img/favicon.svg"><p style="color: #eeeeee">Barely there</p>')"""


def test_axe_as_the_tests_run_it_finds_serious_problems_at_each_width(new_context, live_server):
    page = new_context(bypass_csp=True).new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(FAULTS)
    widths = []
    for width in at_each_width(page):
        widths.append(page.evaluate("window.innerWidth"))
        found = {violation["id"] for violation in axe_violations(page)}
        assert {"image-alt", "color-contrast"} <= found, (width, found)
    assert widths == [390, 1280]
