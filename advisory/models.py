from __future__ import annotations

import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
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

    # The emails the app sends an advisor about the engagements they lead (account page).
    notify_on_submission = models.BooleanField(
        "when a CEO or another leader submits their answers", default=True
    )
    notify_on_memo_failure = models.BooleanField("when a memo fails to render", default=True)
    notify_on_board_read = models.BooleanField(
        "when every board member has opened the memo", default=True
    )

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
    board_link_days_after_meeting = models.PositiveSmallIntegerField(
        "board links last after the meeting (days)",
        default=7,
        validators=[
            MaxValueValidator(LINK_DAYS_MAX, f"A board link can last at most {LINK_DAYS_MAX} days.")
        ],
    )
    attach_memo = models.BooleanField(
        "attach the PDF to board emails",
        default=False,
        help_text="Off: the email holds the director's personal link only, so revoking the "
        "link takes the memo back.",
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

    @property
    def name_and_role(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def for_firm(self, firm: Firm) -> EngagementQuerySet:
        return self.filter(firm=firm)

    def active(self) -> EngagementQuerySet:
        return self.filter(archived_at__isnull=True)

    def with_ceo_progress(self) -> EngagementQuerySet:
        """Each engagement with how far its CEO got (:attr:`Engagement.ceo_progress`), read
        in the same query: the state badge shows it."""
        # By name, as a foreign key would: firm and engagement records import no assessment.
        ceo = apps.get_model("assessments", "Assessment").objects.filter(
            engagement=OuterRef("pk"), respondent="ceo"
        )
        return self.annotate(
            ceo_answered=Subquery(ceo.values("answered_count")[:1]),
            ceo_required=Subquery(ceo.values("required_count")[:1]),
        )

    def for_dashboard(self) -> EngagementQuerySet:
        """What a row of the dashboard shows, and no more: it lists 25 at a time."""
        return (
            self.select_related("client", "lead_advisor")
            .with_ceo_progress()
            .only(
                "title",
                "state",
                "board_meeting_date",
                "updated_at",
                "archived_at",
                "client__name",
                "lead_advisor__first_name",
                "lead_advisor__last_name",
                "lead_advisor__email",
            )
        )


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
    # Reminders before the board meeting to the CEO and leaders who have not finished.
    reminders_enabled = models.BooleanField("send reminders before the meeting", default=True)
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

    @property
    def ceo_progress(self) -> int | None:
        """The share of the CEO's required questions answered, in percent, for an engagement
        read with :meth:`EngagementQuerySet.with_ceo_progress`; None without an assessment."""
        required = getattr(self, "ceo_required", None)
        if required is None:
            return None
        return round(100 * self.ceo_answered / required) if required else 0


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


class EmailQuerySet(models.QuerySet["Email"]):
    def for_engagement(self, engagement: Engagement) -> EmailQuerySet:
        return self.filter(engagement=engagement).order_by("-queued_at", "-pk")

    def for_log(self) -> EmailQuerySet:
        """Without the bodies and the attachment: what a list of emails shows."""
        return self.defer(*Email.CONTENT_FIELDS)

    def unsent(self) -> EmailQuerySet:
        """Waiting to be sent, or failed and could be sent again."""
        return self.filter(state__in=[Email.State.QUEUED, Email.State.FAILED])


class Email(models.Model):
    """One message to one recipient, recorded before it is sent: the outbox.

    A Celery task sends it after the transaction that recorded it commits, and marks it sent;
    a row that is sent is never sent again. Once sent, or withdrawn because its link stopped
    working first, the personal link in its bodies is blanked out (``advisory.redaction``) and
    its attachment dropped: the database keeps what was sent to whom and when, not a working
    copy of anyone's link.
    """

    # What a list of emails leaves out (EmailQuerySet.for_log).
    CONTENT_FIELDS = ("body_text", "body_html", "attachment")

    class Kind(models.TextChoices):
        CEO_INVITATION = "ceo_invitation", "Invitation to the assessment"
        LEADER_INVITATION = "leader_invitation", "Invitation to give a perspective"
        QUESTIONNAIRE_REMINDER = "questionnaire_reminder", "Reminder to finish the questionnaire"
        BOARD_MEMO = "board_memo", "Board memo"
        BOARD_REMINDER = "board_reminder", "Reminder to read the memo"
        NOTIFICATION = "notification", "Notification to the advisor"
        MEMBER_INVITATION = "member_invitation", "Invitation to join the firm"
        PASSWORD_RESET = "password_reset", "Password reset"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # Not sent, and never will be: the link it carries was revoked, replaced or expired
        # first, or its person or engagement was archived.
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Null only for an operator's account outside any firm (a password reset).
    firm = models.ForeignKey(
        Firm, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Names the condition a reminder or notification answers ("reminder:…:10"): one email per
    # key, ever, so a beat that runs twice sends nothing twice.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    to = models.EmailField()
    from_email = models.CharField(max_length=400)
    reply_to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=400)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # The firm's logo in storage, sent inline with the HTML body.
    logo = models.CharField(max_length=200, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment = models.BinaryField(blank=True, default=b"", editable=False)
    # Kept for every attempt: a message sent twice (see the outbox's guarantee) is one message
    # to the mail clients that look at it.
    message_id = models.CharField(max_length=200)
    # When the personal link in it stops working: an email not sent by then never is.
    link_expires_at = models.DateTimeField(null=True, blank=True)

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The plain reason of the last failure; while queued, why it is waiting to be tried again.
    failure_reason = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    # When a worker should next try it: the outbox sweep publishes rows left behind it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    FIRM_PATH = "firm"

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to}"
