"""Other leaders' perspectives in the product (methodology 2026.2 §7): inviting them, their
questionnaire, what the results page and the memo make of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advisory.models import AuditEvent, Engagement, Person
from advisory.tokens import token_hash
from assessments.forms import field_name
from assessments.models import Assessment, Invitation
from assessments.questionnaire import PERSPECTIVE_QUESTIONNAIRE
from assessments.services.answers import (
    assessment_answers,
    assessment_for,
    assessment_submit,
    perspective_for,
)
from assessments.services.invitations import InvitationError, perspective_invite
from assessments.services.scoring import assessment_document
from tests.assessments.factories import perspective as perspective_answers
from tests.assessments.factories import valid_answers
from tests.assessments.helpers import answer_all, invite, invite_leader, token_of
from tests.conftest import clear_cache, send_queued, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_cache()


@pytest.fixture
def cto(client_org) -> Person:
    return Person.objects.create(
        client=client_org, name="Tariq Tech", email="tariq@acme.example", role=Person.Role.CTO
    )


@pytest.fixture
def cfo(client_org) -> Person:
    return Person.objects.create(
        client=client_org, name="Fiona Funds", email="fiona@acme.example", role=Person.Role.CFO
    )


def submit_ceo(engagement, ceo, advisor, answers=None) -> Assessment:
    invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    answer_all(assessment, answers or valid_answers())
    assert assessment_submit(assessment=assessment) == []
    return assessment


def submit_perspective(engagement, person, advisor, answers: dict) -> Assessment:
    invite_leader(engagement, person, advisor)
    assessment = perspective_for(engagement, person)
    answer_all(assessment, answers)
    assert assessment_submit(assessment=assessment) == []
    return assessment


# --- Inviting a leader ---------------------------------------------------------------------


def test_a_leader_gets_a_personal_link_to_the_shorter_questionnaire(engagement, cto, advisor):
    link = perspective_invite(engagement=engagement, person=cto, actor=advisor)

    invitation = Invitation.objects.get(person=cto)
    assert invitation.token_hash == token_hash(token_of(link))  # only the hash is stored
    assert token_of(link) not in str(Invitation.objects.values())
    assert invitation.assessment.respondent == "cto" and not invitation.assessment.is_ceo
    assert invitation.expires_at > timezone.now() + timedelta(days=29)
    send_queued()
    (message,) = mail.outbox
    assert message.to == [cto.email] and link in message.body
    assert "as CTO" in message.body and "never by your name" in message.body
    assert AuditEvent.objects.filter(action="perspective.invited").exists()
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.NOT_STARTED  # perspectives do not move it


def test_a_new_link_for_a_leader_replaces_only_their_old_one(engagement, ceo, cto, advisor):
    ceo_token = invite(engagement, ceo, advisor)
    first = invite_leader(engagement, cto, advisor)
    second = invite_leader(engagement, cto, advisor)
    by_hash = {i.token_hash: i for i in Invitation.objects.select_related("engagement__client")}
    assert by_hash[token_hash(first)].revoked_at is not None
    assert by_hash[token_hash(second)].is_usable
    assert by_hash[token_hash(ceo_token)].is_usable


def test_who_can_be_invited_to_give_a_perspective(engagement, ceo, cto, advisor, other_firm):
    with pytest.raises(InvitationError, match="CEO answers the assessment itself"):
        perspective_invite(engagement=engagement, person=ceo, actor=advisor)
    stranger_client = type(engagement.client).objects.create(firm=other_firm, name="Elsewhere")
    stranger = Person.objects.create(
        client=stranger_client, name="S", email="s@x.example", role=Person.Role.CTO
    )
    with pytest.raises(InvitationError, match="listed for this client"):
        perspective_invite(engagement=engagement, person=stranger, actor=advisor)
    Engagement.objects.filter(pk=engagement.pk).update(archived_at=timezone.now())
    engagement.refresh_from_db()
    with pytest.raises(InvitationError, match="archived"):
        perspective_invite(engagement=engagement, person=cto, actor=advisor)
    assert not Invitation.objects.exists()


def test_an_engagement_on_2026_1_takes_no_perspectives_until_moved(engagement, cto, advisor):
    assessment = assessment_for(engagement)
    assessment.methodology_version = "cto-caio-2026.1"
    assessment.save()
    with pytest.raises(InvitationError, match="reads the CEO's answers only"):
        perspective_invite(engagement=engagement, person=cto, actor=advisor)


def test_a_submitted_perspective_needs_no_new_link(engagement, cto, advisor):
    submit_perspective(
        engagement, cto, advisor, perspective_answers("cto", valid_answers())["answers"]
    )
    with pytest.raises(InvitationError, match="already given their perspective"):
        perspective_invite(engagement=engagement, person=cto, actor=advisor)


def test_an_assessment_takes_at_most_ten_perspectives(engagement, client_org, advisor):
    people = [
        Person.objects.create(
            client=client_org, name=f"Board {n}", email=f"b{n}@acme.example", role="board"
        )
        for n in range(11)
    ]
    for person in people[:10]:
        perspective_invite(engagement=engagement, person=person, actor=advisor)
    with pytest.raises(InvitationError, match="at most 10"):
        perspective_invite(engagement=engagement, person=people[10], actor=advisor)


def test_the_advisor_invites_a_leader_and_sees_the_link_once(advisor_http, engagement, cto):
    page = advisor_http.get(engagement.get_absolute_url()).content.decode()
    assert "Invite to give a perspective" in page and "Tariq Tech (CTO)" in page
    url = reverse("perspective_invite", args=[engagement.pk])
    response = advisor_http.post(url, {"person": cto.pk, "request_key": "one-form"})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    link = response.context["link"]
    assert "to give their perspective as CTO" in response.content.decode()
    again = advisor_http.post(url, {"person": cto.pk, "request_key": "one-form"}, follow=True)
    assert "shown once" in again.content.decode()
    assert Invitation.objects.filter(person=cto).count() == 1
    detail = advisor_http.get(engagement.get_absolute_url()).content.decode()
    assert link not in detail
    assert "Tariq Tech" in detail and "Valid until" in detail and "Not yet" in detail


def test_the_engagement_page_shows_each_leaders_progress(advisor_http, engagement, cto, advisor):
    token = invite_leader(engagement, cto, advisor)
    signed_in(advisor)  # another device for the leader would not matter; the link is the key
    answer_all(perspective_for(engagement, cto), {"leadership.cto_capacity": 5})
    advisor_http.get(reverse("questionnaire_welcome", args=[token]))
    page = advisor_http.get(engagement.get_absolute_url()).content.decode()
    row = page.split("Tariq Tech", 1)[1].split("</tr>", 1)[0]
    assert "5%" in row  # 1 of 21 required answers
    assert "Not yet" not in row  # opened


def test_leader_views_need_a_signed_in_advisor_of_the_firm(client, outsider_http, engagement, cto):
    url = reverse("perspective_invite", args=[engagement.pk])
    anonymous = client.post(url, {"person": cto.pk})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert outsider_http.post(url, {"person": cto.pk}).status_code == 404
    move = reverse("methodology_move", args=[engagement.pk])
    assert client.post(move).status_code == 302
    assert outsider_http.post(move).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("person", ["99999999999999999999", "abc", ""])
def test_a_bad_leader_id_is_refused_with_a_message(advisor_http, engagement, cto, person):
    response = advisor_http.post(
        reverse("perspective_invite", args=[engagement.pk]), {"person": person}, follow=True
    )
    assert response.status_code == 200
    assert "leaders listed here" in response.content.decode() or "required" in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()


# --- The perspective questionnaire -----------------------------------------------------------


@pytest.fixture
def leader_token(engagement, cto, advisor) -> str:
    return invite_leader(engagement, cto, advisor)


def test_the_welcome_page_says_who_sees_the_answers_and_how_they_are_attributed(
    client, leader_token
):
    page = client.get(reverse("questionnaire_welcome", args=[leader_token])).content.decode()
    assert "Welcome, Tariq Tech" in page
    assert "3 short steps" in page
    assert "by your role (CTO), never by your name" in page


def test_the_perspective_questionnaire_has_three_short_steps(client, leader_token):
    keys = [s.key for s in PERSPECTIVE_QUESTIONNAIRE.sections]
    assert keys == ["view", "dimensions", "overlap"]
    first = client.get(reverse("questionnaire_step", args=[leader_token, "view"]))
    html = first.content.decode()
    assert "How full is the CTO&#x27;s plate?" in html
    assert "Who is answerable for what AI does for the business?" in html
    assert "How many people does the company employ?" not in html
    # The CEO's steps are not there.
    assert (
        client.get(reverse("questionnaire_step", args=[leader_token, "profile"])).status_code == 302
    )


def test_a_leader_can_answer_only_perspective_codes(client, leader_token, engagement, cto):
    save = reverse("questionnaire_autosave", args=[leader_token])
    ok = client.post(save, {"field": field_name("leadership.cto_capacity"), "value": "5"})
    assert ok.json()["ok"] is True
    refused = client.post(save, {"field": field_name("profile.employees"), "value": "50"})
    assert refused.status_code == 400
    assert assessment_answers(perspective_for(engagement, cto)) == {"leadership.cto_capacity": 5}


def test_a_leader_reviews_submits_and_the_answers_lock(client, leader_token, engagement, cto):
    review = reverse("questionnaire_review", args=[leader_token])
    refused = client.post(review)
    assert refused.status_code == 400
    assert "How full is the CTO&#x27;s plate?" in refused.content.decode()
    answer_all(
        perspective_for(engagement, cto), perspective_answers("cto", valid_answers())["answers"]
    )
    assert client.post(review).status_code == 302
    done = client.get(reverse("questionnaire_welcome", args=[leader_token])).content.decode()
    assert "your answers are in" in done
    assessment = perspective_for(engagement, cto)
    assert assessment.is_submitted
    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.NOT_STARTED
    event = AuditEvent.objects.get(action="perspective.submitted")
    assert event.actor_label == "Tariq Tech (CTO, personal link)"
    save = reverse("questionnaire_autosave", args=[leader_token])
    late = client.post(save, {"field": field_name("leadership.cto_capacity"), "value": "1"})
    assert late.status_code == 409


def test_perspective_links_are_rate_limited_like_the_ceos(client, leader_token, settings):
    settings.QUESTIONNAIRE_RATE_PER_LINK = "3/m"
    url = reverse("questionnaire_welcome", args=[leader_token])
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --- What the results page and the memo make of them ----------------------------------------


def test_the_results_page_shows_where_the_leaders_see_it_differently(
    advisor_http, engagement, ceo, cto, advisor
):
    ceo_answers = valid_answers(accountability__outcomes_owner="cto")
    submit_ceo(engagement, ceo, advisor, ceo_answers)
    view = perspective_answers(
        "cto",
        ceo_answers,
        {
            "accountability.outcomes_owner": "nobody",
            "leadership.cto_capacity": 5,
            "dimension.primary_focus.today": 5,
            "overlap.cloud_compute": "contested",
        },
    )
    submit_perspective(engagement, cto, advisor, view["answers"])

    response = advisor_http.get(reverse("assessment_results", args=[engagement.pk]))
    html = response.content.decode()
    assert "Where the leaders see it differently" in html
    assert "the CEO names the CTO; the CTO names nobody" in html
    assert "The CTO rates their own load 5 out of 5" in html and "the CEO estimated 3" in html
    assert "Divergent" in html
    assert "Cloud and compute allocation" in html.split("Shared ground they see differently")[1]
    result = response.context["result"]
    assert "disputed_ownership" in result.flags
    assert result.perception.cto_capacity_used == 5
    # The perspective's own answers are listed too, under the leader's name for the advisor.
    assert "Tariq Tech, CTO" in html


def test_without_perspectives_the_results_page_invites_them(advisor_http, engagement, ceo, advisor):
    submit_ceo(engagement, ceo, advisor)
    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()
    assert "Only the CEO has answered so far" in html


def test_a_memo_version_snapshots_the_perspectives_submitted_when_it_is_requested(
    engagement, ceo, cto, cfo, advisor, django_capture_on_commit_callbacks
):
    from assessments.methodology import answers_sha256
    from reports.services.memos import memo_request

    ceo_answers = valid_answers()
    submit_ceo(engagement, ceo, advisor, ceo_answers)
    cto_view = perspective_answers("cto", ceo_answers, leadership__cto_capacity=5)["answers"]
    submit_perspective(engagement, cto, advisor, cto_view)
    with django_capture_on_commit_callbacks(execute=False):
        v1 = memo_request(engagement=engagement, actor=advisor)
    assert v1.answers == {
        "answers": ceo_answers,
        "perspectives": [{"role": "cto", "answers": cto_view}],
    }
    assert v1.answers_sha256 == answers_sha256(v1.answers)
    assert v1.methodology_version == "cto-caio-2026.2"

    # A perspective submitted later is on the results page, and needs a new version.
    submit_perspective(engagement, cfo, advisor, perspective_answers("cfo", ceo_answers)["answers"])
    v1.refresh_from_db()
    assert len(v1.answers["perspectives"]) == 1
    assert len(assessment_document(engagement)["perspectives"]) == 2
    with django_capture_on_commit_callbacks(execute=False):
        v2 = memo_request(engagement=engagement, actor=advisor)
    assert [p["role"] for p in v2.answers["perspectives"]] == ["cto", "cfo"]


def test_the_results_page_says_when_a_perspective_came_after_the_memo(
    advisor_http, engagement, ceo, cto, advisor, django_capture_on_commit_callbacks
):
    from reports.services.memos import memo_request

    submit_ceo(engagement, ceo, advisor)
    with django_capture_on_commit_callbacks(execute=False):
        memo_request(engagement=engagement, actor=advisor)
    submit_perspective(
        engagement, cto, advisor, perspective_answers("cto", valid_answers())["answers"]
    )
    html = advisor_http.get(reverse("assessment_results", args=[engagement.pk])).content.decode()
    assert "after the newest memo version was prepared" in html
