"""Emails to the lead advisor about their engagements: a respondent submitted, a memo failed
to render, every director has opened the memo. Each can be turned off on the advisor's
account page; each goes out at most once per condition (its outbox key) and is written to
the engagement's audit trail."""

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
    draft = email_from_templates(
        name=template,
        context={**context, "advisor": advisor, "engagement": engagement, "firm": engagement.firm},
        to=advisor.email,
        firm=engagement.firm,
    )
    email = email_queue(
        draft,
        kind=Email.Kind.NOTIFICATION,
        firm=engagement.firm,
        engagement=engagement,
        key=f"notify:{key}",
    )
    if email is not None:
        audit_record(
            firm=engagement.firm,
            engagement=engagement,
            actor_label="The app",
            action="notification.sent",
            summary=f"Told {advisor} by email that {about}",
        )
    return email
