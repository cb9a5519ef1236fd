"""Forms around the questionnaire: what a step's post carries, and the advisor's invitations.

A step's post is only read here: checking an answer is the validator's job
(``coerce_form_value``), so nothing here adds messages of its own. The step's page itself is
drawn from the questionnaire definition by ``assessments/step_fields.py``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.utils.datastructures import MultiValueDict

from advisory.fields import IdChoiceField
from advisory.models import Engagement, Person
from assessments.models import Answer
from assessments.questionnaire import (
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
        field.label_from_instance = lambda p: p.name_and_role
