from __future__ import annotations

from django import forms

from advisory.fields import IdMultipleChoiceField
from advisory.models import Engagement, Person
from reports.models import MemoVersion

COMMENTARY_MAX = MemoVersion._meta.get_field("commentary").max_length


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label="Your commentary for the board",
        required=False,
        max_length=COMMENTARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text. Blank lines start a new paragraph. It is printed as written.",
    )

    def clean_commentary(self) -> str:
        return self.cleaned_data["commentary"].strip()


class SendForm(forms.Form):
    people = IdMultipleChoiceField(
        label="Send to",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one board member.",
            "invalid_choice": "Choose only board members listed here.",
        },
    )

    def __init__(self, *args: object, engagement: Engagement, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            Person.objects.filter(client=engagement.client).board().order_by("name")
        )
        self.fields["people"].label_from_instance = lambda p: f"{p.name} ({p.email})"
