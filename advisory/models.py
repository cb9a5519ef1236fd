from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import FilteredRelation, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from advisory.colours import validate_readable_on_white
from advisory.links import LinkState


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

    # Mixed into the session hash Django checks on every request: a new salt ends every
    # session signed in before it (sign out other sessions, deactivation, a new authenticator).
    session_salt = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = UserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        if not self.session_salt:
            # Accounts whose sessions were never ended keep Django's own hash, so deploying
            # this signs nobody out.
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "advisory.User.session_auth_hash",
            f"{self.password}:{self.session_salt}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def session_salt_rotate(self) -> None:
        """A new salt; the caller saves it (and keeps its own session with
        ``update_session_auth_hash`` when it has one)."""
        self.session_salt = secrets.token_hex(16)


# How long a firm's CEO and board links may live, in days.
LINK_DAYS_MIN, LINK_DAYS_MAX = 1, 90


def default_ceo_link_days() -> int:
    """A new firm starts from the installation's INVITATION_TTL_DAYS (within the bounds)."""
    return min(max(settings.INVITATION_TTL_DAYS, LINK_DAYS_MIN), LINK_DAYS_MAX)


def default_board_link_days() -> int:
    return min(max(settings.DOWNLOAD_TTL_DAYS, LINK_DAYS_MIN), LINK_DAYS_MAX)


def _link_days(label: str) -> list[object]:
    return [
        MinValueValidator(LINK_DAYS_MIN, f"{label} must live at least {LINK_DAYS_MIN} day."),
        MaxValueValidator(LINK_DAYS_MAX, f"{label} can live at most {LINK_DAYS_MAX} days."),
    ]


class Firm(models.Model):
    class PaperSize(models.TextChoices):
        A4 = "A4", "A4"
        LETTER = "Letter", "US Letter"

    name = models.CharField(max_length=200)
    accent_color = models.CharField(
        "accent colour",
        max_length=7,
        default="#1f4e79",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB."),
            validate_readable_on_white,
        ],
    )
    # A PNG the app re-encoded itself, named by its SHA-256 (advisory/logos.py). Memo versions
    # refer to it by name, so a replaced logo's file is kept.
    logo = models.FileField(upload_to="logos/", blank=True)
    paper_size = models.CharField(max_length=6, choices=PaperSize.choices, default=PaperSize.A4)
    sender_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="Who the firm's emails are from; the firm's name when left empty.",
    )
    reply_to = models.EmailField(
        "reply-to address",
        blank=True,
        help_text="Where replies to the firm's emails go; the advisor's own address when empty.",
    )
    ceo_link_days = models.PositiveSmallIntegerField(
        "CEO links live for (days)",
        default=default_ceo_link_days,
        validators=_link_days("A CEO link"),
    )
    board_link_days = models.PositiveSmallIntegerField(
        "board links live for (days)",
        default=default_board_link_days,
        validators=_link_days("A board link"),
    )
    require_two_factor = models.BooleanField(
        "require two-factor sign-in",
        default=False,
        help_text="Everyone in the firm signs in with a code from an authenticator app.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def from_name(self) -> str:
        return self.sender_name or self.name

    @property
    def logo_digest(self) -> str:
        """The SHA-256 the stored logo is named by, for its address in the page header."""
        name = self.logo.name or ""
        digest = name.removeprefix("logos/").removesuffix(".png")
        if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            return digest
        return ""


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_firm(self, firm: Firm) -> MembershipQuerySet:
        return self.filter(firm=firm)

    def active(self) -> MembershipQuerySet:
        return self.filter(user__is_active=True)

    def owners(self) -> MembershipQuerySet:
        return self.filter(role=Membership.Role.OWNER)

    def joined(self) -> MembershipQuerySet:
        """Members who have set a password (an invitation not yet taken up has none)."""
        return self.exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)

    def for_team_page(self) -> MembershipQuerySet:
        """By name; someone invited without a name sorts by their email among the names."""
        return self.select_related("user").order_by(
            Lower(Coalesce(NullIf("user__first_name", Value("")), "user__email")),
            Lower("user__last_name"),
            "user__email",
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADVISOR = "advisor", "Advisor"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ADVISOR)
    # Set when an owner deactivates the member (User.is_active is then False). The account is
    # kept: the audit trail and the engagements they led still name them.
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.firm})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


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


class AccountLinkQuerySet(models.QuerySet["AccountLink"]):
    def usable(self) -> AccountLinkQuerySet:
        """The same rule as :attr:`AccountLink.link_state`, in SQL."""
        return self.filter(
            used_at__isnull=True,
            replaced_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )


class AccountLink(models.Model):
    """A one-time link that lets a person set their password: the first owner of a firm
    (``create_firm``), a colleague an owner invited, or an account an operator unlocked
    (``account_link``). Only the SHA-256 of its token is stored."""

    class Purpose(models.TextChoices):
        FIRST_OWNER = "first_owner", "First owner of the firm"
        INVITATION = "invitation", "Invitation from an owner"
        OPERATOR = "operator", "Issued by an operator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_links"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer link for the same account was sent, or the account was deactivated.
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = AccountLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.user}"

    @property
    def link_state(self) -> LinkState:
        if self.used_at is not None:
            return LinkState.USED
        if self.replaced_at is not None:
            return LinkState.REVOKED
        if not self.user.is_active:
            return LinkState.WITHDRAWN
        if self.expires_at <= timezone.now():
            return LinkState.EXPIRED
        return LinkState.USABLE
