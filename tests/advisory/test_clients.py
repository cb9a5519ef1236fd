from __future__ import annotations

import pytest
from django.urls import reverse

from advisory.models import AuditEvent, Client, Person

pytestmark = pytest.mark.django_db


def test_advisor_creates_a_client_and_it_is_audited(advisor_http, advisor, firm):
    response = advisor_http.post(
        reverse("client_create"),
        {
            "name": "  Orbit Foods ",
            "sector": "Food",
            "country": "Spain",
            "employees": "800",
            "website": "https://orbit.example",
            "notes": "Met at the summit.",
        },
    )
    client = Client.objects.get(name="Orbit Foods")
    assert response.status_code == 302
    assert response.url == client.get_absolute_url()
    assert client.firm == firm
    event = AuditEvent.objects.get(client=client)
    assert event.actor == advisor
    assert "Created client Orbit Foods" in event.summary


def test_invalid_client_keeps_everything_typed_and_names_the_field(advisor_http):
    response = advisor_http.post(
        reverse("client_create"),
        {
            "name": "Orbit Foods",
            "sector": "Food",
            "employees": "lots",
            "website": "not a url",
            "notes": "Long notes the advisor wrote.",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"employees", "website"}
    body = response.content.decode()
    assert 'value="Orbit Foods"' in body
    assert "Long notes the advisor wrote." in body
    assert 'value="lots"' in body
    assert "Enter a whole number" in body
    assert not Client.objects.exists()


def test_edit_records_which_fields_changed(advisor_http, client_org):
    advisor_http.post(
        reverse("client_edit", args=[client_org.pk]),
        {
            "name": client_org.name,
            "sector": "Freight",
            "country": client_org.country,
            "employees": client_org.employees,
            "website": "",
            "notes": "",
        },
    )
    client_org.refresh_from_db()
    assert client_org.sector == "Freight"
    summaries = list(AuditEvent.objects.filter(client=client_org).values_list("summary", flat=True))
    assert any("sector" in s for s in summaries)


def test_archived_client_leaves_the_list(advisor_http, client_org):
    response = advisor_http.post(reverse("client_archive", args=[client_org.pk]), follow=True)
    assert f"Client {client_org.name} archived." in response.content.decode()
    client_org.refresh_from_db()
    assert client_org.archived_at is not None
    assert client_org.name not in advisor_http.get(reverse("client_list")).content.decode()


def test_add_the_ceo_and_a_board_member(advisor_http, client_org):
    for name, email, role in [("Cleo", "cleo@x.example", "ceo"), ("Ben", "ben@x.example", "board")]:
        response = advisor_http.post(
            reverse("person_create", args=[client_org.pk]),
            {"name": name, "email": email, "role": role, "title": ""},
        )
        assert response.status_code == 302
    roles = dict(Person.objects.filter(client=client_org).values_list("name", "role"))
    assert roles == {"Cleo": "ceo", "Ben": "board"}
    body = advisor_http.get(client_org.get_absolute_url()).content.decode()
    assert "cleo@x.example" in body and "Board member" in body


def test_duplicate_email_for_the_same_client_is_refused_clearly(advisor_http, client_org, ceo):
    response = advisor_http.post(
        reverse("person_create", args=[client_org.pk]),
        {"name": "Again", "email": ceo.email.upper(), "role": "board"},
    )
    assert response.status_code == 200
    assert "already listed" in response.context["form"].errors["email"][0]
    assert 'value="Again"' in response.content.decode()


def test_person_without_a_valid_email_is_refused(advisor_http, client_org):
    response = advisor_http.post(
        reverse("person_create", args=[client_org.pk]),
        {"name": "Nomail", "email": "nomail", "role": "board"},
    )
    assert "email" in response.context["form"].errors


def test_head_count_is_typed_and_shown_with_its_thousands_separated(advisor_http, client_org):
    response = advisor_http.post(
        reverse("client_edit", args=[client_org.pk]),
        {"name": client_org.name, "employees": "12,500"},
    )
    assert response.status_code == 302
    client_org.refresh_from_db()
    assert client_org.employees == 12_500

    form = advisor_http.get(reverse("client_edit", args=[client_org.pk])).content.decode()
    assert 'value="12,500"' in form
    assert 'inputmode="numeric"' in form
    detail = advisor_http.get(reverse("client_detail", args=[client_org.pk])).content.decode()
    assert "12,500 employees" in detail
    listing = advisor_http.get(reverse("client_list")).content.decode()
    assert "12,500" in listing


def test_a_head_count_grouped_wrongly_is_refused(advisor_http, client_org):
    response = advisor_http.post(
        reverse("client_edit", args=[client_org.pk]),
        {"name": client_org.name, "employees": "1,25"},
    )
    assert "employees" in response.context["form"].errors
