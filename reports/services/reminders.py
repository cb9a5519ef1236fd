"""A reminder to each board member who has not opened the memo, 3 days before the board
meeting (unless the advisor turned reminders off for the engagement). Once per link and
meeting date (its outbox key), written to the audit trail. Like the questionnaire's, it
names the email that carried the link rather than carrying it: only the link's hash is kept.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from advisory.audit import audit_record
from advisory.emails import email_from_templates
from advisory.models import Email, Person
from advisory.outbox import email_queue
from reports.models import Delivery

REMINDER_DAYS = 3


def board_reminders_send(*, today: date) -> int:
    """Sends the reminders due today; returns how many were sent."""
    due = (
        Delivery.objects.usable()
        .filter(
            memo_version__engagement__board_meeting_date=today + timedelta(days=REMINDER_DAYS),
            memo_version__engagement__reminders_enabled=True,
            person__role=Person.Role.BOARD,
            download_count=0,
        )
        .select_related(
            "person",
            "email",
            "memo_version__engagement__firm",
            "memo_version__engagement__client",
            "memo_version__engagement__lead_advisor",
        )
    )
    return sum(_remind(delivery) for delivery in due)


@transaction.atomic
def _remind(delivery: Delivery) -> bool:
    engagement = delivery.memo_version.engagement
    advisor = engagement.lead_advisor
    draft = email_from_templates(
        name="reports/email/board_reminder",
        context={
            "person": delivery.person,
            "engagement": engagement,
            "firm": engagement.firm,
            "advisor": advisor,
            "delivery": delivery,
            "memo_subject": delivery.email.subject if delivery.email else "",
            "days": REMINDER_DAYS,
        },
        to=delivery.person.email,
        firm=engagement.firm,
        reply_to=advisor.email,
    )
    email = email_queue(
        draft,
        kind=Email.Kind.BOARD_REMINDER,
        firm=engagement.firm,
        engagement=engagement,
        key=f"reminder:board:{delivery.pk}:{engagement.board_meeting_date}",
    )
    if email is None:
        return False
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor_label="The app",
        action="reminder.sent",
        summary=(
            f"Reminded {delivery.person.name} by email that memo "
            f"v{delivery.memo_version.number} is unopened, {REMINDER_DAYS} days before the "
            "board meeting"
        ),
    )
    return True
