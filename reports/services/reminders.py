"""A reminder to each board member who has not opened the memo, 3 days before the board
meeting (unless the advisor turned reminders off for the engagement). Once per link and
meeting date (its outbox key), written to the audit trail. Like the questionnaire's, it
names the email that carried the link rather than carrying it: only the link's hash is kept.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from advisory.models import Email, Person
from advisory.notifications import reminder_send
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
    return reminder_send(
        engagement=engagement,
        to=delivery.person.email,
        kind=Email.Kind.BOARD_REMINDER,
        key=f"board:{delivery.pk}:{engagement.board_meeting_date}",
        template="reports/email/board_reminder",
        context={
            "person": delivery.person,
            "delivery": delivery,
            "memo_subject": delivery.email.subject if delivery.email else "",
            "days": REMINDER_DAYS,
        },
        summary=(
            f"Reminded {delivery.person.name} by email that memo "
            f"v{delivery.memo_version.number} is unopened, {REMINDER_DAYS} days before the "
            "board meeting"
        ),
    )
