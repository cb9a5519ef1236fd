"""Turning what a browser form posts into typed answers, or a message saying what to type.

The questionnaire pages save every answer as typed (``raw``) and, when it reads as a valid
answer, as a typed value; the checks themselves are the methodology's
(:func:`assessments.methodology.validation.validate_value`). Figures are read the way people
write them (:mod:`assessments.figures`): "$2.5M" is stored as the number 2500000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessments.figures import NotAFigure, read_figure
from assessments.methodology.validation import expectation, validate_value
from assessments.questionnaire import QUESTIONS, Question

_WHOLE = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"yes", "true", "on", "1"})
_FALSE = frozenset({"no", "false", "off", "0"})


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _example(question: Question) -> str:
    return "$2.5M or 2,500,000" if question.unit == "usd" else "1,250"


def _figure_message(question: Question, problem: NotAFigure) -> str:
    """What to type instead, naming the figure asked for."""
    noun = question.noun
    money = question.unit == "usd"
    reason = problem.reason
    if reason == "currency" and money:
        return (
            f"Give {noun} in US dollars, such as $2.5M: amounts in {problem.currency} are "
            "not converted here."
        )
    if reason == "currency":
        return f"Enter {noun} as a count, without a currency, such as 1,250."
    if reason == "range":
        return f"Give one figure for {noun}, not a range: your best estimate is fine."
    if reason == "negative":
        return f"{_capital(noun)} cannot be negative."
    if reason == "decimal_comma" and money:
        return f"Write {noun} with a point for decimals and commas for thousands, such as $2.5M."
    if reason == "dotted_thousands":
        return f"Separate the thousands of {noun} with commas, such as 2,500,000."
    if reason == "too_long":
        return "That number is far too long."
    if money:
        return f"Enter {noun} in figures, such as {_example(question)}."
    return f"Enter {noun} as a whole number, such as {_example(question)}."


def _form_message(question: Question, value: object) -> str:
    """The sentence shown next to a field whose parsed value is out of bounds."""
    kind = question.kind
    if kind == "scale":
        return f"Choose a value from {question.minimum} to {question.maximum}."
    if kind in ("integer", "number"):
        low = question.minimum
        if isinstance(value, int | float) and low is not None and value < low:
            if value < 0:
                return f"{_capital(question.noun)} cannot be negative."
            return f"{_capital(question.noun)} must be at least {low:,}."
        return f"Enter {expectation(question.field)}."
    if kind == "choice":
        return "Choose one of the options listed."
    if kind == "multi":
        return "Choose only from the options listed, each at most once."
    if kind == "text" and isinstance(value, str):
        return f"Keep this to {question.max_length:,} characters or fewer (it has {len(value):,})."
    return "This answer is not valid."


def coerce_form_value(code: str, raw: str | list[str]) -> tuple[object, str | None]:
    """Turn what a browser form posts into a typed answer, or say what to enter instead.

    Returns ``(value, None)`` when the answer is good and ``(None, message)`` when it is not.
    An empty answer gives ``(None, None)`` even for a required question: at autosave time "not
    answered yet" is not an error (missing answers are reported on submit by :func:`validate`).
    An empty "multi" answer is a real answer, the empty list.
    """
    question = QUESTIONS.get(code) if isinstance(code, str) else None
    if question is None:
        return None, "This question is not part of the assessment."
    if question.kind == "multi":
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            return None, _form_message(question, raw)
        # Forms often post an empty hidden input so that "none ticked" still arrives.
        value: object = [item for item in items if not (isinstance(item, str) and not item)]
    else:
        if isinstance(raw, list | tuple):
            # Like Django's QueryDict.get: the last value posted wins.
            raw = raw[-1] if raw else ""
        if not isinstance(raw, str):
            return None, "This answer is not valid."
        text = raw if question.kind == "text" else raw.strip()
        if not text.strip():
            return None, None
        parsed = _parse_single(question, text)
        if isinstance(parsed, _Invalid):
            return None, parsed.message
        value = parsed
    if validate_value(code, value) is not None:
        return None, _form_message(question, value)
    return value, None


@dataclass(frozen=True)
class _Invalid:
    message: str


def _to_int(digits: str) -> int | _Invalid:
    try:
        return int(digits)
    except ValueError:  # Python refuses to parse integers of more than 4,300 digits
        return _Invalid("That number is far too long.")


def _parse_single(question: Question, text: str) -> object:
    kind = question.kind
    if kind == "scale":
        if not _WHOLE.fullmatch(text):
            return _Invalid(f"Choose a value from {question.minimum} to {question.maximum}.")
        return _to_int(text)
    if kind in ("integer", "number"):
        figure = read_figure(text, whole=kind == "integer", money=question.unit == "usd")
        if isinstance(figure, NotAFigure):
            return _Invalid(_figure_message(question, figure))
        return figure
    if kind == "boolean":
        word = text.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        return _Invalid("Choose yes or no.")
    if kind == "choice":
        return text
    return text  # "text"
