"""Advisor memo pages and the board's download link: access, actions and friendly failures."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from advisory.models import AuditEvent, Email, Engagement, Person
from reports.models import Delivery, Download, MemoVersion
from reports.services.rendering import TEMPLATE_VERSION
from tests.conftest import PDF, clear_cache, send_queued, signed_in
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def memo_urls(version: MemoVersion, delivery: Delivery) -> list[tuple[str, str]]:
    e = version.engagement_id
    return [
        ("post", reverse("memo_request", args=[e])),
        ("get", reverse("memo_status", args=[e])),
        ("get", reverse("memo_preview", args=[version.pk])),
        ("get", reverse("memo_preview_document", args=[version.pk])),
        ("get", reverse("memo_pdf", args=[version.pk])),
        ("post", reverse("memo_retry", args=[version.pk])),
        ("get", reverse("memo_revise", args=[version.pk])),
        ("post", reverse("memo_revise", args=[version.pk])),
        ("post", reverse("memo_approve", args=[version.pk])),
        ("get", reverse("memo_send", args=[version.pk])),
        ("post", reverse("memo_send", args=[version.pk])),
        ("get", reverse("memo_send_email_preview", args=[version.pk])),
        ("get", reverse("delivery_revoke", args=[delivery.pk])),
        ("post", reverse("delivery_revoke", args=[delivery.pk])),
    ]


def send_data(people, action: str = "send", **extra: str) -> dict[str, object]:
    """The send form as the page posts it, with the links' default last day."""
    return {
        "people": [p.pk for p in people],
        "expires_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "cover_note": "",
        "action": action,
        **extra,
    }


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


def test_the_preview_document_is_the_memo_in_html_under_a_strict_policy(
    advisor_http, version
) -> None:
    response = advisor_http.get(reverse("memo_preview_document", args=[version.pk]))
    html = response.content.decode()
    assert "Acme Logistics" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in html
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy and response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Draft — not approved" in html


def test_the_preview_page_has_the_app_around_the_memo_its_state_and_actions(
    advisor_http, version
) -> None:
    MemoVersion.objects.filter(pk=version.pk).update(template_version=TEMPLATE_VERSION)
    url = reverse("memo_preview", args=[version.pk])
    page = advisor_http.get(url).content.decode()
    assert 'class="app-navbar' in page or "app-navbar" in page
    assert ">Draft<" in page and "not for the board yet" in page
    assert reverse("memo_approve", args=[version.pk]) in page
    assert reverse("memo_pdf", args=[version.pk]) in page and "(marked draft)" in page
    assert reverse("memo_preview_document", args=[version.pk]) in page
    version.approved_at = timezone.now()
    version.save()
    page = advisor_http.get(url).content.decode()
    assert "Approved" in page and reverse("memo_send", args=[version.pk]) in page
    draft = advisor_http.get(reverse("memo_preview_document", args=[version.pk])).content
    assert b"Draft \xe2\x80\x94 not approved" not in draft


def test_a_version_made_with_an_older_template_points_to_its_pdf(advisor_http, version) -> None:
    page = advisor_http.get(reverse("memo_preview", args=[version.pk])).content.decode()
    assert "earlier memo template (memo-2026.1)" in page
    assert reverse("memo_preview_document", args=[version.pk]) not in page


def test_advisor_downloads_the_pdf_marked_draft_until_it_is_approved(
    advisor_http, colleague, version
) -> None:
    for http in (advisor_http, signed_in(colleague)):
        response = http.get(reverse("memo_pdf", args=[version.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "Draft v1, not approved" in pdf_text(response.content)
        assert "-draft.pdf" in response["Content-Disposition"]
    version.approved_at = timezone.now()
    version.save()
    assert advisor_http.get(reverse("memo_pdf", args=[version.pk])).content == PDF


def test_media_files_are_not_served_by_url(client, version) -> None:
    assert client.get("/media/" + version.pdf.name).status_code == 404


def test_approve_then_preview_then_send_to_chosen_board_members(
    advisor_http, version, board_members
) -> None:
    advisor_http.post(reverse("memo_approve", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_approved
    url = reverse("memo_send", args=[version.pk])
    form = advisor_http.get(url).content.decode()
    assert "Bob Board" in form and "Carla Ceo (carla@acme.example), the CEO" in form

    preview = advisor_http.post(url, send_data([board_members[1]], "preview", cover_note="Hi"))
    page = preview.content.decode()
    assert preview.status_code == 200 and "Check the email before it goes" in page
    assert "Board memo: AI leadership at Acme Logistics" in page and "Hi" in page
    assert not Delivery.objects.exists() and not Email.objects.exists()
    frame = advisor_http.get(reverse("memo_send_email_preview", args=[version.pk]))
    assert frame.status_code == 200 and "Dear Beth Board" in frame.content.decode()
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]

    response = advisor_http.post(url, send_data([board_members[1]], cover_note="Hi"))
    assert response.status_code == 302
    assert Delivery.objects.get().person == board_members[1]
    send_queued()
    assert [m.to for m in mail.outbox] == [["beth@acme.example"]]
    assert "Hi" in mail.outbox[0].body


def test_send_form_refuses_a_leader_who_is_neither_board_nor_ceo(
    advisor_http, version, client_org
) -> None:
    version.approved_at = timezone.now()
    version.save()
    cto = Person.objects.create(client=client_org, name="Tao", email="tao@x.example", role="cto")
    response = advisor_http.post(reverse("memo_send", args=[version.pk]), send_data([cto]))
    assert response.status_code == 400
    assert "Send to: choose only people listed here." in response.content.decode()
    assert not Delivery.objects.exists() and not Email.objects.exists()


def test_send_form_names_a_last_day_out_of_bounds_and_keeps_the_note(
    advisor_http, version, board_members
) -> None:
    version.approved_at = timezone.now()
    version.save()
    too_late = (timezone.localdate() + timedelta(days=91)).isoformat()
    response = advisor_http.post(
        reverse("memo_send", args=[version.pk]),
        send_data(board_members, "preview", expires_on=too_late, cover_note="Read before"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Links work until: choose a day from" in page
    assert "Read before" in page


def test_revise_makes_a_new_version(
    advisor_http, version, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        advisor_http.post(reverse("memo_revise", args=[version.pk]), {"commentary": "New view"})
    newest = MemoVersion.objects.latest_first().first()
    assert newest.number == 2 and newest.commentary == "New view"
    version.refresh_from_db()
    assert version.commentary == "<script>alert(1)</script>"


def test_board_member_downloads_their_own_copy_with_a_valid_link(client, delivery) -> None:
    d, token = delivery
    response = client.get(reverse("memo_download", args=[token]))
    assert response.status_code == 200
    content = response.content
    # The version's file with the director's name laid over every page.
    assert content.startswith(b"%PDF") and content != PDF
    assert "Prepared for Bob Board · bob@acme.example" in pdf_text(content)
    assert response["Cache-Control"] == "private, no-store"
    d.refresh_from_db()
    assert d.download_count == 1 and d.last_downloaded_at is not None
    download = Download.objects.get()
    assert download.copy_sha256 == hashlib.sha256(content).hexdigest()
    assert download.prepared_for.startswith("Prepared for Bob Board · bob@acme.example · ")
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
    advisor_http.post(url, send_data([board_members[0]]))
    response = advisor_http.post(url, send_data(board_members), follow=True)
    page = response.content.decode()
    assert "Memo v1 is on its way to 1 person." in page
    assert "Not sent again to Bob Board: they already have a working link to memo v1." in page
    assert sorted(Email.objects.values_list("to", flat=True)) == [
        "beth@acme.example",
        "bob@acme.example",
    ]


def test_sending_a_memo_whose_pdf_is_missing_shows_why(
    advisor_http, version, board_members
) -> None:
    advisor_http.post(reverse("memo_approve", args=[version.pk]))
    default_storage.delete(version.pdf.name)
    response = advisor_http.post(
        reverse("memo_send", args=[version.pk]), send_data([board_members[0]])
    )
    assert response.status_code == 400
    assert "The PDF of memo v1 is missing from storage" in response.content.decode()
    assert not Delivery.objects.exists() and not Email.objects.exists()


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


def test_revoking_a_link_asks_first(advisor_http, client, delivery) -> None:
    d, token = delivery
    url = reverse("delivery_revoke", args=[d.pk])
    page = advisor_http.get(url).content.decode()
    assert "Revoke Bob Board's link to memo v1?" in page and "stops working at once" in page
    d.refresh_from_db()
    assert d.revoked_at is None  # asking changes nothing
    assert advisor_http.post(url).status_code == 302
    assert client.get(reverse("memo_download", args=[token])).status_code == 410
    assert "there is nothing to revoke" in advisor_http.get(url).content.decode()


def test_the_engagement_page_shows_each_link_state_and_its_email(advisor_http, delivery) -> None:
    d, _ = delivery
    page = advisor_http.get(d.memo_version.engagement.get_absolute_url()).content.decode()
    assert "Valid until" in page and reverse("delivery_revoke", args=[d.pk]) in page
    assert 'id="emails"' in page


def test_the_email_preview_needs_a_preview_first(advisor_http, version) -> None:
    url = reverse("memo_send_email_preview", args=[version.pk])
    assert advisor_http.get(url).status_code == 404
