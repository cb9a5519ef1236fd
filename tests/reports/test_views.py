"""Advisor memo pages and the board's download link: access, actions and friendly failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from advisory.models import AuditEvent, Engagement
from reports.models import Delivery, MemoVersion
from tests.conftest import PDF, clear_cache, signed_in

pytestmark = pytest.mark.django_db


def memo_urls(version: MemoVersion, delivery: Delivery) -> list[tuple[str, str]]:
    e = version.engagement_id
    return [
        ("post", reverse("memo_request", args=[e])),
        ("get", reverse("memo_status", args=[e])),
        ("get", reverse("memo_preview", args=[version.pk])),
        ("get", reverse("memo_pdf", args=[version.pk])),
        ("post", reverse("memo_retry", args=[version.pk])),
        ("get", reverse("memo_revise", args=[version.pk])),
        ("post", reverse("memo_revise", args=[version.pk])),
        ("post", reverse("memo_approve", args=[version.pk])),
        ("get", reverse("memo_send", args=[version.pk])),
        ("post", reverse("memo_send", args=[version.pk])),
        ("post", reverse("delivery_revoke", args=[delivery.pk])),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_for_every_memo_url(client, delivery) -> None:
    d, _ = delivery
    for method, url in memo_urls(d.memo_version, d):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_outsiders_get_404_for_every_memo_url(outsider_http, delivery) -> None:
    d, _ = delivery
    for method, url in memo_urls(d.memo_version, d):
        assert getattr(outsider_http, method)(url).status_code == 404, url
    d.refresh_from_db()
    assert d.revoked_at is None
    assert MemoVersion.objects.count() == 1


def test_engagement_page_shows_versions_actions_and_deliveries(advisor_http, delivery) -> None:
    d, _ = delivery
    page = advisor_http.get(d.memo_version.engagement.get_absolute_url()).content.decode()
    assert "Board memo" in page
    assert reverse("memo_preview", args=[d.memo_version.pk]) in page
    assert reverse("memo_send", args=[d.memo_version.pk]) in page
    assert "Bob Board" in page and reverse("delivery_revoke", args=[d.pk]) in page
    assert "js/memo_status.js" in page


def test_request_from_the_engagement_page(
    advisor_http, submitted, django_capture_on_commit_callbacks
):
    engagement = submitted.engagement
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = advisor_http.post(
            reverse("memo_request", args=[engagement.pk]), {"commentary": "For the board."}
        )
    assert response.status_code == 302
    version = MemoVersion.objects.get()
    assert version.commentary == "For the board." and version.state == "queued"
    assert len(callbacks) == 1
    status = advisor_http.get(reverse("memo_status", args=[engagement.pk])).json()
    assert status["pending"] is True
    assert status["versions"][0] == {
        "id": version.pk,
        "number": 1,
        "state": "queued",
        "state_label": "Queued",
        "failure_reason": "",
        "page_count": None,
    }


def test_preview_is_the_memo_in_html_under_a_strict_policy(advisor_http, version) -> None:
    response = advisor_http.get(reverse("memo_preview", args=[version.pk]))
    html = response.content.decode()
    assert "Acme Logistics" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in html
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_advisor_downloads_the_pdf_through_the_app(advisor_http, colleague, version) -> None:
    for http in (advisor_http, signed_in(colleague)):
        response = http.get(reverse("memo_pdf", args=[version.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF


def test_media_files_are_not_served_by_url(client, version) -> None:
    assert client.get("/media/" + version.pdf.name).status_code == 404


def test_approve_then_send_to_chosen_board_members(advisor_http, version, board_members) -> None:
    advisor_http.post(reverse("memo_approve", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_approved
    form = advisor_http.get(reverse("memo_send", args=[version.pk])).content.decode()
    assert "Bob Board" in form and "Carla Ceo" not in form
    response = advisor_http.post(
        reverse("memo_send", args=[version.pk]), {"people": [board_members[1].pk]}
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["beth@acme.example"]]
    assert Delivery.objects.get().person == board_members[1]


def test_send_form_refuses_the_ceo(advisor_http, version, ceo, advisor) -> None:
    version.approved_at = timezone.now()
    version.save()
    response = advisor_http.post(reverse("memo_send", args=[version.pk]), {"people": [ceo.pk]})
    assert response.status_code == 200
    assert not Delivery.objects.exists() and mail.outbox == []


def test_revise_makes_a_new_version(
    advisor_http, version, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        advisor_http.post(reverse("memo_revise", args=[version.pk]), {"commentary": "New view"})
    newest = MemoVersion.objects.latest_first().first()
    assert newest.number == 2 and newest.commentary == "New view"
    version.refresh_from_db()
    assert version.commentary == "<script>alert(1)</script>"


def test_board_member_downloads_with_a_valid_link(client, delivery) -> None:
    d, token = delivery
    response = client.get(reverse("memo_download", args=[token]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    d.refresh_from_db()
    assert d.download_count == 1 and d.last_downloaded_at is not None
    event = AuditEvent.objects.get(action="memo.downloaded")
    assert "Bob Board" in event.summary and event.actor is None


def test_tampered_link_is_a_friendly_404(client, delivery) -> None:
    _, token = delivery
    response = client.get(
        reverse("memo_download", args=[token[:-1] + ("A" if token[-1] != "A" else "B")])
    )
    assert response.status_code == 404
    assert "We could not find this link" in response.content.decode()


def test_revoked_link_says_so(advisor_http, client, delivery) -> None:
    d, token = delivery
    advisor_http.post(reverse("delivery_revoke", args=[d.pk]))
    response = client.get(reverse("memo_download", args=[token]))
    assert response.status_code == 410
    assert "This link has been withdrawn" in response.content.decode()
    d.refresh_from_db()
    assert d.download_count == 0


def test_expired_link_says_so(client, delivery) -> None:
    d, token = delivery
    Delivery.objects.filter(pk=d.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("memo_download", args=[token]))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_download_links_are_rate_limited(client, settings, delivery) -> None:

    clear_cache()
    settings.MEMO_DOWNLOAD_RATE = "3/m"
    codes = [client.get(reverse("memo_download", args=["nope"])).status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]
    clear_cache()


def test_preparing_the_memo_twice_says_it_is_already_being_prepared(
    advisor_http, submitted, django_capture_on_commit_callbacks
) -> None:
    url = reverse("memo_request", args=[submitted.engagement.pk])
    with django_capture_on_commit_callbacks(execute=False):
        advisor_http.post(url, {"commentary": "For the board."})
        response = advisor_http.post(url, {"commentary": "For the board."}, follow=True)
    assert MemoVersion.objects.count() == 1
    assert "Memo v1 is already being prepared." in response.content.decode()


def test_sending_twice_tells_the_advisor_who_already_has_a_link(
    advisor_http, version, board_members
) -> None:
    advisor_http.post(reverse("memo_approve", args=[version.pk]))
    url = reverse("memo_send", args=[version.pk])
    advisor_http.post(url, {"people": [board_members[0].pk]})
    response = advisor_http.post(url, {"people": [p.pk for p in board_members]}, follow=True)
    page = response.content.decode()
    assert "Memo v1 sent to 1 person." in page
    assert "Not sent again to Bob Board: they already have a working link to memo v1." in page
    assert sorted(m.to[0] for m in mail.outbox) == ["beth@acme.example", "bob@acme.example"]


def test_sending_a_memo_whose_pdf_is_missing_shows_why(
    advisor_http, version, board_members
) -> None:
    advisor_http.post(reverse("memo_approve", args=[version.pk]))
    default_storage.delete(version.pdf.name)
    response = advisor_http.post(
        reverse("memo_send", args=[version.pk]), {"people": [board_members[0].pk]}
    )
    assert response.status_code == 200
    assert "The PDF of memo v1 is missing from storage" in response.content.decode()
    assert not Delivery.objects.exists() and mail.outbox == []


def test_only_the_newest_version_offers_approve(
    advisor_http, version, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        advisor_http.post(reverse("memo_revise", args=[version.pk]), {"commentary": "New view"})
    newest = MemoVersion.objects.latest_first().first()
    MemoVersion.objects.filter(pk=newest.pk).update(state=MemoVersion.State.READY)
    page = advisor_http.get(version.engagement.get_absolute_url()).content.decode()
    assert reverse("memo_approve", args=[newest.pk]) in page
    assert reverse("memo_approve", args=[version.pk]) not in page
    response = advisor_http.post(reverse("memo_approve", args=[version.pk]), follow=True)
    assert "Memo v1 has been replaced by v2" in response.content.decode()
    version.refresh_from_db()
    assert not version.is_approved


def test_link_of_a_removed_board_member_is_withdrawn(client, delivery) -> None:
    d, token = delivery
    d.person.archived_at = timezone.now()
    d.person.save()
    response = client.get(reverse("memo_download", args=[token]))
    assert response.status_code == 410
    assert "This link has been withdrawn" in response.content.decode()
    d.refresh_from_db()
    assert d.download_count == 0


def test_link_to_an_archived_engagement_is_withdrawn(client, delivery) -> None:
    d, token = delivery
    Engagement.objects.filter(pk=d.memo_version.engagement_id).update(archived_at=timezone.now())
    response = client.get(reverse("memo_download", args=[token]))
    assert response.status_code == 410
    assert "This link has been withdrawn" in response.content.decode()
