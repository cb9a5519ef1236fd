"""Emails the app sends of its own accord about an engagement: reminders to the people who
still have something to do before the board meeting, and notifications to the lead advisor
(a respondent submitted, a memo failed to render, every director has opened the memo).

Each goes out at most once per condition (its outbox key) and is written to the
engagement's audit trail. Each notification can be turned off on the advisor's account page.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisory.audit import audit_record
from advisory.emails import email_from_templates
from advisory.models import Email, Engagement, User
from advisory.outbox import email_queue

# The account-page switch each notification obeys.
SUBMISSION = "notify_on_submission"
MEMO_FAILURE = "notify_on_memo_failure"
BOARD_READ = "notify_on_board_read"

APP_LABEL = "The app"


def _send_once(
    *,
    engagement: Engagement,
    to: str,
    kind: str,
    key: str,
    template: str,
    context: Mapping[str, object],
    reply_to: str,
    action: str,
    summary: str,
) -> Email | None:
    draft = email_from_templates(
        name=template,
        context={**context, "engagement": engagement, "firm": engagement.firm},
        to=to,
        firm=engagement.firm,
        reply_to=reply_to,
    )
    email = email_queue(draft, kind=kind, firm=engagement.firm, engagement=engagement, key=key)
    if email is not None:
        audit_record(
            firm=engagement.firm,
            engagement=engagement,
            actor_label=APP_LABEL,
            action=action,
            summary=summary,
        )
    return email


def reminder_send(
    *,
    engagement: Engagement,
    to: str,
    kind: str,
    key: str,
    template: str,
    context: Mapping[str, object],
    summary: str,
) -> bool:
    """Reminds someone of the engagement by email, from its lead advisor (replies reach
    them); False when that reminder went before (same ``key``)."""
    advisor = engagement.lead_advisor
    sent = _send_once(
        engagement=engagement,
        to=to,
        kind=kind,
        key=f"reminder:{key}",
        template=template,
        context={**context, "advisor": advisor},
        reply_to=advisor.email,
        action="reminder.sent",
        summary=summary,
    )
    return sent is not None


def advisor_notify(
    *,
    engagement: Engagement,
    switch: str,
    key: str,
    template: str,
    context: Mapping[str, object],
    about: str,
) -> Email | None:
    """Emails the engagement's lead advisor, unless they turned this notification off, have
    left the firm, or were told already (same ``key``). ``about`` completes "Told … that"."""
    # As the database holds it now: the switch may have changed since the engagement loaded.
    advisor = User.objects.get(pk=engagement.lead_advisor_id)
    if not advisor.is_active or not getattr(advisor, switch):
        return None
    return _send_once(
        engagement=engagement,
        to=advisor.email,
        kind=Email.Kind.NOTIFICATION,
        key=f"notify:{key}",
        template=template,
        context={**context, "advisor": advisor},
        reply_to="",
        action="notification.sent",
        summary=f"Told {advisor} by email that {about}",
    )
