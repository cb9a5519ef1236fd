"""Starting a firm, and the branding and defaults its owners set."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from advisory.accounts import IssuedLink, account_link_issue
from advisory.audit import audit_record
from advisory.logos import logo_store
from advisory.models import AccountLink, Firm, Membership, User
from advisory.team import name_split


@dataclass(frozen=True)
class FirmStarted:
    firm: Firm
    owner: User
    link: IssuedLink


@transaction.atomic
def firm_create(*, name: str, owner_email: str, owner_name: str = "") -> FirmStarted:
    """A new firm and its first owner, who has no password until they open the returned
    one-time link. Inputs are validated by the caller (FirmStartForm)."""
    firm = Firm.objects.create(name=name)
    first, last = name_split(owner_name)
    owner = User.objects.create_user(email=owner_email, first_name=first, last_name=last)
    Membership.objects.create(user=owner, firm=firm, role=Membership.Role.OWNER)
    link = account_link_issue(user=owner, purpose=AccountLink.Purpose.FIRST_OWNER)
    audit_record(
        firm=firm,
        actor_label="create_firm command",
        action="firm.created",
        summary=f"Started the firm {firm.name} with {owner.email} as its owner",
    )
    return FirmStarted(firm=firm, owner=owner, link=link)


# The words the audit trail uses for each setting.
SETTING_LABELS = {
    "name": "name",
    "logo": "logo",
    "accent_color": "accent colour",
    "paper_size": "paper size",
    "sender_name": "sender name",
    "reply_to": "reply-to address",
    "ceo_link_days": "CEO link lifetime",
    "board_link_days": "board link lifetime",
    "board_link_days_after_meeting": "days board links last after the meeting",
    "attach_memo": "choice to attach the memo to board emails",
    "require_two_factor": "two-factor requirement",
}


@transaction.atomic
def firm_settings_save(
    *,
    firm: Firm,
    actor: User,
    fields: Iterable[str],
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Firm:
    """Saves the firm's branding and defaults. ``logo`` is a logo already cleaned by
    :func:`advisory.logos.logo_clean`. Memo versions keep the branding they were made with."""
    changed = [f for f in fields if f in SETTING_LABELS and f != "logo"]
    if logo is not None:
        name = logo_store(logo)
        if name != firm.logo.name:
            firm.logo.name = name
            changed.append("logo")
    elif remove_logo and firm.logo:
        # Only the firm lets go of it: memo versions made with it still refer to the file.
        firm.logo.name = ""
        changed.append("logo")
    firm.save()
    if changed:
        names = ", ".join(SETTING_LABELS[f] for f in changed)
        audit_record(
            firm=firm,
            actor=actor,
            action="firm.settings_changed",
            summary=f"Changed the firm's {names}"
            + (
                "; everyone must now sign in with two-factor"
                if "require_two_factor" in changed and firm.require_two_factor
                else ""
            ),
        )
    return firm


def firm_branding(firm: Firm) -> dict[str, str]:
    """What a memo takes from the firm, as a memo version keeps it (MemoVersion.branding)."""
    return {
        "firm_name": firm.name,
        "accent": firm.accent_color,
        "paper_size": firm.paper_size,
        "logo": firm.logo.name or "",
    }
