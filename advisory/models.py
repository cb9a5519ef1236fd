from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import FilteredRelation, Q
from django.db.models.functions import Lower
from django.urls import reverse


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """An advisor's account. Advisors sign in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Firm(models.Model):
    class PaperSize(models.TextChoices):
        A4 = "A4", "A4"
        LETTER = "Letter", "US Letter"

    name = models.CharField(max_length=200)
    accent_color = models.CharField(
        max_length=7,
        default="#1f4e79",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")],
    )
    logo = models.FileField(upload_to="logos/", blank=True)
    paper_size = models.CharField(max_length=6, choices=PaperSize.choices, default=PaperSize.A4)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADVISOR = "advisor", "Advisor"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ADVISOR)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.firm})"


class ClientQuerySet(models.QuerySet["Client"]):
    def for_firm(self, firm: Firm) -> ClientQuerySet:
        return self.filter(firm=firm)

    def active(self) -> ClientQuerySet:
        return self.filter(archived_at__isnull=True)


class Client(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    employees = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        indexes = [models.Index(fields=["firm", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("client_detail", args=[self.pk])


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(archived_at__isnull=True)

    def ceos(self) -> PersonQuerySet:
        return self.active().filter(role=Person.Role.CEO)

    def board(self) -> PersonQuerySet:
        return self.active().filter(role=Person.Role.BOARD)

    def leaders(self) -> PersonQuerySet:
        """Everyone who can give a perspective besides the CEO: the CTO above all, other
        executives, board members."""
        return self.active().exclude(role=Person.Role.CEO)


class Person(models.Model):
    class Role(models.TextChoices):
        CEO = "ceo", "CEO"
        CTO = "cto", "CTO"
        CFO = "cfo", "CFO"
        COO = "coo", "COO"
        PRODUCT = "product", "Head of product"
        BOARD = "board", "Board member"
        OTHER = "other", "Other"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    title = models.CharField("job title", max_length=200, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    FIRM_PATH = "client__firm"

    class Meta:
        ordering = ["role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "email"], name="person_email_unique_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def for_firm(self, firm: Firm) -> EngagementQuerySet:
        return self.filter(firm=firm)

    def active(self) -> EngagementQuerySet:
        return self.filter(archived_at__isnull=True)

    def with_ceo_progress(self) -> EngagementQuerySet:
        """Each engagement with its CEO's assessment as ``ceo_assessment`` (or None), joined
        in the same query: the state badge shows how far the CEO got."""
        ceo = FilteredRelation("assessments", condition=Q(assessments__respondent="ceo"))
        return self.annotate(ceo_assessment=ceo).select_related("ceo_assessment")

    def for_dashboard(self) -> EngagementQuerySet:
        return self.select_related("client", "lead_advisor").with_ceo_progress()


class Engagement(models.Model):
    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        INVITED = "invited", "Invited"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        MEMO_RENDERING = "memo_rendering", "Memo rendering"
        MEMO_READY = "memo_ready", "Memo ready"
        MEMO_FAILED = "memo_failed", "Memo failed"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="engagements")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="engagements")
    lead_advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_engagements"
    )
    title = models.CharField(max_length=200)
    board_meeting_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["firm", "state"]),
            models.Index(fields=["firm", "-updated_at"]),
            # The dashboard lists and counts a firm's active engagements on every page.
            models.Index(
                fields=["firm", "-updated_at"],
                condition=Q(archived_at__isnull=True),
                name="engagement_active_by_firm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("engagement_detail", args=[self.pk])


class AuditEvent(models.Model):
    """One thing that happened to an engagement or client, and who did it.

    `actor` is set for advisors; `actor_label` names everyone else (a CEO through their
    link, a board member downloading, the worker).
    """

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="audit_events")
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=50)
    summary = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.who}: {self.summary}"

    @property
    def who(self) -> str:
        return str(self.actor) if self.actor_id else self.actor_label or "System"
