"""Malformed and hostile input at every advisor form: a clear answer, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisory.models import Client, User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "9" * 400,
            "-1",
            "1e309",
            "https://169.254.169.254/",
            "javascript:alert(1)",
            "😀" * 50,
            "%s%s%n",
        ]
    ),
)
FORM_FIELDS = {
    "client_create": ["name", "sector", "country", "employees", "website", "notes"],
    "engagement_create": ["client", "title", "lead_advisor", "board_meeting_date"],
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(sorted(FORM_FIELDS)), data=st.data())
def test_advisor_forms_never_fail_on_hostile_input(advisor_http, client_org, name, data):
    payload = {field: data.draw(HOSTILE) for field in FORM_FIELDS[name]}
    response = advisor_http.post(reverse(name), payload)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(HOSTILE, min_size=4, max_size=4))
def test_person_form_never_fails_on_hostile_input(advisor_http, client_org, values):
    payload = dict(zip(["name", "email", "role", "title"], values, strict=True))
    response = advisor_http.post(reverse("person_create", args=[client_org.pk]), payload)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "query",
    [
        {"q": "\x00"},
        {"q": "%"},
        {"state": "<b>"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999"},
        {"archived": "maybe"},
    ],
)
def test_dashboard_survives_odd_query_strings(advisor_http, query):
    response = advisor_http.get(reverse("dashboard"), query)
    assert response.status_code in (200, 404)


def test_hostile_client_name_is_shown_as_text(advisor_http, firm):
    client = Client.objects.create(firm=firm, name="<img src=x onerror=alert(1)>")
    body = advisor_http.get(client.get_absolute_url()).content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_unknown_page_is_a_friendly_404(advisor_http):
    response = advisor_http.get("/no-such-page/")
    assert response.status_code == 404
    assert "could not find that page" in response.content.decode()


def test_forged_post_without_csrf_says_what_to_do(advisor):
    from django.test import Client as HttpClient

    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(advisor)
    response = http.post(reverse("client_create"), {"name": "Forged"})
    assert response.status_code == 403
    assert "nothing was saved" in response.content.decode()
    assert not Client.objects.filter(name="Forged").exists()


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


# Ids beyond what any integer column holds: SQLite raised OverflowError for these.
HUGE_IDS = ["99999999999999999999", "9223372036854775808", "-1", "0", "1e3", "١٢"]


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_an_out_of_range_board_member_id_is_a_form_error(advisor_http, delivery, huge):
    link, _ = delivery
    response = advisor_http.post(
        reverse("memo_send", args=[link.memo_version_id]), {"people": huge}
    )
    assert response.status_code == 400
    assert "Send to: choose only people listed here." in response.content.decode()


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_an_out_of_range_ceo_id_is_refused_with_a_message(advisor_http, engagement, ceo, huge):
    response = advisor_http.post(
        reverse("invitation_send", args=[engagement.pk]), {"person": huge}, follow=True
    )
    assert response.status_code == 200
    assert "Choose the client&#x27;s CEO to invite." in response.content.decode()


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_out_of_range_client_and_advisor_ids_are_form_errors(advisor_http, client_org, huge):
    response = advisor_http.post(
        reverse("engagement_create"),
        {"client": huge, "title": "Review", "lead_advisor": huge, "board_meeting_date": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "client" in errors and "lead_advisor" in errors
    assert response.context["form"]["title"].value() == "Review"


def test_an_out_of_range_id_in_a_url_is_a_404(advisor_http):
    assert advisor_http.get("/engagements/99999999999999999999/").status_code == 404
    assert advisor_http.get("/clients/99999999999999999999/").status_code == 404
