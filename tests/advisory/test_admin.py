"""/admin/ is for operators (staff accounts): everyone else sees the app's sign-in or a 404."""

from __future__ import annotations

import pytest

from advisory.models import User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser(email="ops@install.example", password="x-ops-pass-77")


def test_anonymous_visitors_are_sent_to_the_app_s_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"
    response = client.get("/admin/login/")
    assert response.url == "/accounts/login/?next=/admin/"
    assert client.get("/admin/advisory/firm/").url == "/accounts/login/?next=/admin/advisory/firm/"


def test_advisors_who_are_not_staff_get_a_404_not_a_sign_in_form(advisor_http):
    for path in ("/admin/", "/admin/login/", "/admin/advisory/firm/", "/admin/no-such-page/"):
        response = advisor_http.get(path)
        assert response.status_code == 404, path
        assert "Log in" not in response.content.decode()


def test_operators_find_firms_people_clients_engagements_and_memos(operator, version, advisor):
    http = signed_in(operator)
    index = http.get("/admin/").content.decode()
    for model in ("Firms", "Memberships", "Clients", "Engagements", "Memo versions", "Users"):
        assert model in index, model
    assert "TOTP" not in index  # authenticator secrets are nobody's to read
    found = http.get("/admin/advisory/client/", {"q": "acme"}).content.decode()
    assert "Acme Logistics" in found
    found = http.get("/admin/advisory/firm/", {"q": "northgate"}).content.decode()
    assert "Northgate Advisory" in found
    assert http.get("/admin/advisory/membership/", {"q": advisor.email}).status_code == 200
    assert http.get("/admin/advisory/engagement/", {"q": "acme"}).status_code == 200
    assert http.get("/admin/reports/memoversion/", {"q": "acme"}).status_code == 200


def test_memo_versions_are_read_only_and_never_deleted(operator, version):
    http = signed_in(operator)
    page = http.get(f"/admin/reports/memoversion/{version.pk}/change/").content.decode()
    assert 'name="answers"' not in page and 'name="answers_sha256"' not in page
    assert http.get(f"/admin/reports/memoversion/{version.pk}/delete/").status_code == 403
    response = http.post(
        f"/admin/reports/memoversion/{version.pk}/change/", {"commentary": "edited"}
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.commentary == "<script>alert(1)</script>"


def test_an_operator_may_rename_a_firm_but_not_its_branding(operator, firm):
    http = signed_in(operator)
    page = http.get(f"/admin/advisory/firm/{firm.pk}/change/").content.decode()
    assert 'name="name"' in page and 'name="accent_color"' not in page
    assert http.get("/admin/advisory/firm/add/").status_code == 403


def test_the_user_page_never_shows_the_password_hash(operator, advisor):
    http = signed_in(operator)
    page = http.get(f"/admin/advisory/user/{advisor.pk}/change/").content.decode()
    assert advisor.password not in page
    assert "pbkdf2" not in page and "md5$" not in page
