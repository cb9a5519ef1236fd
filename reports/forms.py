from __future__ import annotations

from collections.abc import Set
from datetime import date
from typing import Any

from django import forms
from django.db.models import Case, When

from advisory.fields import IdMultipleChoiceField
from advisory.models import Engagement, Person
from assessments.explanations import RECOMMENDATION_LABELS, REPORTING_LINE_LABELS
from assessments.methodology import Result
from assessments.presenter import Departure
from reports.models import MemoVersion
from reports.services.delivery import (
    COVER_NOTE_MAX,
    RECIPIENT_ROLES,
    expiry_bounds,
    expiry_default,
    in_words,
)
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
        # Drawn by includes/field.html rather than crispy-forms (the engagement page shows
        # this form every time it is opened), so the widgets carry Bootstrap's classes.
        for field in self.fields.values():
            base = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = base
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
    """Who gets the memo, how long their links work, and a note above the link."""

    people = IdMultipleChoiceField(
        label="Send to",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Send to: choose at least one board member.",
            "invalid_choice": "Send to: choose only people listed here.",
        },
    )
    expires_on = forms.DateField(
        label="Links work until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Links work until: choose the last day the links work.",
            "invalid": "Links work until: enter a date, such as 27 January 2027.",
        },
    )
    cover_note = forms.CharField(
        label="Cover note (optional)",
        required=False,
        max_length=COVER_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, shown in every email above the link, as you write it.",
        error_messages={
            "max_length": f"Cover note: keep it under {COVER_NOTE_MAX:,} characters "
            "(it has %(show_value)d)."
        },
    )

    def __init__(
        self, *args: Any, engagement: Engagement, today: date, holding: Set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        people = self.fields["people"]
        people.queryset = (
            Person.objects.filter(client=engagement.client, role__in=RECIPIENT_ROLES)
            .active()
            # The board first, then the CEO, whom the advisor may add.
            .order_by(Case(When(role=Person.Role.BOARD, then=0), default=1), "name")
        )
        people.label_from_instance = _recipient_label
        self.fields["people"].initial = [
            p.pk for p in people.queryset if p.role == Person.Role.BOARD and p.pk not in holding
        ]
        first, last = expiry_bounds(today)
        expires_on = self.fields["expires_on"]
        expires_on.initial = expiry_default(engagement, today=today)
        expires_on.widget.attrs.update({"min": first.isoformat(), "max": last.isoformat()})
        expires_on.help_text = _expiry_help(engagement, last)

    def clean_expires_on(self) -> date:
        day = self.cleaned_data["expires_on"]
        first, last = expiry_bounds(self.today)
        if not first <= day <= last:
            raise forms.ValidationError(
                f"Links work until: choose a day from {in_words(first)} to {in_words(last)}."
            )
        return day


def _recipient_label(person: Person) -> str:
    if person.role == Person.Role.CEO:
        return f"{person.name} ({person.email}), the CEO"
    return f"{person.name} ({person.email})"


def _expiry_help(engagement: Engagement, last: date) -> str:
    firm = engagement.firm
    meeting = engagement.board_meeting_date
    if meeting:
        rule = (
            f"The board meets on {in_words(meeting)}; {firm.name} keeps links working "
            f"{firm.board_link_days_after_meeting} days after the meeting."
        )
    else:
        rule = (
            f"No board meeting date is set, so links work {firm.board_link_days} days, "
            f"{firm.name}'s default."
        )
    return (
        f"{rule} Each link works to the end of the day you choose, {in_words(last)} at the latest."
    )
