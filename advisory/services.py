"""Writes for firms, clients, people and engagements; each records itself in the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from advisory.audit import audit_record
from advisory.models import Client, Email, Engagement, Person, User
from advisory.outbox import emails_withdraw


def _changed_fields(
    instance: object, fields: Iterable[str], before: dict[str, object]
) -> list[str]:
    return [f for f in fields if getattr(instance, f) != before.get(f)]


def _save_audited(
    instance: Client | Engagement,
    *,
    actor: User,
    fields: Iterable[str],
    created: tuple[str, str],
    changed_action: str,
    changed_summary: Callable[[str], str],
    subject: dict[str, object],
) -> None:
    """Saves a new or edited record and records it: on an edit, which fields changed."""
    fields = list(fields)
    creating = instance.pk is None
    model = type(instance)
    before = {} if creating else model.objects.filter(pk=instance.pk).values(*fields).first() or {}
    instance.save()
    if creating:
        action, summary = created
        audit_record(firm=instance.firm, actor=actor, action=action, summary=summary, **subject)
    elif changed := _changed_fields(instance, fields, before):
        names = ", ".join(changed).replace("_", " ")
        audit_record(
            firm=instance.firm,
            actor=actor,
            action=changed_action,
            summary=changed_summary(names),
            **subject,
        )


@transaction.atomic
def client_save(*, client: Client, actor: User, fields: Iterable[str]) -> Client:
    _save_audited(
        client,
        actor=actor,
        fields=fields,
        created=("client.created", f"Created client {client.name}"),
        changed_action="client.changed",
        changed_summary=lambda names: f"Changed {names} of client {client.name}",
        subject={"client": client},
    )
    return client


@transaction.atomic
def client_archive(*, client: Client, actor: User) -> None:
    """Archives the client and every engagement still open for it. The links of those
    engagements (CEO questionnaires, board downloads) are withdrawn with them."""
    client.archived_at = timezone.now()
    client.save(update_fields=["archived_at", "updated_at"])
    for engagement in client.engagements.active().select_related("firm", "client"):
        engagement_archive(engagement=engagement, actor=actor, reason="with its client")
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
    emails_withdraw(
        Email.objects.filter(engagement__client=person.client, to=person.email),
        reason="Not sent: the person was removed from the client.",
    )
    audit_record(
        firm=person.client.firm,
        client=person.client,
        actor=actor,
        action="person.removed",
        summary=f"Removed {person.get_role_display()} {person.name}",
    )


@transaction.atomic
def engagement_save(*, engagement: Engagement, actor: User, fields: Iterable[str]) -> Engagement:
    _save_audited(
        engagement,
        actor=actor,
        fields=fields,
        created=("engagement.created", f"Opened engagement {engagement.title}"),
        changed_action="engagement.changed",
        changed_summary=lambda names: f"Changed {names}",
        subject={"engagement": engagement},
    )
    return engagement


@transaction.atomic
def engagement_archive(*, engagement: Engagement, actor: User, reason: str = "") -> None:
    """Archives the engagement; its personal links stop working (they are withdrawn)."""
    engagement.archived_at = timezone.now()
    engagement.save(update_fields=["archived_at", "updated_at"])
    emails_withdraw(engagement.emails.all(), reason="Not sent: the engagement was archived.")
    summary = "Archived the engagement" + (f" {reason}" if reason else "")
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="engagement.archived",
        summary=summary + "; its links are withdrawn",
    )


def engagement_set_state(*, engagement: Engagement, state: str) -> None:
    """Moves the engagement to a new state; callers hold the transaction."""
    Engagement.objects.filter(pk=engagement.pk).update(state=state, updated_at=timezone.now())
    engagement.state = state
