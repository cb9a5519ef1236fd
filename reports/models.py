from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from advisory.links import LinkState
from advisory.models import Engagement, Person


class MemoVersionQuerySet(models.QuerySet["MemoVersion"]):
    def latest_first(self) -> MemoVersionQuerySet:
        return self.order_by("-number")


class MemoVersion(models.Model):
    """One rendering of an engagement's board memo: v1, v2, …

    It keeps everything needed to reproduce and check it: the answers it was made from
    (and their hash), the versions of the method, questionnaire and template, and the
    commentary as it was. An approved version never changes.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="memo_versions"
    )
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    methodology_version = models.CharField(max_length=40)
    questionnaire_version = models.PositiveSmallIntegerField()
    template_version = models.CharField(max_length=40)
    answers = models.JSONField()
    answers_sha256 = models.CharField(max_length=64)
    commentary = models.TextField(blank=True, max_length=20_000)
    # The advisor's judgement, when it departs from the method's result: their own structure
    # and reporting line, and the reason the memo prints beside the method's result.
    advisor_recommendation = models.CharField(max_length=30, blank=True)
    advisor_reporting_line = models.CharField(max_length=20, blank=True)
    departure_reason = models.TextField(blank=True, max_length=5_000)
    # The board meeting the memo is for, as it was when the version was made: its next steps
    # are dated from it.
    board_meeting_date = models.DateField(null=True, blank=True)
    # The firm's branding as it was when the version was requested (firm name, accent, paper
    # size, logo file, the advisor who signs it), so changing the branding never alters a
    # version already made. Empty for versions made before it was kept: they use the firm's.
    branding = models.JSONField(default=dict, blank=True)

    pdf = models.FileField(upload_to="memos/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    render_ms = models.PositiveIntegerField(null=True, blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # When a worker last started rendering it: the sweep judges "rendering too long" by this.
    render_started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = MemoVersionQuerySet.as_manager()

    FIRM_PATH = "engagement__firm"

    # Not stored: set by memo_request/memo_revise when a repeated request returned the version
    # already being prepared instead of making a new one.
    reused: bool = False

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="one_memo_per_number"),
            # Exactly one file per version: no two versions may point at the same file.
            models.UniqueConstraint(
                fields=["pdf"], condition=~Q(pdf=""), name="one_file_per_memo_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Memo v{self.number} for {self.engagement}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def departs(self) -> bool:
        """Whether the advisor's recommendation departs from the method's result."""
        return bool(self.advisor_recommendation)


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def usable(self) -> DeliveryQuerySet:
        """The same rule as :attr:`Delivery.link_state`, in SQL."""
        return self.filter(
            revoked_at__isnull=True,
            superseded_at__isnull=True,
            expires_at__gt=timezone.now(),
            person__archived_at__isnull=True,
            memo_version__engagement__archived_at__isnull=True,
            memo_version__engagement__client__archived_at__isnull=True,
        )


class Delivery(models.Model):
    """A memo sent to one board member (or the CEO), with a personal download link (token
    stored hashed). What the link serves is the director's own copy, their name on every
    page (``reports.services.copies``)."""

    memo_version = models.ForeignKey(
        MemoVersion, on_delete=models.CASCADE, related_name="deliveries"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="deliveries")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    # The last moment of the last day the link works (the day the advisor chose).
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When a newer version of the memo was sent to the board: this link then says so.
    superseded_at = models.DateTimeField(null=True, blank=True)
    cover_note = models.TextField(blank=True, max_length=2_000)
    # The email that carries the link, in the outbox.
    email = models.ForeignKey(
        "advisory.Email", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    download_count = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    FIRM_PATH = "memo_version__engagement__firm"

    class Meta:
        ordering = ["-sent_at"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.memo_version} to {self.person}"

    @property
    def link_state(self) -> LinkState:
        """What the link answers; :meth:`DeliveryQuerySet.usable` is the same rule in SQL."""
        engagement = self.memo_version.engagement
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if (
            self.person.archived_at is not None
            or engagement.archived_at is not None
            or engagement.client.archived_at is not None
        ):
            return LinkState.WITHDRAWN
        if self.superseded_at is not None:
            return LinkState.SUPERSEDED
        if self.expires_at <= timezone.now():
            return LinkState.EXPIRED
        return LinkState.USABLE

    @property
    def is_usable(self) -> bool:
        return self.link_state == LinkState.USABLE


class Download(models.Model):
    """One copy served through a board link: the line it carries on every page, and the
    SHA-256 of the file served, so the firm can tell whose copy a PDF found elsewhere is."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="downloads")
    served_at = models.DateTimeField(auto_now_add=True)
    prepared_for = models.CharField(max_length=500)
    copy_sha256 = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["-served_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prepared_for} ({self.served_at:%Y-%m-%d %H:%M})"
