from __future__ import annotations

from typing import Any

from django import forms

from advisory.fields import IdMultipleChoiceField
from advisory.models import Engagement, Person
from assessments.explanations import RECOMMENDATION_LABELS, REPORTING_LINE_LABELS
from assessments.methodology import Result
from assessments.presenter import Departure
from reports.models import MemoVersion
from reports.services.memos import DEPARTURE_REASON_MIN_WORDS

COMMENTARY_MAX = MemoVersion._meta.get_field("commentary").max_length
REASON_MAX = MemoVersion._meta.get_field("departure_reason").max_length
_SECOND_SEAT = ("full_time_caio", "fractional_caio")


class MemoForm(forms.Form):
    """The advisor's part of a memo: the commentary, and, where professional judgement says
    so, a recommendation of their own with the reason for departing from the method's."""

    commentary = forms.CharField(
        label="Your commentary for the board",
        required=False,
        max_length=COMMENTARY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. Blank lines start a new paragraph. It is printed as written, "
        "directly under the decision; left empty, the memo has no commentary.",
    )
    recommendation = forms.ChoiceField(label="Structure the memo recommends", required=False)
    reporting_line = forms.ChoiceField(label="Reporting line the memo recommends", required=False)
    reason = forms.CharField(
        label="Why you depart from the method's result",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only when the structure or the reporting line differs from the "
        "method's. The memo prints it beside the method's result.",
    )

    def __init__(
        self, *args: Any, result: Result, departure: Departure | None = None, **kwargs: Any
    ) -> None:
        if departure is not None:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("recommendation", departure.recommendation)
            initial.setdefault("reporting_line", departure.reporting_line)
            initial.setdefault("reason", departure.reason)
        super().__init__(*args, **kwargs)
        self.result = result
        method = RECOMMENDATION_LABELS[result.recommendation]
        line = REPORTING_LINE_LABELS[result.reporting_line]
        self.fields["recommendation"].choices = [
            ("", f"The method's result: {method}"),
            *((k, v) for k, v in RECOMMENDATION_LABELS.items() if k != result.recommendation),
        ]
        self.fields["reporting_line"].choices = [
            ("", f"The method's result: {line}"),
            *((k, v) for k, v in REPORTING_LINE_LABELS.items() if k != result.reporting_line),
        ]

    def clean_commentary(self) -> str:
        return self.cleaned_data["commentary"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        recommendation = data.get("recommendation") or self.result.recommendation
        line = data.get("reporting_line") or ""
        if recommendation in _SECOND_SEAT:
            if not line:
                line = self.result.reporting_line
            if line == "none":
                self.add_error(
                    "reporting_line", "A new AI seat reports to someone: choose the CEO or the CTO."
                )
        elif line and line != "none":
            self.add_error(
                "reporting_line",
                "With one seat there is no separate AI leader to report to; leave the method's "
                "reporting line.",
            )
        else:
            line = "none"
        reason = (data.get("reason") or "").strip()
        departs = (recommendation, line) != (
            self.result.recommendation,
            self.result.reporting_line,
        )
        if departs and len(reason.split()) < DEPARTURE_REASON_MIN_WORDS:
            self.add_error(
                "reason",
                "Say why the memo departs from the method's result, in at least one full "
                f"sentence ({DEPARTURE_REASON_MIN_WORDS} words or more).",
            )
        data["departure"] = (
            Departure(recommendation=recommendation, reporting_line=line, reason=reason)
            if departs
            else None
        )
        return data


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
