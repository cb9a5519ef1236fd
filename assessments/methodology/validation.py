"""Checking one set of answers against the fields of §1, shared by every version.

Answers are refused whole: :func:`validate_answers` returns every problem at once, and scoring
only ever sees answers that passed. Nothing here raises, whatever it is given.

What §1 of 2026.2 spells out, and 2026.1 was read the same way (``docs/methodology.md``):

- A whole number must be a JSON integer: ``3.0`` is refused like ``3.5``, and ``true`` is not 1.
- An amount (``number``) may be an integer or a decimal, but never NaN or infinite.
- A list answer may not name the same choice twice.
- An optional answer may be left out; ``null`` is not text, so it is a wrong type like any
  other (§1 calls the question optional, not nullable, and §7 says of ``perspectives`` that
  ``null`` is an error: the literal reading).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assessments.methodology.answers import FIELDS, Field


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


def describe_value(value: object) -> str:
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


def _bound(field: Field, value: int | float) -> str:
    return f"${value:,}" if field.unit == "usd" else f"{value:,}"


def expectation(field: Field) -> str:
    """What a valid answer looks like, as a phrase: "a whole number of at least 1"."""
    kind = field.kind
    if kind in ("integer", "scale", "number"):
        noun = "a whole number" if kind != "number" else "a number"
        if field.unit == "usd":
            noun = "an amount in US dollars"
        low, high = field.minimum, field.maximum
        if low is not None and high is not None:
            return f"{noun} from {_bound(field, low)} to {_bound(field, high)}"
        if low is not None:
            return f"{noun} of at least {_bound(field, low)}"
        return noun
    if kind == "choice":
        return "one of " + ", ".join(f'"{v}"' for v in field.choices)
    if kind == "multi":
        return "a list (possibly empty) of distinct items from " + ", ".join(
            f'"{v}"' for v in field.choices
        )
    if kind == "boolean":
        return "true or false"
    if kind == "text":
        return f"text of at most {field.max_length:,} characters"
    return "a valid answer"  # pragma: no cover - every kind is handled above


# --- One checker per field, built once. ---------------------------------------------------

Checker = Callable[[object], "str | None"]


def _number_checker(field: Field, whole: bool) -> Checker:
    expected = expectation(field)
    low, high = field.minimum, field.maximum
    accepts = _is_int if whole else _is_number

    def check(value: object) -> str | None:
        if not accepts(value):
            return f"expected {expected}, got {describe_value(value)}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"expected {expected}, got {describe_value(value)}"
        if (low is not None and value < low) or (high is not None and value > high):  # type: ignore[operator]
            return f"expected {expected}, got {describe_value(value)}"
        return None

    return check


def _choice_checker(field: Field) -> Checker:
    expected = expectation(field)
    allowed = frozenset(field.choices)

    def check(value: object) -> str | None:
        if not isinstance(value, str) or value not in allowed:
            return f"expected {expected}, got {describe_value(value)}"
        return None

    return check


def _multi_checker(field: Field) -> Checker:
    expected = expectation(field)
    allowed = frozenset(field.choices)

    def check(value: object) -> str | None:
        if not isinstance(value, list | tuple):
            return f"expected {expected}, got {describe_value(value)}"
        unknown: list[str] = []
        repeated: list[str] = []
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str) or item not in allowed:
                unknown.append(describe_value(item))
            elif item in seen:
                repeated.append(describe_value(item))
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


def _boolean_checker(field: Field) -> Checker:
    expected = expectation(field)

    def check(value: object) -> str | None:
        if not isinstance(value, bool):
            return f"expected {expected}, got {describe_value(value)}"
        return None

    return check


def _text_checker(field: Field) -> Checker:
    expected = expectation(field)
    limit = field.max_length

    def check(value: object) -> str | None:
        if not isinstance(value, str):
            return f"expected {expected}, got {describe_value(value)}"
        if limit is not None and len(value) > limit:
            return f"expected {expected}, got {len(value):,} characters"
        return None

    return check


def _checker(field: Field) -> Checker:
    kind = field.kind
    if kind in ("integer", "scale"):
        return _number_checker(field, whole=True)
    if kind == "number":
        return _number_checker(field, whole=False)
    if kind == "choice":
        return _choice_checker(field)
    if kind == "multi":
        return _multi_checker(field)
    if kind == "boolean":
        return _boolean_checker(field)
    if kind == "text":
        return _text_checker(field)
    raise ValueError(f"{field.code}: unknown field kind {kind!r}")


_CHECKERS: dict[str, Checker] = {code: _checker(field) for code, field in FIELDS.items()}


def _shown_code(code: object) -> str:
    text = code if isinstance(code, str) else str(code)
    return text if len(text) <= 80 else text[:77] + "..."


# --- Public API. -----------------------------------------------------------------------------


def validate_value(code: str, value: object) -> str | None:
    """Check one answer; return what is wrong with it (without the code in front), or None.

    ``None`` for an optional field means "not answered" and is accepted; for a required one
    it is an error. Used by the browser autosave, which checks one field at a time.
    """
    check = _CHECKERS.get(code) if isinstance(code, str) else None
    if check is None:
        return "unknown question code"
    field = FIELDS[code]
    if value is None:
        if field.required:
            return f"an answer is required: expected {expectation(field)}"
        return None
    try:
        return check(value)
    except Exception:  # a hostile object (say, a broken __eq__) must not crash the caller
        return f"expected {expectation(field)}, got {describe_value(value)}"


def validate_answers(
    answers: object,
    *,
    codes: tuple[str, ...] | None = None,
    root_code: str = "",
    prefix: str = "",
) -> list[AnswerError]:
    """Every problem with one set of answers, in field order, then unknown codes.

    ``codes`` limits the set to some fields (a perspective answers fewer); any other code is
    unknown. ``root_code`` names the problem of answers that are not an object at all, and
    ``prefix`` goes before every code (``perspectives.0.``). An empty list means the answers
    can be scored.
    """
    if not isinstance(answers, Mapping):
        return [
            AnswerError(
                root_code,
                _message(
                    root_code,
                    f"expected the answers as a JSON object, got {describe_value(answers)}",
                ),
            )
        ]
    plan = _PLAN if codes is None else tuple(step for step in _PLAN if step[0] in codes)
    try:
        return _validate_mapping(answers, plan, prefix)
    except Exception:  # a Mapping whose own methods fail; JSON input never gets here
        return [AnswerError(root_code, _message(root_code, "the answers could not be read"))]


def _message(code: str, problem: str) -> str:
    return f"{code}: {problem}" if code else problem


# (code, checker, required, expectation) in field order, so validating a set of answers does
# no lookups beyond the answers themselves.
_PLAN: tuple[tuple[str, Checker, bool, str], ...] = tuple(
    (code, _CHECKERS[code], field.required, expectation(field)) for code, field in FIELDS.items()
)


def _validate_mapping(
    answers: Mapping[object, object],
    plan: tuple[tuple[str, Checker, bool, str], ...],
    prefix: str,
) -> list[AnswerError]:
    errors: list[AnswerError] = []
    for code, check, required, expected in plan:
        named = prefix + code
        if code not in answers:
            if required:
                errors.append(AnswerError(named, f"{named}: missing; expected {expected}"))
            continue
        value = answers[code]
        if value is None:
            problem = f"expected {expected}, got null"
        else:
            try:
                problem = check(value)
            except Exception:  # a hostile object (a broken __eq__, say) must not escape
                problem = f"expected {expected}, got {describe_value(value)}"
        if problem is not None:
            errors.append(AnswerError(named, f"{named}: {problem}"))
    known = {step[0] for step in plan}
    for code in answers:
        if code not in known:
            key = prefix + (code if isinstance(code, str) else str(code))
            errors.append(AnswerError(key, f"{_shown_code(key)}: unknown question code"))
    return errors
