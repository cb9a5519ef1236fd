"""Checking answers against the questionnaire definition.

Answers are refused whole: :func:`validate` returns every problem at once, and scoring only ever
sees answers that passed. Nothing here raises, whatever it is given.

Decisions the methodology leaves open (also in ``docs/methodology.md``):

- A whole number must be a JSON integer: ``3.0`` is refused like ``3.5``, and ``true`` is not 1.
- An amount (``number``) may be an integer or a decimal, but never NaN or infinite.
- A list answer may not name the same choice twice; repeats usually mean a broken client.
- An optional answer that is absent or ``null`` counts as not answered.
- Problems with the answers as a whole (not an object) carry the code ``""``: no question.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assessments.questionnaire import QUESTIONS, Question

ROOT_CODE = ""


@dataclass(frozen=True)
class AnswerError:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


# --- Describing values and expectations. -----------------------------------------------------


def _is_int(value: object) -> bool:
    # bool is a subclass of int in Python, but true is not an answer to "how many". The exact
    # type test first is only a fast path for the common case.
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


def _is_number(value: object) -> bool:
    return (
        type(value) is int
        or type(value) is float
        or (isinstance(value, int | float) and not isinstance(value, bool))
    )


def _got(value: object) -> str:
    """A short, safe rendering of what was given, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        text = str(value) if value.bit_length() < 200 else "a very large number"
        return text
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def _bound(question: Question, value: int | float) -> str:
    return f"${value:,}" if question.unit == "usd" else f"{value:,}"


def expectation(question: Question) -> str:
    """What a valid answer looks like, as a phrase: "a whole number of at least 1"."""
    kind = question.kind
    if kind in ("integer", "scale", "number"):
        noun = "a whole number" if kind != "number" else "a number"
        if question.unit == "usd":
            noun = "an amount in US dollars"
        low, high = question.minimum, question.maximum
        if low is not None and high is not None:
            return f"{noun} from {_bound(question, low)} to {_bound(question, high)}"
        if low is not None:
            return f"{noun} of at least {_bound(question, low)}"
        return noun
    if kind == "choice":
        return "one of " + ", ".join(f'"{v}"' for v in question.choice_values)
    if kind == "multi":
        return "a list (possibly empty) of distinct items from " + ", ".join(
            f'"{v}"' for v in question.choice_values
        )
    if kind == "boolean":
        return "true or false"
    if kind == "text":
        return f"text of at most {question.max_length:,} characters"
    return "a valid answer"  # pragma: no cover - every kind is handled above


# --- One checker per question, built once. ---------------------------------------------------

Checker = Callable[[object], "str | None"]


def _number_checker(question: Question, whole: bool) -> Checker:
    expected = expectation(question)
    low, high = question.minimum, question.maximum
    accepts = _is_int if whole else _is_number

    def check(value: object) -> str | None:
        if not accepts(value):
            return f"expected {expected}, got {_got(value)}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"expected {expected}, got {_got(value)}"
        if (low is not None and value < low) or (high is not None and value > high):  # type: ignore[operator]
            return f"expected {expected}, got {_got(value)}"
        return None

    return check


def _choice_checker(question: Question) -> Checker:
    expected = expectation(question)
    allowed = frozenset(question.choice_values)

    def check(value: object) -> str | None:
        if not isinstance(value, str) or value not in allowed:
            return f"expected {expected}, got {_got(value)}"
        return None

    return check


def _multi_checker(question: Question) -> Checker:
    expected = expectation(question)
    allowed = frozenset(question.choice_values)

    def check(value: object) -> str | None:
        if not isinstance(value, list | tuple):
            return f"expected {expected}, got {_got(value)}"
        unknown: list[str] = []
        repeated: list[str] = []
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str) or item not in allowed:
                unknown.append(_got(item))
            elif item in seen:
                repeated.append(_got(item))
            else:
                seen.add(item)
        problems = []
        if unknown:
            problems.append("unknown item " + ", ".join(unknown))
        if repeated:
            problems.append("repeated item " + ", ".join(repeated))
        if problems:
            return f"expected {expected}, got " + "; ".join(problems)
        return None

    return check


def _boolean_checker(question: Question) -> Checker:
    expected = expectation(question)

    def check(value: object) -> str | None:
        if not isinstance(value, bool):
            return f"expected {expected}, got {_got(value)}"
        return None

    return check


def _text_checker(question: Question) -> Checker:
    expected = expectation(question)
    limit = question.max_length

    def check(value: object) -> str | None:
        if not isinstance(value, str):
            return f"expected {expected}, got {_got(value)}"
        if limit is not None and len(value) > limit:
            return f"expected {expected}, got {len(value):,} characters"
        return None

    return check


def _checker(question: Question) -> Checker:
    kind = question.kind
    if kind in ("integer", "scale"):
        return _number_checker(question, whole=True)
    if kind == "number":
        return _number_checker(question, whole=False)
    if kind == "choice":
        return _choice_checker(question)
    if kind == "multi":
        return _multi_checker(question)
    if kind == "boolean":
        return _boolean_checker(question)
    if kind == "text":
        return _text_checker(question)
    raise ValueError(f"{question.code}: unknown question kind {kind!r}")


_CHECKERS: dict[str, Checker] = {code: _checker(q) for code, q in QUESTIONS.items()}
_REQUIRED: frozenset[str] = frozenset(code for code, q in QUESTIONS.items() if q.required)


def _shown_code(code: object) -> str:
    text = code if isinstance(code, str) else str(code)
    return text if len(text) <= 80 else text[:77] + "..."


# --- Public API. -----------------------------------------------------------------------------


def validate_value(code: str, value: object) -> str | None:
    """Check one answer; return what is wrong with it (without the code in front), or None.

    ``None`` for an optional question means "not answered" and is accepted; for a required one
    it is an error. Used by the browser autosave, which checks one field at a time.
    """
    check = _CHECKERS.get(code) if isinstance(code, str) else None
    if check is None:
        return "unknown question code"
    if value is None:
        if code in _REQUIRED:
            return f"an answer is required: expected {expectation(QUESTIONS[code])}"
        return None
    try:
        return check(value)
    except Exception:  # a hostile object (say, a broken __eq__) must not crash the caller
        return f"expected {expectation(QUESTIONS[code])}, got {_got(value)}"


def validate(answers: object) -> list[AnswerError]:
    """Every problem with a set of answers, in questionnaire order then unknown codes.

    An empty list means the answers can be scored.
    """
    if not isinstance(answers, Mapping):
        return [
            AnswerError(ROOT_CODE, f"expected the answers as a JSON object, got {_got(answers)}")
        ]
    try:
        return _validate_mapping(answers)
    except Exception:  # a Mapping whose own methods fail; JSON input never gets here
        return [AnswerError(ROOT_CODE, "the answers could not be read as a JSON object")]


# (code, checker, required, expectation) in questionnaire order, so validating a set of answers
# does no lookups beyond the answers themselves.
_PLAN: tuple[tuple[str, Checker, bool, str], ...] = tuple(
    (code, _CHECKERS[code], q.required, expectation(q)) for code, q in QUESTIONS.items()
)


def _validate_mapping(answers: Mapping[object, object]) -> list[AnswerError]:
    errors: list[AnswerError] = []
    for code, check, required, expected in _PLAN:
        if code not in answers:
            if required:
                errors.append(AnswerError(code, f"{code}: missing; expected {expected}"))
            continue
        value = answers[code]
        if value is None:
            problem = f"expected {expected}, got null" if required else None
        else:
            try:
                problem = check(value)
            except Exception:  # a hostile object (a broken __eq__, say) must not escape
                problem = f"expected {expected}, got {_got(value)}"
        if problem is not None:
            errors.append(AnswerError(code, f"{code}: {problem}"))
    for code in answers:
        if code not in _CHECKERS:
            key = code if isinstance(code, str) else str(code)
            errors.append(AnswerError(key, f"{_shown_code(key)}: unknown question code"))
    return errors


def missing_codes(answers: object) -> list[str]:
    """Required codes with no answer yet, in questionnaire order (all of them for a non-object)."""
    if not isinstance(answers, Mapping):
        return [code for code in QUESTIONS if code in _REQUIRED]
    return [code for code in QUESTIONS if code in _REQUIRED and answers.get(code) is None]


# --- Browser form values. --------------------------------------------------------------------

_WHOLE = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# Thousands separators and spaces people type into amounts: "6,200,000", "6 200 000".
_SEPARATORS = str.maketrans("", "", ", _\u00a0\u202f")
_TRUE = frozenset({"yes", "true", "on", "1"})
_FALSE = frozenset({"no", "false", "off", "0"})


def _form_message(question: Question, value: object) -> str:
    """The sentence shown next to a field whose parsed value is out of bounds."""
    kind = question.kind
    if kind == "scale":
        return f"Choose a value from {question.minimum} to {question.maximum}."
    if kind in ("integer", "number"):
        return f"Enter {expectation(question)}."
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
    if kind in ("integer", "scale"):
        digits = text.translate(_SEPARATORS)
        if not _WHOLE.fullmatch(digits):
            if kind == "scale":
                return _Invalid(f"Choose a value from {question.minimum} to {question.maximum}.")
            return _Invalid("Enter a whole number, such as 250.")
        return _to_int(digits)
    if kind == "number":
        digits = text.translate(_SEPARATORS).removeprefix("$").removeprefix("US$")
        if not _DECIMAL.fullmatch(digits):
            example = "6,200,000" if question.unit == "usd" else "250"
            return _Invalid(f"Enter an amount in figures, such as {example}.")
        return _to_int(digits) if _WHOLE.fullmatch(digits) else float(digits)
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
