"""What a browser form posts, turned into typed answers or a message saying what to type."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.form_values import coerce_form_value
from assessments.methodology.validation import validate_value
from assessments.questionnaire import QUESTIONS
from tests.assessments.factories import answers_strategy

FORM_CASES = [
    ("profile.employees", "250", 250, None),
    ("profile.employees", " 1,200 ", 1200, None),
    ("profile.employees", "abc", None, "Enter a whole number, such as 250."),
    ("profile.employees", "3.5", None, "Enter a whole number, such as 250."),
    ("profile.employees", "0", None, "Enter a whole number of at least 1."),
    ("profile.employees", "", None, None),
    ("profile.employees", "   ", None, None),
    ("profile.ai_spend_usd", "6,200,000", 6_200_000, None),
    ("profile.ai_spend_usd", "6200000", 6_200_000, None),
    ("profile.ai_spend_usd", "$6,200,000.50", 6_200_000.5, None),
    ("profile.ai_spend_usd", "6 200 000", 6_200_000, None),
    ("profile.ai_spend_usd", "nan", None, "Enter an amount in figures, such as 6,200,000."),
    ("profile.ai_spend_usd", "six million", None, "Enter an amount in figures, such as 6,200,000."),
    ("profile.ai_spend_usd", "-5", None, "Enter an amount in US dollars of at least $0."),
    ("profile.compliance_needs_executive", "yes", True, None),
    ("profile.compliance_needs_executive", "No", False, None),
    ("profile.compliance_needs_executive", "true", True, None),
    ("profile.compliance_needs_executive", "false", False, None),
    ("profile.compliance_needs_executive", "maybe", None, "Choose yes or no."),
    ("profile.ai_role", "core", "core", None),
    ("profile.ai_role", "robots", None, "Choose one of the options listed."),
    ("profile.ai_role", ["feature", "core"], "core", None),
    ("leadership.cto_capacity", "4", 4, None),
    ("leadership.cto_capacity", "6", None, "Choose a value from 1 to 5."),
    ("leadership.cto_capacity", "x", None, "Choose a value from 1 to 5."),
    ("profile.ai_functions", ["sales", "support"], ["sales", "support"], None),
    ("profile.ai_functions", [], [], None),
    ("profile.ai_functions", [""], [], None),
    ("profile.ai_functions", "sales", ["sales"], None),
    (
        "profile.ai_functions",
        ["sales", "crm"],
        None,
        "Choose only from the options listed, each at most once.",
    ),
    ("context.concerns", "", None, None),
    ("context.concerns", "  Board wants a plan.  ", "  Board wants a plan.  ", None),
    (
        "context.concerns",
        "x" * 5_001,
        None,
        "Keep this to 5,000 characters or fewer (it has 5,001).",
    ),
    ("no.such.question", "1", None, "This question is not part of the assessment."),
    ("profile.employees", "1" * 5_000, None, "That number is far too long."),
]


@pytest.mark.parametrize(("code", "raw", "value", "message"), FORM_CASES)
def test_coerce_form_value(code: str, raw: Any, value: object, message: str | None) -> None:
    assert coerce_form_value(code, raw) == (value, message)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(list(QUESTIONS)),
    st.one_of(st.text(max_size=30), st.lists(st.text(max_size=12), max_size=4)),
)
def test_coerced_form_values_are_always_valid_answers(code: str, raw: Any) -> None:
    value, message = coerce_form_value(code, raw)
    if message is None and value is not None:
        assert validate_value(code, value) is None
    if message is not None:
        assert value is None


@settings(max_examples=100, deadline=None)
@given(answers_strategy())
def test_valid_answers_survive_a_trip_through_the_form(answers: dict[str, Any]) -> None:
    for code, value in answers.items():
        kind = QUESTIONS[code].kind
        if kind == "multi":
            raw: Any = list(value)
        elif kind == "boolean":
            raw = "yes" if value else "no"
        elif kind == "number" and isinstance(value, float):
            raw = f"{value:,.2f}"
        else:
            raw = str(value)
        coerced, message = coerce_form_value(code, raw)
        assert message is None
        if kind == "number" and isinstance(value, float):
            assert coerced == pytest.approx(value, abs=0.01)
        elif kind == "text" and not value.strip():
            assert coerced is None
        else:
            assert coerced == value
