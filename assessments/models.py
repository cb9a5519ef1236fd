from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from advisory.links import LinkState
from advisory.models import Engagement, Person
from assessments.methodology import NEWEST


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def ceo(self) -> AssessmentQuerySet:
        return self.filter(respondent=Assessment.Respondent.CEO)

    def perspectives(self) -> AssessmentQuerySet:
        return self.exclude(respondent=Assessment.Respondent.CEO)

    def submitted(self) -> AssessmentQuerySet:
        return self.filter(submitted_at__isnull=False)


class Assessment(models.Model):
    """One respondent's answers for an engagement: the CEO's (one per engagement, the one that
    makes results and a memo possible), or another leader's perspective (methodology §7).
    Answers are stored one row per question, so two tabs answering different questions never
    overwrite each other."""

    class Respondent(models.TextChoices):
        # The CEO, then the roles of §7 of methodology 2026.2.
        CEO = "ceo", "CEO"
        CTO = "cto", "CTO"
        CFO = "cfo", "CFO"
        COO = "coo", "COO"
        PRODUCT = "product", "Head of product"
        BOARD = "board", "Board member"
        OTHER = "other", "Other leader"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="assessments")
    respondent = models.CharField(max_length=10, choices=Respondent.choices, default=Respondent.CEO)
    # For a perspective: the leader who gives it. The CEO's assessment outlives a change of CEO.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    # On the CEO's assessment: the methodology the engagement's answers are scored with. New
    # engagements take the newest; older ones keep theirs until the advisor moves them.
    methodology_version = models.CharField(max_length=40, default=NEWEST)
    questionnaire_version = models.PositiveSmallIntegerField()
    answered_count = models.PositiveSmallIntegerField(default=0)
    required_count = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The soft checks (assessments/plausibility.py) the respondent confirmed as given: each
    # check's key with the answers it read then, so a changed answer is checked again.
    confirmed_checks = models.JSONField(default=dict, blank=True)

    objects = AssessmentQuerySet.as_manager()

    FIRM_PATH = "engagement__firm"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(respondent="ceo"),
                name="one_ceo_assessment_per_engagement",
            ),
            models.UniqueConstraint(
                fields=["engagement", "person"],
                condition=~Q(respondent="ceo"),
                name="one_perspective_per_leader",
            ),
        ]

    def __str__(self) -> str:
        who = "CEO" if self.is_ceo else self.get_respondent_display()
        return f"{who} assessment for {self.engagement}"

    @property
    def is_ceo(self) -> bool:
        return self.respondent == self.Respondent.CEO

    @property
    def progress_percent(self) -> int:
        if not self.required_count:
            return 0
        return round(100 * self.answered_count / self.required_count)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    """One question's answer. `raw` is what the respondent typed, kept even when it is invalid
    (with `error`), so nothing typed is lost; `value` is the validated, typed answer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(max_length=80)
    value = models.JSONField(null=True, blank=True)
    raw = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_answer_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.value!r}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        """The same rule as :attr:`Invitation.link_state`, in SQL."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            engagement__archived_at__isnull=True,
            engagement__client__archived_at__isnull=True,
            person__archived_at__isnull=True,
        )


class Invitation(models.Model):
    """A personal link to one respondent's questionnaire (the CEO's, or a leader's perspective).
    Only a SHA-256 of the token is stored."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="invitations")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    # The one-time key of the form that asked for this link, so the same form posted twice
    # (a double click, a reload of the page that showed the link) issues one link, not two.
    request_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The email that carries the link, in the outbox.
    email = models.ForeignKey(
        "advisory.Email", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    FIRM_PATH = "engagement__firm"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.person} ({self.engagement})"

    @property
    def link_state(self) -> LinkState:
        """What the link answers; :meth:`InvitationQuerySet.usable` is the same rule in SQL."""
        engagement = self.engagement
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if (
            engagement.archived_at is not None
            or engagement.client.archived_at is not None
            or self.person.archived_at is not None
        ):
            return LinkState.WITHDRAWN
        if self.expires_at <= timezone.now():
            return LinkState.EXPIRED
        return LinkState.USABLE

    @property
    def is_usable(self) -> bool:
        return self.link_state == LinkState.USABLE
