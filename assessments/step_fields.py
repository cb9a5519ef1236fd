"""One step of the questionnaire as the page draws it: its fields, with what each shows.

The questionnaire is data, so its page needs no form library: each question becomes a
``StepField`` holding the strings its small template (``templates/assessments/fields/``, one
per kind of question) writes out. Nothing here checks an answer, that is the validator's job;
a field shows what is stored, and the message stored with it, so an invalid value and its
message survive a reload.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assessments.forms import NO, NONE_OF_THESE, YES, field_name, is_asked, shown_value
from assessments.models import Answer
from assessments.plausibility import Finding
from assessments.questionnaire import (
    DIMENSIONS_BY_KEY,
    SCALE_LABELS,
    Dimension,
    Question,
    Section,
)

# The template each kind of question is drawn with; a dimension's two scales have their own.
TEMPLATES = {
    "integer": "assessments/fields/figure.html",
    "number": "assessments/fields/figure.html",
    "text": "assessments/fields/text.html",
    "choice": "assessments/fields/options.html",
    "boolean": "assessments/fields/options.html",
    "multi": "assessments/fields/options.html",
    "scale": "assessments/fields/options.html",
}
DIMENSION_TEMPLATE = "assessments/fields/dimension_scale.html"


@dataclass(frozen=True)
class Option:
    """One radio button or checkbox."""

    value: str
    label: str
    id: str
    checked: bool
    # For a dimension's scale: the words of the point, read out after its number.
    words: str = ""


@dataclass
class StepField:
    question: Question
    name: str
    id: str
    label: str
    help: str
    value: str
    options: list[Option]
    error: str
    notes: list[Finding]
    # What the field shows of its stored answer, as a form would post it; None: no answer.
    shown: list[str] | None
    # A question asked only under a condition names the field controlling it, and starts
    # hidden unless the stored answers meet the condition (the page's script follows changes).
    shown_when: str = ""
    shown_values: str = ""
    hidden: bool = False
    template: str = ""

    @property
    def help_id(self) -> str:
        return f"{self.id}_helptext" if self.help else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}_error" if self.error else ""

    @property
    def described_by(self) -> str:
        return " ".join(part for part in (self.help_id, self.error_id) if part)

    @property
    def input_type(self) -> str:
        return "checkbox" if self.question.kind == "multi" else "radio"


@dataclass
class Group:
    """Fields drawn together: a dimension's two scales, or one ordinary question."""

    dimension: Dimension | None
    fields: list[StepField] = field(default_factory=list)


def _options(question: Question, name: str, shown: list[str]) -> list[Option]:
    kind = question.kind
    if kind == "boolean":
        pairs = [(YES, "Yes"), (NO, "No")]
    elif kind == "multi":
        pairs = [(c.value, c.label) for c in question.choices] + [(NONE_OF_THESE, "None of these")]
    elif kind == "scale":
        labels = question.scale_labels
        points = range(int(question.minimum or 1), int(question.maximum or 5) + 1)
        pairs = [
            (str(point), f"{point} – {labels[point - 1]}" if labels else str(point))
            for point in points
        ]
    elif kind == "choice":
        pairs = [(c.value, c.label) for c in question.offered_choices]
    else:
        return []
    words = question.scale_labels if question.dimension else ()
    return [
        Option(
            value=value,
            label=label,
            id=f"id_{name}_{index}",
            checked=value in shown,
            words=words[index] if words else "",
        )
        for index, (value, label) in enumerate(pairs)
    ]


def _step_field(
    question: Question, answers: Mapping[str, Answer], notes: list[Finding]
) -> StepField:
    name = field_name(question.code)
    answer = answers.get(question.code)
    shown = shown_value(question, answer) if answer is not None else []
    label = question.label
    help_text = question.help
    template = TEMPLATES[question.kind]
    if question.dimension:
        # Both poles are shown once above the two scales, so no help text repeats them.
        label = "Today" if question.code.endswith(".today") else "In 24 months"
        help_text = ""
        template = DIMENSION_TEMPLATE
    step_field = StepField(
        question=question,
        name=name,
        id=f"id_{name}",
        label=label,
        help=help_text,
        value=shown[-1] if shown and question.kind in ("integer", "number", "text") else "",
        options=_options(question, name, shown),
        error=answer.error if answer is not None else "",
        notes=notes,
        shown=shown if answer is not None else None,
        template=template,
    )
    if condition := question.shown_when:
        step_field.shown_when = field_name(condition.code)
        step_field.shown_values = " ".join(condition.values)
        step_field.hidden = not is_asked(question, answers)
    return step_field


class StepPage:
    """The fields of one step, showing the stored answers and their stored errors."""

    scale_labels = SCALE_LABELS

    def __init__(
        self,
        section: Section,
        answers: Mapping[str, Answer],
        notes: Sequence[Finding] = (),
    ) -> None:
        by_code: dict[str, list[Finding]] = {}
        for note in notes:
            by_code.setdefault(note.code, []).append(note)
        self.fields = [
            _step_field(question, answers, by_code.get(question.code, []))
            for question in section.questions
        ]
        self.has_dimensions = any(question.dimension for question in section.questions)

    def groups(self) -> list[Group]:
        """The fields in display order; the two scales of a dimension travel together."""
        groups: list[Group] = []
        for step_field in self.fields:
            key = step_field.question.dimension
            dimension = DIMENSIONS_BY_KEY[key] if key else None
            if dimension is not None and groups and groups[-1].dimension is dimension:
                groups[-1].fields.append(step_field)
            else:
                groups.append(Group(dimension=dimension, fields=[step_field]))
        return groups

    def errors(self) -> list[StepField]:
        return [step_field for step_field in self.fields if step_field.error]

    def shown_json(self) -> str:
        """The answers as this page showed them, posted back so that untouched fields are
        recognised and do not overwrite what another tab saved meanwhile."""
        shown = {f.name: f.shown for f in self.fields if f.shown is not None}
        return json.dumps(shown, separators=(",", ":"))
