from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from advisory.fields import IdChoiceField
from advisory.models import Client, Engagement, Firm, Person, User


class SignInForm(AuthenticationForm):
    def clean_username(self) -> str:
        # Accounts store emails in lower case; so do the sign-in lockout records.
        return self.cleaned_data["username"].strip().lower()


class _CrispyModelForm(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class ClientForm(_CrispyModelForm):
    website = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="Full address, such as https://example.com.",
    )

    class Meta:
        model = Client
        fields = ["name", "sector", "country", "employees", "website", "notes"]
        labels = {"employees": "Employees"}
        help_texts = {
            "employees": "Approximate head count, a whole number.",
        }
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
    class Meta:
        model = Engagement
        fields = ["client", "title", "lead_advisor", "board_meeting_date"]
        field_classes = {"client": IdChoiceField, "lead_advisor": IdChoiceField}
        widgets = {"board_meeting_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"board_meeting_date": "The meeting the memo is for, if known."}

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clients = Client.objects.for_firm(firm).active()
        if self.instance.pk:
            # An engagement keeps its client; only the other fields change.
            del self.fields["client"]
        else:
            self.fields["client"].queryset = clients
        self.fields["lead_advisor"].queryset = User.objects.filter(
            membership__firm=firm, is_active=True
        ).order_by("first_name", "email")


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
