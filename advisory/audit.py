"""The audit trail: one row for each thing that happened to a firm, a client or an
engagement, and who did it (an advisor, or a label for everyone else)."""

from __future__ import annotations

from advisory.models import AuditEvent, Client, Engagement, Firm, User


def audit_record(
    *,
    firm: Firm,
    action: str,
    summary: str,
    actor: User | None = None,
    actor_label: str = "",
    engagement: Engagement | None = None,
    client: Client | None = None,
) -> AuditEvent:
    if engagement is not None and client is None:
        client = engagement.client
    return AuditEvent.objects.create(
        firm=firm,
        engagement=engagement,
        client=client,
        actor=actor,
        actor_label=actor_label[:200],
        action=action,
        summary=summary[:500],
    )
