"""Starts a firm from nothing: the firm, its owner's account, and a one-time link for the
owner to set a password. Nothing is created when any input is refused."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisory.accounts import when_in_words
from advisory.firms import firm_create
from advisory.forms import FirmStartForm


class Command(BaseCommand):
    help = (
        "Creates a firm and its owner's account, and prints a one-time link (valid 7 days) "
        "for the owner to set a password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The firm's name.")
        parser.add_argument("--owner-email", required=True, help="The owner's email address.")
        parser.add_argument("--owner-name", default="", help="The owner's name (optional).")

    def handle(self, *args: Any, **options: Any) -> None:
        form = FirmStartForm(
            {
                "name": options["name"],
                "owner_email": options["owner_email"],
                "owner_name": options["owner_name"],
            }
        )
        if not form.is_valid():
            problems = [
                f"{FirmStartForm.error_names.get(field, field)}: {message}"
                for field, messages in form.errors.items()
                for message in messages
            ]
            raise CommandError("Nothing was created.\n" + "\n".join(problems))
        started = firm_create(**form.cleaned_data)
        self.stdout.write(
            f"Created the firm {started.firm.name} with {started.owner.email} as its owner.\n"
            f"Send the owner this one-time link to set a password (it works once, until "
            f"{when_in_words(started.link.expires_at)}):\n\n"
            f"{started.link.url}\n\n"
            "The link is shown only now; `manage.py account_link --email EMAIL` issues a new one."
        )
