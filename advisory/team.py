"""A firm's team, as its owners run it: invitations, roles, deactivation.

Every service here locks the firm's row first, so two owners acting at once queue behind each
other; that is what makes "a firm always keeps at least one active owner" hold even when two
owners demote each other at the same moment.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from advisory.accounts import account_link_issue
from advisory.audit import audit_record
from advisory.emails import email_from_templates
from advisory.models import (
    AccountLink,
    Email,
    EmailQuerySet,
    Engagement,
    EngagementQuerySet,
    Firm,
    Membership,
    User,
)
from advisory.outbox import email_queue, emails_withdraw
from advisory.two_factor import two_factor_reset


class TeamError(Exception):
    """The change is refused; the message says why, in words for the owner."""


def name_split(name: str) -> tuple[str, str]:
    """(first name, last name) from a name typed in one field: the last word is the surname."""
    words = name.split()
    if len(words) < 2:
        return " ".join(words), ""
    return " ".join(words[:-1]), words[-1]


def _who(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def _lock_firm(firm: Firm) -> None:
    Firm.objects.select_for_update().filter(pk=firm.pk).values_list("pk").first()


def _another_owner_remains(membership: Membership) -> bool:
    """Whether an active owner who has joined (set a password) remains besides this member."""
    return (
        Membership.objects.for_firm(membership.firm)
        .owners()
        .active()
        .joined()
        .exclude(pk=membership.pk)
        .exists()
    )


def _invitation_emails(membership: Membership) -> EmailQuerySet:
    return Email.objects.filter(
        firm=membership.firm, kind=Email.Kind.MEMBER_INVITATION, to=membership.user.email
    )


def _send_invitation(*, membership: Membership, actor: User) -> None:
    user = membership.user
    link = account_link_issue(user=user, purpose=AccountLink.Purpose.INVITATION, created_by=actor)
    draft = email_from_templates(
        name="advisory/email/member_invitation",
        context={
            "person": user,
            "inviter": actor,
            "firm": membership.firm,
            "role": membership.get_role_display(),
            "link": link.url,
            "expires_at": link.expires_at,
        },
        to=user.email,
        firm=membership.firm,
        reply_to=actor.email,
    )
    # An earlier invitation still waiting would carry a link the new one replaced.
    emails_withdraw(_invitation_emails(membership), reason="Not sent: a newer invitation was sent.")
    # Sent once the invitation is committed; the team page shows how the email fared.
    email_queue(
        draft,
        kind=Email.Kind.MEMBER_INVITATION,
        firm=membership.firm,
        link_expires_at=link.expires_at,
    )


@transaction.atomic
def member_invite(*, firm: Firm, actor: User, email: str, name: str, role: str) -> Membership:
    """Adds a colleague to the firm and emails them a one-time link to set their password.

    A former member of the same firm (deactivated) is taken back in the same way: their
    account, and with it their history in the audit trail, is kept.
    """
    _lock_firm(firm)
    email = email.strip().lower()
    first, last = name_split(name)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first, last_name=last)
        membership = Membership.objects.create(user=user, firm=firm, role=role)
        summary = f"Invited {_who(user)} as {membership.get_role_display().lower()}"
    else:
        membership = Membership.objects.filter(user=user).first()
        if membership is None or membership.firm_id != firm.pk:
            raise TeamError(
                f"{email} already has an account with another firm, and an account belongs "
                "to one firm only. Ask your colleague for another address."
            )
        if user.is_active:
            raise TeamError(f"{email} is already on the team.")
        # A former member: back in, with a new password of their own choosing.
        user.is_active = True
        user.set_unusable_password()
        user.session_salt_rotate()
        if first:
            user.first_name, user.last_name = first, last
        user.save()
        membership.role = role
        membership.deactivated_at = None
        membership.save(update_fields=["role", "deactivated_at"])
        summary = f"Invited {_who(user)} back as {membership.get_role_display().lower()}"
    _send_invitation(membership=membership, actor=actor)
    audit_record(firm=firm, actor=actor, action="member.invited", summary=summary)
    return membership


@transaction.atomic
def member_invite_resend(*, membership: Membership, actor: User) -> None:
    """A fresh invitation email; the link in the earlier one stops working."""
    _lock_firm(membership.firm)
    user = User.objects.get(pk=membership.user_id)
    if not user.is_active:
        raise TeamError(f"{user} has been deactivated; invite them again instead.")
    if user.has_usable_password():
        raise TeamError(f"{user} has already joined; there is no invitation to send again.")
    membership.user = user
    _send_invitation(membership=membership, actor=actor)
    audit_record(
        firm=membership.firm,
        actor=actor,
        action="member.invitation_resent",
        summary=f"Sent {user} a new invitation; the earlier link no longer works",
    )


@transaction.atomic
def member_role_set(*, membership: Membership, role: str, actor: User) -> None:
    _lock_firm(membership.firm)
    membership = Membership.objects.select_related("user", "firm").get(pk=membership.pk)
    if role not in Membership.Role.values:
        raise TeamError("Choose Owner or Advisor.")
    if membership.role == role:
        return
    if membership.is_owner and not _another_owner_remains(membership):
        raise TeamError(
            f"{membership.user} is the firm's only owner. Make someone else an owner first: "
            "a firm always keeps at least one."
        )
    before = membership.get_role_display().lower()
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        firm=membership.firm,
        actor=actor,
        action="member.role_changed",
        summary=(
            f"Changed {membership.user}'s role from {before} "
            f"to {membership.get_role_display().lower()}"
        ),
    )


@transaction.atomic
def member_two_factor_reset(*, membership: Membership, actor: User) -> None:
    """Takes a member's authenticator and recovery codes away, for someone who lost both.
    Their sessions end; they sign in again with their password (and, where the firm requires
    two-factor, set up a new authenticator straight away)."""
    _lock_firm(membership.firm)
    user = User.objects.get(pk=membership.user_id)
    if user.pk == actor.pk:
        raise TeamError("Use your Account page to change your own two-factor sign-in.")
    two_factor_reset(user=user)
    audit_record(
        firm=membership.firm,
        actor=actor,
        action="member.two_factor_reset",
        summary=f"Reset {_who(user)}'s two-factor sign-in",
    )


def open_engagements_led_by(user: User, firm: Firm) -> EngagementQuerySet:
    return Engagement.objects.for_firm(firm).active().filter(lead_advisor=user)


@transaction.atomic
def member_deactivate(*, membership: Membership, actor: User, hand_to: User | None) -> int:
    """Deactivates a member: their sessions end at once, their account and everything they
    did stays (the audit trail names them), and the open engagements they lead go to
    ``hand_to``. Returns how many engagements were handed over."""
    firm = membership.firm
    _lock_firm(firm)
    membership = Membership.objects.select_related("user", "firm").get(pk=membership.pk)
    user = membership.user
    if user.pk == actor.pk:
        raise TeamError("You cannot deactivate your own account. Ask another owner to do it.")
    if not user.is_active:
        raise TeamError(f"{user} is already deactivated.")
    if membership.is_owner and not _another_owner_remains(membership):
        raise TeamError(
            f"{user} is the firm's only owner. Make someone else an owner first: "
            "a firm always keeps at least one."
        )
    engagements = list(open_engagements_led_by(user, firm).select_related("client"))
    if engagements:
        if hand_to is None:
            count = len(engagements)
            raise TeamError(
                f"{user} leads {count} open engagement{'s' if count != 1 else ''}. Choose a "
                "colleague to hand them to, so none is left without a lead advisor."
            )
        if (
            hand_to.pk == user.pk
            or not hand_to.is_active
            or not hand_to.has_usable_password()
            or not Membership.objects.for_firm(firm).filter(user=hand_to).exists()
        ):
            raise TeamError("Choose an active colleague in the firm to hand the engagements to.")
    for engagement in engagements:
        engagement.lead_advisor = hand_to
        engagement.save(update_fields=["lead_advisor", "updated_at"])
        audit_record(
            firm=firm,
            engagement=engagement,
            actor=actor,
            action="engagement.handed_over",
            summary=f"Handed the engagement from {user} to {hand_to}",
        )
    now = timezone.now()
    user.is_active = False
    # Inactive accounts are signed out by Django at their next request anyway; a new salt
    # keeps those sessions dead should the account ever be invited back.
    user.session_salt_rotate()
    user.save(update_fields=["is_active", "session_salt"])
    membership.deactivated_at = now
    membership.save(update_fields=["deactivated_at"])
    user.account_links.filter(used_at__isnull=True, replaced_at__isnull=True).update(
        replaced_at=now
    )
    emails_withdraw(
        _invitation_emails(membership), reason="Not sent: the colleague was deactivated."
    )
    handed = f"; handed {len(engagements)} open engagement(s) to {hand_to}" if engagements else ""
    audit_record(
        firm=firm,
        actor=actor,
        action="member.deactivated",
        summary=f"Deactivated {_who(user)}{handed}",
    )
    return len(engagements)
