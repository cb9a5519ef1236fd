"""Inputs and states that once made a server error or kept a withdrawn link working."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from advisory.models import User
from assessments.forms import SHOWN_FIELD
from assessments.models import Answer
from assessments.services import assessment_for, invitation_send
from tests.conftest import signed_in

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


def test_archiving_the_engagement_withdraws_the_ceo_link(client, link_path, engagement):
    engagement.archived_at = timezone.now()
    engagement.save()
    assert client.get(link_path).status_code == 410
    response = client.post(link_path + "save/", {"field": "profile-employees", "value": "50"})
    assert response.status_code == 410
    assert not Answer.objects.exists()


def test_removing_the_ceo_withdraws_their_link(client, link_path, ceo):
    ceo.archived_at = timezone.now()
    ceo.save()
    response = client.get(link_path)
    assert response.status_code == 410
    assert "ask" in response.content.decode().lower()


@pytest.mark.parametrize(
    "shown", ['{"profile-ai_functions": 5}', '[1, "a"]', "null", '{"x": [1, 2]}', "not json"]
)
def test_a_tampered_step_form_is_not_a_server_error(client, link_path, engagement, shown):
    assessment_for(engagement)
    response = client.post(
        link_path + "step/profile/", {SHOWN_FIELD: shown, "profile-employees": "120"}
    )
    assert response.status_code in (200, 302)


def test_an_account_without_a_firm_gets_404_pages_not_errors(db):
    loner = User.objects.create_user(email="ops@example.com", password="x-long-password-1")
    http = signed_in(loner)
    for url in ("/", "/clients/", "/accounts/password-reset/"):
        assert http.get(url).status_code in (200, 404), url


def test_odd_digits_in_the_client_parameter_are_ignored(advisor_http):
    assert advisor_http.get(reverse("engagement_create"), {"client": "²"}).status_code == 200


def test_client_search_with_a_nul_character(advisor_http, client_org):
    response = advisor_http.get(reverse("client_list"), {"q": "Acme\x00"})
    assert response.status_code == 200
    assert client_org.name in response.content.decode()


def test_invitation_subject_is_plain_text(engagement, ceo, advisor, mailoutbox):
    engagement.client.name = "Smith & Sons"
    engagement.client.save()
    invitation_send(engagement=engagement, person=ceo, actor=advisor)
    assert "Smith & Sons" in mailoutbox[-1].subject
    assert "&amp;" not in mailoutbox[-1].subject


def test_migrate_creates_the_table_the_database_cache_needs(settings):
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rate_limit_probe",
        }
    }
    migration = importlib.import_module("advisory.migrations.0002_cache_table")
    migration.create_cache_table(None, SimpleNamespace(connection=connection))
    assert "rate_limit_probe" in connection.introspection.table_names()
