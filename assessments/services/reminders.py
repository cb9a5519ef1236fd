"""Reminders before the board meeting to the CEO and the leaders who have not finished their
questionnaire: 10 and 5 days before it, unless the advisor turned reminders off for the
engagement. Each goes out once per respondent, meeting date and day (its outbox key) and is
written to the audit trail.

A reminder cannot carry the personal link: only its hash is stored. It names the email that
did (its date and subject), and a reply reaches the advisor, who can issue a new link.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from advisory.models import Email
from advisory.notifications import reminder_send
from assessments.models import Invitation

REMINDER_DAYS = (10, 5)


def questionnaire_reminders_send(*, today: date) -> int:
    """Sends the reminders due today; returns how many were sent."""
    sent = 0
    for days in REMINDER_DAYS:
        due = (
            Invitation.objects.usable()
            .filter(
                engagement__board_meeting_date=today + timedelta(days=days),
                engagement__reminders_enabled=True,
                assessment__submitted_at__isnull=True,
            )
            .select_related(
                "assessment", "person", "email", "engagement__firm", "engagement__lead_advisor"
            )
        )
        sent += sum(_remind(invitation, days=days) for invitation in due)
    return sent


@transaction.atomic
def _remind(invitation: Invitation, *, days: int) -> bool:
    engagement = invitation.engagement
    assessment = invitation.assessment
    return reminder_send(
        engagement=engagement,
        to=invitation.person.email,
        kind=Email.Kind.QUESTIONNAIRE_REMINDER,
        key=f"questionnaire:{assessment.pk}:{engagement.board_meeting_date}:{days}",
        template="assessments/email/questionnaire_reminder",
        context={
            "person": invitation.person,
            "assessment": assessment,
            "invitation": invitation,
            "invitation_subject": invitation.email.subject if invitation.email else "",
            "days": days,
        },
        summary=(
            f"Reminded {invitation.person.name} ({assessment.get_respondent_display()}) by "
            f"email to finish, {days} days before the board meeting"
        ),
    )
