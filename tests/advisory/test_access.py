"""Every advisor URL: anonymous → sign-in; another firm's advisor → 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advisory.models import Engagement, Person

pytestmark = pytest.mark.django_db


def object_urls(engagement: Engagement, person: Person) -> list[tuple[str, str]]:
    client = engagement.client
    return [
        ("get", reverse("client_detail", args=[client.pk])),
        ("get", reverse("client_edit", args=[client.pk])),
        ("post", reverse("client_archive", args=[client.pk])),
        ("get", reverse("person_create", args=[client.pk])),
        ("get", reverse("person_edit", args=[person.pk])),
        ("post", reverse("person_archive", args=[person.pk])),
        ("get", reverse("engagement_detail", args=[engagement.pk])),
        ("get", reverse("engagement_edit", args=[engagement.pk])),
        ("post", reverse("engagement_archive", args=[engagement.pk])),
    ]


LIST_URLS = ["dashboard", "client_list", "client_create", "engagement_create"]


@pytest.mark.parametrize("name", LIST_URLS)
def test_anonymous_is_sent_to_sign_in_for_lists(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_is_sent_to_sign_in_for_objects(client, engagement, ceo):
    for method, url in object_urls(engagement, ceo):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_outsider_gets_404_for_every_object(outsider_http, engagement, ceo):
    for method, url in object_urls(engagement, ceo):
        response = getattr(outsider_http, method)(url)
        assert response.status_code == 404, url
    engagement.refresh_from_db()
    ceo.refresh_from_db()
    assert engagement.archived_at is None
    assert ceo.archived_at is None


def test_colleague_in_the_same_firm_sees_the_engagement(colleague, engagement):
    from tests.conftest import signed_in

    response = signed_in(colleague).get(reverse("engagement_detail", args=[engagement.pk]))
    assert response.status_code == 200
    assert engagement.title in response.content.decode()


def test_outsider_dashboard_and_client_list_hide_other_firms(outsider_http, engagement):
    for name in ("dashboard", "client_list"):
        body = outsider_http.get(reverse(name)).content.decode()
        assert engagement.client.name not in body


def test_outsider_cannot_open_engagement_for_another_firms_client(
    outsider_http, client_org, outsider
):
    response = outsider_http.post(
        reverse("engagement_create"),
        {"client": client_org.pk, "title": "Sneaky", "lead_advisor": outsider.pk},
    )
    assert response.status_code == 200
    assert "client" in response.context["form"].errors
    assert not Engagement.objects.filter(title="Sneaky").exists()


def test_advisor_cannot_pick_another_firms_advisor_as_lead(advisor_http, client_org, outsider):
    response = advisor_http.post(
        reverse("engagement_create"),
        {"client": client_org.pk, "title": "Review", "lead_advisor": outsider.pk},
    )
    assert "lead_advisor" in response.context["form"].errors
