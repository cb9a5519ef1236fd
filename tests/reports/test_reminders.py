"""Reminders before the board meeting, and the lead advisor's notifications: each at its
condition exactly, at most once, in the audit trail, and off where it was turned off."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from advisory.models import AuditEvent, Email, Person
from assessments.models import Assessment, Invitation
from assessments.services.answers import assessment_for, assessment_submit, perspective_for
from assessments.services.invitations import invitation_revoke
from assessments.services.reminders import questionnaire_reminders_send
from reports.models import Delivery, MemoVersion
from reports.services.delivery import delivery_copy, delivery_record_download, memo_send
from reports.services.memos import memo_fail
from reports.services.reminders import board_reminders_send
from reports.tasks import send_reminders
from tests.assessments.factories import perspective as perspective_answers
from tests.assessments.factories import valid_answers
from tests.assessments.helpers import answer_all, invite, invite_leader
from tests.conftest import send_queued

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def meeting_in(engagement, days: int) -> None:
    engagement.board_meeting_date = TODAY + timedelta(days=days)
    engagement.save()


# --- The CEO and the leaders. ---------------------------------------------------------------


@pytest.mark.parametrize(("days", "sent"), [(11, 0), (10, 1), (9, 0), (6, 0), (5, 1), (4, 0)])
def test_an_unfinished_ceo_is_reminded_10_and_5_days_before_the_meeting(
    engagement, ceo, advisor, days, sent
):
    invite(engagement, ceo, advisor)
    meeting_in(engagement, days)
    assert questionnaire_reminders_send(today=TODAY) == sent
    reminders = Email.objects.filter(kind=Email.Kind.QUESTIONNAIRE_REMINDER)
    assert reminders.count() == sent
    assert AuditEvent.objects.filter(action="reminder.sent").count() == sent


def test_a_reminder_goes_once_however_often_the_beat_runs(engagement, ceo, advisor):
    invite(engagement, ceo, advisor)
    meeting_in(engagement, 10)
    assert questionnaire_reminders_send(today=TODAY) == 1
    assert questionnaire_reminders_send(today=TODAY) == 0
    send_queued()
    (message,) = [m for m in mail.outbox if "Reminder" in m.subject]
    assert message.to == [ceo.email]
    assert "in 10 days" in message.body and "not finished yet" in message.body
    # It names the email that carried the link, whose link only that email holds.
    invitation_subject = Email.objects.get(kind=Email.Kind.CEO_INVITATION).subject
    assert invitation_subject in message.body and "/a/" not in message.body


def test_leaders_who_have_not_finished_are_reminded_and_those_who_have_are_not(
    engagement, ceo, advisor, client_org
):
    cto = Person.objects.create(client=client_org, name="Tao", email="tao@x.example", role="cto")
    cfo = Person.objects.create(client=client_org, name="Fay", email="fay@x.example", role="cfo")
    invite(engagement, ceo, advisor)
    invite_leader(engagement, cto, advisor)
    invite_leader(engagement, cfo, advisor)
    done = perspective_for(engagement, cfo)
    answer_all(done, perspective_answers("cfo")["answers"])
    assert assessment_submit(assessment=done) == []
    meeting_in(engagement, 5)
    assert questionnaire_reminders_send(today=TODAY) == 2
    reminded = set(
        Email.objects.filter(kind=Email.Kind.QUESTIONNAIRE_REMINDER).values_list("to", flat=True)
    )
    assert reminded == {ceo.email, cto.email}


def test_no_reminders_when_the_advisor_turned_them_off(engagement, ceo, advisor):
    invite(engagement, ceo, advisor)
    meeting_in(engagement, 10)
    engagement.reminders_enabled = False
    engagement.save()
    assert questionnaire_reminders_send(today=TODAY) == 0


def test_a_revoked_link_or_a_submitted_assessment_is_not_reminded(
    engagement, ceo, advisor, client_org
):
    cto = Person.objects.create(client=client_org, name="Tao", email="tao@x.example", role="cto")
    meeting_in(engagement, 10)
    invite(engagement, ceo, advisor)
    invite_leader(engagement, cto, advisor)
    Assessment.objects.filter(engagement=engagement, respondent="ceo").update(
        submitted_at=timezone.now()
    )
    invitation_revoke(invitation=Invitation.objects.get(person=cto), actor=advisor)
    assert questionnaire_reminders_send(today=TODAY) == 0


# --- Board members. -------------------------------------------------------------------------


@pytest.fixture
def sent(version, board_members, advisor) -> list[Delivery]:
    version.approved_at = version.requested_at
    version.save()
    return memo_send(version=version, people=board_members, actor=advisor).deliveries


@pytest.mark.parametrize(("days", "sent_count"), [(4, 0), (3, 2), (2, 0)])
def test_directors_who_have_not_opened_the_memo_are_reminded_3_days_before(sent, days, sent_count):
    meeting_in(sent[0].memo_version.engagement, days)
    assert board_reminders_send(today=TODAY) == sent_count


def test_a_director_who_opened_it_is_not_reminded_and_nobody_twice(sent):
    engagement = sent[0].memo_version.engagement
    meeting_in(engagement, 3)
    opened = sent[0]
    delivery_record_download(delivery=opened, copy=delivery_copy(opened))
    assert board_reminders_send(today=TODAY) == 1
    assert board_reminders_send(today=TODAY) == 0
    (reminder,) = Email.objects.filter(kind=Email.Kind.BOARD_REMINDER)
    assert reminder.to == sent[1].person.email
    assert "/m/" not in reminder.body_text  # it names the email with the link instead
    assert "has not been opened yet" in reminder.body_text


def test_the_beat_task_sends_both_kinds(sent, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    meeting_in(sent[0].memo_version.engagement, 3)
    send_reminders()  # called as a plain function, as the worker would
    assert Email.objects.filter(kind=Email.Kind.BOARD_REMINDER).count() == 2


# --- The lead advisor's notifications. ------------------------------------------------------


def notifications() -> list[Email]:
    return list(Email.objects.filter(kind=Email.Kind.NOTIFICATION))


def test_the_advisor_hears_when_the_ceo_submits_and_can_turn_it_off(engagement, ceo, advisor):
    invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers())
    assert assessment_submit(assessment=assessment) == []
    (email,) = notifications()
    assert email.to == advisor.email and "submitted the assessment" in email.subject
    assert AuditEvent.objects.filter(action="notification.sent").count() == 1


def test_no_submission_notification_when_turned_off(engagement, ceo, advisor):
    advisor.notify_on_submission = False
    advisor.save()
    invite(engagement, ceo, advisor)
    assessment = assessment_for(engagement)
    answer_all(assessment, valid_answers())
    assessment_submit(assessment=assessment)
    assert notifications() == []


def test_the_advisor_hears_once_when_a_memo_fails(version, advisor):
    MemoVersion.objects.filter(pk=version.pk).update(state=MemoVersion.State.RENDERING)
    memo_fail(version_id=version.pk, reason="It broke.")
    MemoVersion.objects.filter(pk=version.pk).update(state=MemoVersion.State.RENDERING)
    memo_fail(version_id=version.pk, reason="It broke again.")
    (email,) = notifications()
    assert "could not be rendered" in email.subject and "It broke." in email.body_text


def test_the_advisor_hears_when_every_director_has_opened_the_memo(sent, advisor):
    delivery_record_download(delivery=sent[0], copy=delivery_copy(sent[0]))
    assert notifications() == []
    delivery_record_download(delivery=sent[1], copy=delivery_copy(sent[1]))
    delivery_record_download(delivery=sent[1], copy=delivery_copy(sent[1]))
    (email,) = notifications()
    assert "every board member you sent it to has opened it" in email.subject
    assert "All 2 board members" in email.body_text


def test_no_board_read_notification_when_turned_off(sent, advisor):
    advisor.notify_on_board_read = False
    advisor.save()
    for delivery in sent:
        delivery_record_download(delivery=delivery, copy=delivery_copy(delivery))
    assert notifications() == []


def test_the_account_page_turns_notifications_on_and_off(advisor_http, advisor):
    page = advisor_http.get("/account/").content.decode()
    assert "When every board member has opened the memo" in page
    advisor_http.post("/account/notifications/", {"notify_on_memo_failure": "on"})
    advisor.refresh_from_db()
    assert advisor.notify_on_memo_failure
    assert not advisor.notify_on_submission and not advisor.notify_on_board_read
