"""What a crafted post to a CEO's link gets: a clear answer or a 400, never a server error,
and nothing stored that a browser would not have sent."""

from __future__ import annotations

import pytest

from assessments.forms import SHOWN_FIELD
from assessments.models import Answer
from assessments.services.answers import assessment_for
from assessments.services.invitations import invitation_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def link_path(engagement, ceo, advisor) -> str:
    link = invitation_send(engagement=engagement, person=ceo, actor=advisor)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_nul_characters_in_an_answer_are_dropped_not_a_server_error(client, link_path):
    response = client.post(
        link_path + "save/", {"field": "context-concerns", "value": "Budget\x00 worries"}
    )
    assert response.status_code == 200
    assert Answer.objects.get(code="context.concerns").value == "Budget worries"


def test_an_enormous_answer_is_kept_only_up_to_a_generous_size(client, link_path):
    client.post(link_path + "save/", {"field": "context-concerns", "value": "x" * 1_000_000})
    answer = Answer.objects.get(code="context.concerns")
    assert len(answer.raw) == 10_000
    assert "5,000" in answer.error or "5000" in answer.error


@pytest.mark.parametrize(
    "shown",
    [
        "[" * 1000 + "]" * 1000,  # deep enough to exhaust the JSON parser's recursion
        '{"a": ' * 5000 + "[]" + "}" * 5000,
        '{"profile-employees": ["' + "9" * 200_000 + '"]}',
        "not json",
        '{"profile-ai_functions": 5}',
        '[1, "a"]',
        "null",
        '{"x": [1, 2]}',
    ],
    ids=["deep-list", "deep-object", "oversized", "not-json", "number", "list", "null", "ints"],
)
def test_a_tampered_hidden_field_is_a_400_and_saves_nothing(client, link_path, engagement, shown):
    assessment_for(engagement)
    response = client.post(
        link_path + "step/profile/", {SHOWN_FIELD: shown, "profile-employees": "120"}
    )
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_hidden_field_as_the_page_writes_it_is_accepted(client, link_path, engagement):
    assessment_for(engagement)
    response = client.post(
        link_path + "step/profile/",
        {SHOWN_FIELD: '{"profile-employees": ["90"]}', "profile-employees": "120"},
    )
    assert response.status_code == 302
    assert Answer.objects.get(code="profile.employees").value == 120
