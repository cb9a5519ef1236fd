"""Writes for firms, clients, people and engagements; each records itself in the audit trail."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from advisory.models import AuditEvent, Client, Engagement, Firm, Person, User


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


def _changed_fields(
    instance: object, fields: Iterable[str], before: dict[str, object]
) -> list[str]:
    return [f for f in fields if getattr(instance, f) != before.get(f)]


@transaction.atomic
def client_save(*, client: Client, actor: User, fields: Iterable[str]) -> Client:
    """Creates or updates a client; the audit event lists the fields that changed."""
    fields = list(fields)
    creating = client.pk is None
    before = {} if creating else Client.objects.filter(pk=client.pk).values(*fields).first() or {}
    client.save()
    if creating:
        audit_record(
            firm=client.firm,
            client=client,
            actor=actor,
            action="client.created",
            summary=f"Created client {client.name}",
        )
    else:
        changed = _changed_fields(client, fields, before)
        if changed:
            audit_record(
                firm=client.firm,
                client=client,
                actor=actor,
                action="client.changed",
                summary=f"Changed {', '.join(changed)} of client {client.name}",
            )
    return client


@transaction.atomic
def client_archive(*, client: Client, actor: User) -> None:
    client.archived_at = timezone.now()
    client.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        firm=client.firm,
        client=client,
        actor=actor,
        action="client.archived",
        summary=f"Archived client {client.name}",
    )


@transaction.atomic
def person_save(*, person: Person, actor: User) -> Person:
    creating = person.pk is None
    person.save()
    verb = "Added" if creating else "Changed"
    audit_record(
        firm=person.client.firm,
        client=person.client,
        actor=actor,
        action="person.added" if creating else "person.changed",
        summary=f"{verb} {person.get_role_display()} {person.name} ({person.email})",
    )
    return person


@transaction.atomic
def person_archive(*, person: Person, actor: User) -> None:
    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at"])
    audit_record(
        firm=person.client.firm,
        client=person.client,
        actor=actor,
        action="person.removed",
        summary=f"Removed {person.get_role_display()} {person.name}",
    )


@transaction.atomic
def engagement_save(*, engagement: Engagement, actor: User, fields: Iterable[str]) -> Engagement:
    fields = list(fields)
    creating = engagement.pk is None
    before = (
        {}
        if creating
        else Engagement.objects.filter(pk=engagement.pk).values(*fields).first() or {}
    )
    engagement.save()
    if creating:
        audit_record(
            firm=engagement.firm,
            engagement=engagement,
            actor=actor,
            action="engagement.created",
            summary=f"Opened engagement {engagement.title}",
        )
    else:
        changed = _changed_fields(engagement, fields, before)
        if changed:
            audit_record(
                firm=engagement.firm,
                engagement=engagement,
                actor=actor,
                action="engagement.changed",
                summary=f"Changed {', '.join(changed)}".replace("_", " "),
            )
    return engagement


@transaction.atomic
def engagement_archive(*, engagement: Engagement, actor: User) -> None:
    engagement.archived_at = timezone.now()
    engagement.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="engagement.archived",
        summary="Archived the engagement",
    )


def engagement_set_state(*, engagement: Engagement, state: str) -> None:
    """Moves the engagement to a new state; callers hold the transaction."""
    Engagement.objects.filter(pk=engagement.pk).update(state=state, updated_at=timezone.now())
    engagement.state = state
