"""Forms for the questionnaire, built from the one questionnaire definition.

The section form only renders and reads what was posted: checking an answer is the validator's
job (``coerce_form_value``), so the form never adds messages of its own. Errors it shows are the
ones stored with each answer, which is why an invalid value and its message survive a reload.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import BadRequest
from django.forms.utils import ErrorDict
from django.utils.datastructures import MultiValueDict

from advisory.fields import IdChoiceField
from advisory.models import Engagement, Person
from assessments.models import Answer
from assessments.plausibility import Finding
from assessments.questionnaire import (
    DIMENSIONS_BY_KEY,
    SCALE_LABELS,
    Question,
    Section,
    figure_text,
)

YES, NO = "yes", "no"
# The "None of these" box of a list question. An empty value is what the validator reads as
# "nothing from this list"; ticking no box at all means the question is not answered yet.
NONE_OF_THESE = ""
# The hidden field that carries the answers as the page showed them.
SHOWN_FIELD = "shown"


def field_name(code: str) -> str:
    # Dots are awkward in HTML ids and CSS selectors; codes never contain a hyphen.
    return code.replace(".", "-")


def code_for(name: str) -> str:
    return name.replace("-", ".")


def _widget_attrs(question: Question) -> dict[str, str]:
    if question.kind in ("integer", "number"):
        # A text box, not type=number, so that "2,500,000" or "$2.5M" can be typed.
        return {
            "inputmode": "numeric",
            "autocomplete": "off",
            "spellcheck": "false",
            "class": "numeric-input",
        }
    return {}


def _field(question: Question) -> forms.Field:
    attrs = _widget_attrs(question)
    # Dimension questions show both poles above the two scales, so no help text repeats them.
    help_text = "" if question.dimension else question.help
    common: dict[str, Any] = {"label": question.label, "help_text": help_text, "required": False}
    kind = question.kind
    if kind in ("integer", "number"):
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if kind == "text":
        return forms.CharField(widget=forms.Textarea(attrs={**attrs, "rows": 5}), **common)
    if kind == "choice":
        choices = [(c.value, c.label) for c in question.offered_choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=attrs), **common)
    if kind == "multi":
        choices = [(c.value, c.label) for c in question.choices]
        choices.append((NONE_OF_THESE, "None of these"))
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple(attrs=attrs), **common
        )
    if kind == "boolean":
        return forms.ChoiceField(
            choices=[(YES, "Yes"), (NO, "No")], widget=forms.RadioSelect(attrs=attrs), **common
        )
    if kind == "scale":
        labels = question.scale_labels
        choices = [
            (str(point), f"{point} – {labels[point - 1]}" if labels else str(point))
            for point in range(int(question.minimum or 1), int(question.maximum or 5) + 1)
        ]
        if question.dimension:
            # One row of five on the page (includes/scale_row.html), not crispy's column.
            common["label"] = "Today" if question.code.endswith(".today") else "In 24 months"
            attrs = {**attrs, "class": "scale-input"}
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=attrs), **common)
    raise ValueError(f"{question.code}: no form field for kind {kind!r}")


def is_asked(question: Question, answers: Mapping[str, Answer]) -> bool:
    """Whether the question is asked, given the answers so far (a conditional question is
    asked only when the answer it depends on allows it)."""
    condition = question.shown_when
    if condition is None:
        return True
    controlling = answers.get(condition.code)
    return controlling is not None and condition.shows(controlling.value)


def shown_value(question: Question, answer: Answer) -> list[str]:
    """What the browser should show for a stored answer: what was typed, even if invalid; a
    valid figure with its thousands separated (typed "$2.5M", shown "2,500,000")."""
    if (
        question.kind in ("integer", "number")
        and not answer.error
        and isinstance(answer.value, int | float)
        and not isinstance(answer.value, bool)
    ):
        return [figure_text(answer.value)]
    return _as_form_data(question, answer.raw)


def _as_form_data(question: Question, raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(item) for item in raw] or [NONE_OF_THESE]
    if question.kind == "boolean" and isinstance(raw, bool):
        return [YES if raw else NO]
    return [str(raw)]


class SectionForm(forms.Form):
    """One step of the questionnaire, showing the stored answers and their stored errors."""

    def __init__(
        self,
        section: Section,
        answers: Mapping[str, Answer],
        notes: Sequence[Finding] = (),
    ) -> None:
        data = MultiValueDict()
        self.stored_errors: dict[str, str] = {}
        for question in section.questions:
            answer = answers.get(question.code)
            if answer is None:
                continue
            data.setlist(field_name(question.code), shown_value(question, answer))
            if answer.error:
                self.stored_errors[field_name(question.code)] = answer.error
        super().__init__(data=data)
        self.answers = answers
        # The "please check" notes of this step (assessments/plausibility.py), by field.
        self.notes: dict[str, list[Finding]] = {}
        for note in notes:
            self.notes.setdefault(field_name(note.code), []).append(note)
        self.shown = {name: data.getlist(name) for name in data}
        self.section = section
        self.questions = {field_name(q.code): q for q in section.questions}
        for name, question in self.questions.items():
            self.fields[name] = _field(question)
        for name in self.stored_errors:
            widget = self.fields[name].widget
            widget.attrs["aria-describedby"] = " ".join(
                part for part in (self._help_id(name), f"id_{name}_error") if part
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def shown_json(self) -> str:
        """The answers as this page showed them, posted back so that untouched fields are
        recognised and do not overwrite what another tab saved meanwhile."""
        return json.dumps(self.shown, separators=(",", ":"))

    def _help_id(self, name: str) -> str:
        return f"id_{name}_helptext" if self.fields[name].help_text else ""

    def full_clean(self) -> None:
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, message in self.stored_errors.items():
            self._errors[name] = self.error_class(
                [message], renderer=self.renderer, field_id=self[name].auto_id
            )

    def groups(self) -> list[dict[str, Any]]:
        """The fields in display order; the two scales of a dimension travel together. A
        question asked only under a condition says which field controls it, and starts hidden
        unless the stored answers meet the condition (the page's script follows changes)."""
        groups: list[dict[str, Any]] = []
        for name, question in self.questions.items():
            item = {"field": self[name], "question": question, "notes": self.notes.get(name, [])}
            if question.dimension:
                item["points"] = [
                    {"radio": radio, "words": question.scale_labels[index]}
                    for index, radio in enumerate(self[name])
                ]
            if condition := question.shown_when:
                item["shown_when"] = field_name(condition.code)
                item["shown_values"] = " ".join(condition.values)
                item["hidden"] = not is_asked(question, self.answers)
            dimension = DIMENSIONS_BY_KEY[question.dimension] if question.dimension else None
            if dimension is not None and groups and groups[-1]["dimension"] is dimension:
                groups[-1]["items"].append(item)
            else:
                groups.append({"dimension": dimension, "items": [item]})
        return groups

    @property
    def scale_labels(self) -> tuple[str, ...]:
        return SCALE_LABELS

    @property
    def has_dimensions(self) -> bool:
        return any(question.dimension for question in self.questions.values())

    def error_items(self) -> list[dict[str, Any]]:
        return [
            {"field": self[name], "question": self.questions[name], "message": message}
            for name, message in self.stored_errors.items()
        ]


# The page writes the field itself, so it is never near this size; the longest honest value
# is a step's answers as shown, a few thousand characters.
SHOWN_MAX_CHARS = 100_000


def _shown_on_page(post: MultiValueDict) -> dict[str, list[str]]:
    """The answers the page was drawn with, as it posted them back.

    The page writes this field itself, so anything but an object of lists of strings, and
    anything oversized or nested deeper, was not written by it: a 400, never a guess.
    """
    raw = post.get(SHOWN_FIELD, "") or "{}"
    if len(raw) > SHOWN_MAX_CHARS:
        raise BadRequest("The page's hidden field is too large.")
    try:
        shown = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadRequest("The page's hidden field is not readable.") from None
    if not isinstance(shown, dict) or not all(
        isinstance(values, list) and all(isinstance(value, str) for value in values)
        for values in shown.values()
    ):
        raise BadRequest("The page's hidden field is not what the page wrote.")
    return shown


def posted_answers(
    section: Section, post: MultiValueDict, stored: Mapping[str, Answer]
) -> dict[str, str | list[str] | None]:
    """The answers a step's plain form post carries, as the validator's raw input.

    ``None`` means "clear this answer" (every box of a list question unticked). Only what the
    person changed on this page is taken: a field still showing what the page was drawn with,
    a radio group with nothing chosen and a blank field that had no answer are left alone, so
    posting one tab's step does not undo answers another tab has saved meanwhile.
    """
    shown = _shown_on_page(post)
    answers: dict[str, str | list[str] | None] = {}
    for question in section.questions:
        name = field_name(question.code)
        if question.kind == "multi":
            ticked = post.getlist(name)
            if name in shown and sorted(shown[name]) == sorted(ticked):
                continue
            if ticked:
                answers[question.code] = ticked
            elif question.code in stored:
                answers[question.code] = None
            continue
        value = post.get(name)
        if value is None or shown.get(name) == [value]:
            continue
        if not value.strip() and question.code not in stored:
            continue
        answers[question.code] = value
    return answers


class InviteForm(forms.Form):
    person = IdChoiceField(
        queryset=Person.objects.none(),
        label="Who answers",
        empty_label=None,
        help_text="The client's CEO receives a personal link by email.",
    )
    # A fresh key each time the form is drawn: posting the same form twice issues one link.
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("request_key", secrets.token_urlsafe(16))
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(client=engagement.client).ceos()


class LeaderInviteForm(forms.Form):
    """Invites a leader of the client other than the CEO to give their perspective."""

    person = IdChoiceField(
        queryset=Person.objects.none(),
        label="Leader",
        empty_label=None,
        help_text="They receive a personal link to a shorter questionnaire; the memo shows "
        "their answers by role, not by name.",
        error_messages={"invalid_choice": "Choose one of the client's leaders listed here."},
    )
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("request_key", secrets.token_urlsafe(16))
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = Person.objects.filter(client=engagement.client).leaders()
        field.label_from_instance = lambda p: f"{p.name} ({p.get_role_display()})"
