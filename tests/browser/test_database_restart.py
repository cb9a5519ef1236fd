"""Drill: PostgreSQL restarts between two autosaves; the CEO loses no answer."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from assessments.models import Assessment
from assessments.services.answers import assessment_answers
from assessments.services.invitations import invitation_send
from tests.browser.ui import answer_question, wait_saved

pytestmark = [
    pytest.mark.services,
    pytest.mark.disruptive,
    pytest.mark.django_db(transaction=True),
]


def restart_postgresql() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )


@pytest.fixture
def restartable_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the drill restarts PostgreSQL")
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        pytest.skip("PostgreSQL is not a local cluster this test can restart")
    if os.geteuid() != 0:
        pytest.skip("restarting PostgreSQL needs root")


def test_autosave_after_a_database_restart_keeps_every_answer(
    restartable_postgresql, new_context, engagement, ceo, advisor
):
    link = invitation_send(engagement=engagement, person=ceo, actor=advisor)
    page = new_context().new_page()
    page.goto(link.rstrip("/") + "/step/profile/")
    answer_question(page, "profile.employees", 640)
    wait_saved(page, "profile.employees")

    restart_postgresql()
    connection.close()  # this thread's connection died with the server

    answer_question(page, "profile.ai_spend_usd", 2_500_000)
    # The page retries a failed save by itself; either way it ends saved.
    wait_saved(page, "profile.ai_spend_usd")
    answers = assessment_answers(Assessment.objects.get(engagement=engagement))
    assert answers == {"profile.employees": 640, "profile.ai_spend_usd": 2_500_000}
