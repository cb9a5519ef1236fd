"""Advisors' accounts: one-time links to set a password, and ending sessions.

A set-password link is the only way into an account that has no password yet (a firm's first
owner, an invited colleague). Like the CEO's link it is a 256-bit token shown once and stored
only as its SHA-256; it expires, works once, and a newer link for the same account replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from advisory.audit import audit_record
from advisory.links import LinkState
from advisory.models import AccountLink, User
from advisory.tokens import token_hash, token_new

# Invitations expire after 7 days (the issue's rule); a first owner's link and an operator's
# link follow the same rule, so there is one lifetime to explain.
ACCOUNT_LINK_DAYS = 7


class AccountLinkError(Exception):
    """The link cannot be used; the message says why, in words for the person holding it."""


@dataclass(frozen=True)
class IssuedLink:
    url: str
    expires_at: datetime


def when_in_words(moment: datetime) -> str:
    """ "8 December 2026, 12:08 UTC", in the installation's time zone."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M %Z}"


def account_link_url(token: str) -> str:
    return settings.SITE_URL + reverse("account_link", args=[token])


def account_link_issue(*, user: User, purpose: str, created_by: User | None = None) -> IssuedLink:
    """A new set-password link for ``user``; any link sent before stops working. Callers hold
    the transaction (and send the link, or print it)."""
    now = timezone.now()
    user.account_links.filter(used_at__isnull=True, replaced_at__isnull=True).update(
        replaced_at=now
    )
    token, hashed = token_new()
    link = AccountLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=hashed,
        created_by=created_by,
        expires_at=now + timedelta(days=ACCOUNT_LINK_DAYS),
    )
    return IssuedLink(url=account_link_url(token), expires_at=link.expires_at)


def account_link_resolve(token: str) -> AccountLink | None:
    """The link a token belongs to, usable or not; None for a token nobody was given."""
    if not token or len(token) > 200:
        return None
    return (
        AccountLink.objects.select_related("user", "user__membership__firm")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def account_link_use(*, link: AccountLink, password: str) -> User:
    """Sets the account's password (already validated) and spends the link.

    The link row is locked, so two submits of the same form cannot both succeed.
    """
    locked = AccountLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if locked.link_state != LinkState.USABLE:
        raise AccountLinkError("This link has already been used or is no longer valid.")
    user = locked.user
    joined = not user.has_usable_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    now = timezone.now()
    locked.used_at = now
    locked.save(update_fields=["used_at"])
    user.account_links.filter(used_at__isnull=True, replaced_at__isnull=True).update(
        replaced_at=now
    )
    membership = getattr(user, "membership", None)
    if membership is not None:
        audit_record(
            firm=membership.firm,
            actor=user,
            action="member.joined" if joined else "member.password_set",
            summary=(
                f"{user} set a password and joined the firm"
                if joined
                else f"{user} set a new password from a one-time link"
            ),
        )
    return user


@transaction.atomic
def sessions_end(*, user: User) -> None:
    """Ends every session of ``user`` at its next request. A view that wants to keep its own
    session calls ``update_session_auth_hash`` afterwards."""
    user.session_salt_rotate()
    user.save(update_fields=["session_salt"])
