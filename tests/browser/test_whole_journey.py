"""The whole journey in real Chromium against a live server, PostgreSQL and a real Celery
worker on Redis: advisor → CEO → advisor → board member, and the PDF says what `assess` says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail

from assessments.explanations import RECOMMENDATION_LABELS
from assessments.questionnaire import SECTIONS
from assessments.samples import REGULATED_LENDER
from tests.browser.ui import answer_section
from tests.conftest import PASSWORD, needs_redis
from tests.pdf import pdf_text

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    needs_redis,
]


def wait_for_email(to: str, timeout: float = 30) -> mail.EmailMessage:
    """The first email to ``to`` the worker has sent (it runs in this process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = next((m for m in mail.outbox if to in m.to), None)
        if found is not None:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no email to {to} within {timeout} s")


def assess(answers: dict[str, object]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "manage.py", "assess", "-"],
        cwd=ROOT,
        input=json.dumps(answers),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def field(page, label: str):
    # Crispy marks required fields with an asterisk after the label.
    return page.get_by_label(re.compile(rf"^\s*{label}\s*\*?\s*$"))


def fill(page, label: str, value: str) -> None:
    field(page, label).fill(value)


def test_from_new_client_to_a_board_members_download(new_context, live_server, advisor, worker):
    # The advisor signs in through the form and creates the client and its people.
    desk = new_context().new_page()
    desk.goto(live_server.url + "/accounts/login/")
    fill(desk, "Email address", advisor.email)
    fill(desk, "Password", PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.get_by_role("link", name="New client").first.click()
    fill(desk, "Name", "Quayside Bank")
    fill(desk, "Employees", "2400")
    desk.get_by_role("button", name="Save").click()
    people = [
        ("Cora Lind", "cora@quayside.example", "CEO"),
        ("Bram Holt", "bram@quayside.example", "Board member"),
        ("Uma Feld", "uma@quayside.example", "Board member"),
    ]
    for name, email, role in people:
        desk.get_by_role("link", name="Add a person").click()
        fill(desk, "Name", name)
        fill(desk, "Email", email)
        field(desk, "Role").select_option(label=role)
        desk.get_by_role("button", name="Save").click()
        assert email in desk.content()

    # Opens an engagement and invites the CEO; the page shows the personal link once.
    desk.get_by_role("link", name="New engagement").click()
    fill(desk, "Title", "Who should lead AI")
    desk.get_by_role("button", name="Save").click()
    engagement_url = desk.url
    desk.get_by_role("button", name="Invite the CEO").click()
    link = desk.input_value("#invitation-link")
    assert link.startswith(live_server.url + "/a/")

    # The CEO, in a browser of their own, answers every section and submits.
    ceo = new_context().new_page()
    ceo.goto(link)
    ceo.get_by_role("link", name="Start").click()
    for section in SECTIONS:
        answer_section(ceo, section, REGULATED_LENDER)
        last = section is SECTIONS[-1]
        ceo.get_by_role("button", name="Check my answers" if last else "Next").click()
    ceo.get_by_role("button", name="Send my answers").click()
    assert "Thank you, your answers are in" in ceo.content()

    # The advisor reads the results, which match `assess` for the same answers.
    expected = assess(REGULATED_LENDER)
    label = RECOMMENDATION_LABELS[expected["recommendation"]]
    desk.goto(engagement_url)
    desk.get_by_role("link", name="See the results").click()
    assert label in desk.content()

    # The CEO's submission had the worker prepare a draft memo; the advisor finds it ready,
    # approves it and sends it to both board members.
    desk.goto(engagement_url)
    desk.get_by_role("button", name="Approve").wait_for(timeout=60_000)
    desk.get_by_role("button", name="Approve").click()
    desk.get_by_role("link", name="Send to the board").click()
    desk.get_by_label("Bram Holt", exact=False).check()
    desk.get_by_label("Uma Feld", exact=False).check()
    desk.get_by_role("button", name="Preview the email").click()
    desk.get_by_role("button", name="Send to 2 people").click()
    assert "on its way to 2 people" in desk.content()

    # The worker sends the emails from the outbox; a board member's personal link downloads
    # their own copy, and the PDF says what `assess` says.
    to_bram = wait_for_email("bram@quayside.example")
    assert not to_bram.attachments, "the firm does not attach the memo unless it chooses to"
    download = re.search(r"https?://\S+/m/[\w-]+/", to_bram.body).group(0)
    response = new_context().request.get(download)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.body()).split())
    assert "Quayside Bank" in text
    assert label in text
    assert expected["methodology"] in text
    assert "Prepared for Bram Holt · bram@quayside.example" in text

    # Every step is in the engagement's audit trail.
    desk.goto(engagement_url)
    trail = desk.locator("#audit-heading + ol").inner_text()
    for words in ("Submitted the assessment", "Rendered memo v1", "Bram Holt downloaded memo v1"):
        assert words in trail, words
