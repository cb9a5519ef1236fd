"""The states a personal link (a CEO's questionnaire link, a director's download link) can be
in. Each link model decides its state in one property and mirrors the same rule in its
QuerySet's ``usable()``, so what a page offers and what the link answers never disagree."""

from __future__ import annotations

from django.db import models


class LinkState(models.TextChoices):
    USABLE = "usable", "Valid"
    EXPIRED = "expired", "Expired"
    # The advisor switched this one link off.
    REVOKED = "revoked", "Revoked"
    # The firm withdrew it with something larger: the engagement or the client was archived,
    # or the person was removed from the client.
    WITHDRAWN = "withdrawn", "Withdrawn"
    # A board member's link to a memo version after a newer version was sent to the board.
    SUPERSEDED = "superseded", "Superseded"
    # A one-time link (an account's set-password link) that has done its job.
    USED = "used", "Used"
