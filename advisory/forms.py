from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import timezone

from advisory.emails import EmailDraft, email_from_templates
from advisory.fields import IdChoiceField, WholeNumberField
from advisory.logos import LogoError, logo_clean
from advisory.models import (
    LINK_DAYS_MAX,
    LINK_DAYS_MIN,
    Client,
    Email,
    Engagement,
    Firm,
    Membership,
    Person,
    User,
)
from advisory.outbox import email_queue
from advisory.two_factor import has_two_factor


class SignInForm(AuthenticationForm):
    def clean_username(self) -> str:
        # Accounts store emails in lower case; so do the sign-in lockout records.
        return self.cleaned_data["username"].strip().lower()


class BrandedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email in the branding of the person's firm."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        membership = Membership.objects.filter(user=context["user"]).select_related("firm").first()
        if membership is None:
            # An operator's account outside any firm: Django's plain email, through the outbox.
            draft = EmailDraft(
                to=to_email,
                subject=" ".join(render_to_string(subject_template_name, context).split()),
                text=render_to_string(email_template_name, context),
                html="",
                from_email=settings.DEFAULT_FROM_EMAIL,
            )
        else:
            draft = email_from_templates(
                name="advisory/email/password_reset",
                context={**context, "firm": membership.firm},
                to=to_email,
                firm=membership.firm,
            )
        email_queue(
            draft,
            kind=Email.Kind.PASSWORD_RESET,
            firm=membership.firm if membership else None,
            link_expires_at=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        )


class _CrispyModelForm(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class ClientForm(_CrispyModelForm):
    employees = WholeNumberField(
        required=False,
        min_value=1,
        max_value=2_147_483_647,
        label="Employees",
        help_text="Approximate head count, a whole number such as 1,250.",
    )
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="Full address, such as https://example.com.",
    )

    class Meta:
        model = Client
        fields = ["name", "sector", "country", "employees", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class PersonForm(_CrispyModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "role", "title"]

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        self.client = client
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = Person.objects.filter(client=self.client, email=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"{email} is already listed for {self.client.name}.")
        return email


class EngagementForm(_CrispyModelForm):
    """A new engagement is for a meeting still to come; an old one keeps the date it has."""

    class Meta:
        model = Engagement
        fields = ["client", "title", "lead_advisor", "board_meeting_date", "reminders_enabled"]
        field_classes = {"client": IdChoiceField, "lead_advisor": IdChoiceField}
        widgets = {"board_meeting_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "board_meeting_date": "The meeting the memo is for, if known.",
            "reminders_enabled": "Emails the CEO and the leaders who have not finished 10 and 5 "
            "days before the board meeting, and board members who have not opened the memo 3 "
            "days before it.",
        }
        error_messages = {
            "client": {"required": "Choose the client the engagement is for."},
            "title": {"required": "Give the engagement a title, such as “AI leadership review”."},
            "lead_advisor": {"required": "Choose who leads the engagement."},
            "board_meeting_date": {"invalid": "Enter the board meeting date as a date."},
        }

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clients = Client.objects.for_firm(firm).active()
        if self.instance.pk:
            # An engagement keeps its client; only the other fields change.
            del self.fields["client"]
        else:
            self.fields["client"].queryset = clients
            self.fields["client"].empty_label = "Choose a client"
        self.fields["lead_advisor"].queryset = User.objects.filter(
            membership__firm=firm, is_active=True
        ).order_by("first_name", "email")
        # The app's own message for a past date, rather than the browser's.
        self.helper.attrs = {"novalidate": ""}
        if not self.instance.pk:
            self.fields["board_meeting_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_board_meeting_date(self) -> date | None:
        day = self.cleaned_data.get("board_meeting_date")
        if day is None or day >= timezone.localdate():
            return day
        if self.instance.pk and day == self.instance.board_meeting_date:
            return day  # a meeting that has taken place since the engagement was opened
        raise forms.ValidationError(
            f"The board meeting date, {day:%-d %B %Y}, is in the past. Enter the date of the "
            "coming meeting, or leave it empty."
        )


class DashboardFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.TextInput(attrs={"placeholder": "Client or engagement"}),
    )
    state = forms.ChoiceField(
        required=False, label="State", choices=[("", "Any state"), *Engagement.State.choices]
    )
    archived = forms.BooleanField(required=False, label="Show archived")


def _clean_name(value: str) -> str:
    return " ".join(value.split())


def _no_control_characters(value: str, field: str) -> str:
    if any(not c.isprintable() for c in value):
        raise forms.ValidationError(f"{field} must be on one line, without special characters.")
    return value


# --- Starting a firm (the create_firm command). ----------------------------------------------


class FirmStartForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "The firm needs a name."})
    owner_email = forms.CharField(
        max_length=254, error_messages={"required": "Give the owner's email address."}
    )
    owner_name = forms.CharField(max_length=150, required=False)

    error_names = {"name": "--name", "owner_email": "--owner-email", "owner_name": "--owner-name"}

    def clean_name(self) -> str:
        name = _no_control_characters(_clean_name(self.cleaned_data["name"]), "The firm's name")
        if not name:
            raise forms.ValidationError("The firm needs a name.")
        return name

    def clean_owner_email(self) -> str:
        email = self.cleaned_data["owner_email"].strip().lower()
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                f"{email!r} is not an email address; write it as name@example.com."
            ) from None
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                f"An account with {email} already exists; a firm's owner needs a new one."
            )
        return email

    def clean_owner_name(self) -> str:
        return _no_control_characters(_clean_name(self.cleaned_data["owner_name"]), "The name")


# --- The team. -------------------------------------------------------------------------------


class InviteForm(forms.Form):
    name = forms.CharField(max_length=150, help_text="As it should appear in the app and emails.")
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        initial=Membership.Role.ADVISOR,
        help_text="Owners also run the team and the firm's settings.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Send the invitation"))

    def clean_name(self) -> str:
        name = _no_control_characters(_clean_name(self.cleaned_data["name"]), "The name")
        if not name:
            raise forms.ValidationError("Enter your colleague's name.")
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class DeactivateForm(forms.Form):
    hand_to = IdChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Hand their open engagements to",
        empty_label="Choose a colleague",
    )

    def __init__(self, *args: Any, membership: Membership, open_count: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.open_count = open_count
        # Active colleagues who have joined: an invitation not taken up cannot lead anything.
        self.fields["hand_to"].queryset = (
            User.objects.filter(membership__firm=membership.firm, is_active=True)
            .exclude(pk=membership.user_id)
            .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
            .order_by("first_name", "last_name", "email")
        )
        if open_count:
            self.fields["hand_to"].required = True
            self.fields["hand_to"].error_messages["required"] = (
                "Choose the colleague who takes over their open engagements."
            )
        else:
            del self.fields["hand_to"]


# --- The firm's settings. ----------------------------------------------------------------


class FirmSettingsForm(_CrispyModelForm):
    logo = forms.FileField(
        required=False,
        label="Logo",
        help_text="PNG or JPEG, at most 2 MB and 4,000 × 4,000 pixels. It appears in the "
        "page header, in the firm's emails and on new memos.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the logo")

    submit_label = "Save the settings"
    # The logo fields are the form's own (the service stores the cleaned logo); in this order.
    field_order = ["name", "logo", "remove_logo", "accent_color"]

    class Meta:
        model = Firm
        fields = [
            "name",
            "accent_color",
            "paper_size",
            "sender_name",
            "reply_to",
            "ceo_link_days",
            "board_link_days_after_meeting",
            "board_link_days",
            "attach_memo",
            "require_two_factor",
        ]
        widgets = {
            "accent_color": forms.TextInput(attrs={"type": "color", "class": "form-control-color"})
        }
        help_texts = {
            "accent_color": "Colours memo headings and the app's buttons and links. It must "
            "have a contrast of at least 4.5:1 against white.",
            "paper_size": "The size new memos are laid out for.",
            "ceo_link_days": "How long the link a CEO (or another leader) receives stays "
            "valid, from 1 to 90 days.",
            "board_link_days_after_meeting": "A board member's download link works until this "
            "many days after the board meeting (0 to 90); the advisor can change it when "
            "sending.",
            "board_link_days": "How long a board member's link works when the engagement has "
            "no board meeting date, from 1 to 90 days.",
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)
        # The app's own messages, which name the limits, rather than the browser's.
        self.helper.attrs = {"novalidate": ""}
        if not self.instance.logo:
            del self.fields["remove_logo"]
        self.fields["sender_name"].widget.attrs["placeholder"] = self.instance.name
        self.fields["board_link_days_after_meeting"].widget.attrs.update(min=0, max=LINK_DAYS_MAX)
        for name in ("ceo_link_days", "board_link_days"):
            # The model's validators name the range in words ("at least 1 day"); Django's
            # own for a positive integer would say "greater than or equal to 0".
            self.fields[name].validators = []
            self.fields[name].widget.attrs.update(min=LINK_DAYS_MIN, max=LINK_DAYS_MAX)

    def clean_name(self) -> str:
        name = _no_control_characters(_clean_name(self.cleaned_data["name"]), "The name")
        if not name:
            raise forms.ValidationError("The firm needs a name.")
        return name

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        try:
            return logo_clean(upload, size=upload.size)
        except LogoError as error:
            raise forms.ValidationError(f"Logo: {error} Nothing was saved.") from None

    def clean_accent_color(self) -> str:
        return self.cleaned_data["accent_color"].lower()

    def clean_sender_name(self) -> str:
        return _no_control_characters(
            _clean_name(self.cleaned_data["sender_name"]), "The sender name"
        )

    def clean_reply_to(self) -> str:
        return self.cleaned_data["reply_to"].strip().lower()

    def clean_require_two_factor(self) -> bool:
        required = self.cleaned_data["require_two_factor"]
        if required and not self.instance.require_two_factor and not has_two_factor(self.actor):
            raise forms.ValidationError(
                "Turn on two-factor sign-in for your own account first (on your Account "
                "page), so that you are not locked out."
            )
        return required


# --- The person's own account. ---------------------------------------------------------------


class AccountNameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]

    def clean_first_name(self) -> str:
        return _no_control_characters(_clean_name(self.cleaned_data["first_name"]), "First name")

    def clean_last_name(self) -> str:
        return _no_control_characters(_clean_name(self.cleaned_data["last_name"]), "Last name")


class NotificationsForm(forms.ModelForm):
    """Which emails the app sends an advisor about the engagements they lead."""

    class Meta:
        model = User
        fields = ["notify_on_submission", "notify_on_memo_failure", "notify_on_board_read"]


class AccountPasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "That is not your current password. Enter it again.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        # The password is one section of the Account page, not what it opens on.
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class CrispySetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Set my password"))


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        max_length=32,
        label="Code",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )

    def __init__(self, *args: Any, submit_label: str = "Continue", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", submit_label))

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code:
            raise forms.ValidationError("Enter the code.")
        return code


class PasswordCheckForm(forms.Form):
    """Asks for the account's current password before a change that weakens its protection."""

    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password
