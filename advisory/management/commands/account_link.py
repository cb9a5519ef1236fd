"""Issues a fresh one-time set-password link for an existing account, for an operator to pass
on: a first owner whose link from create_firm expired, say. Any earlier link stops working.
With --reset-two-factor it also takes away the account's authenticator and recovery codes, for
a firm's only owner who lost both (other members ask an owner, on the Team page)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from advisory.accounts import account_link_issue, when_in_words
from advisory.audit import audit_record
from advisory.models import AccountLink, Membership, User
from advisory.two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Prints a new one-time link (valid 7 days) for an account to set its password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The account's email address.")
        parser.add_argument(
            "--reset-two-factor",
            action="store_true",
            help="Also remove the account's authenticator and recovery codes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"--email: no account has the address {email}.")
        if not user.is_active:
            raise CommandError(
                f"--email: {email} has been deactivated; an owner can invite them back."
            )
        with transaction.atomic():
            link = account_link_issue(user=user, purpose=AccountLink.Purpose.OPERATOR)
            if options["reset_two_factor"]:
                two_factor_reset(user=user)
                membership = Membership.objects.filter(user=user).select_related("firm").first()
                if membership is not None:
                    audit_record(
                        firm=membership.firm,
                        actor_label="account_link command",
                        action="member.two_factor_reset",
                        summary=f"An operator reset {user.email}'s two-factor sign-in",
                    )
                self.stdout.write("Two-factor sign-in removed; they set it up again.")
        self.stdout.write(
            f"One-time link for {user.email} to set a password (it works once, until "
            f"{when_in_words(link.expires_at)}; earlier links no longer "
            "work):\n\n"
            f"{link.url}"
        )
