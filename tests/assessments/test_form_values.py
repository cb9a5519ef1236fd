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

EMPLOYEES_WHOLE = "Enter the number of employees as a whole number, such as 1,250."
SPEND_IN_FIGURES = "Enter the yearly AI spend in figures, such as $2.5M or 2,500,000."
SPEND_RANGE = "Give one figure for the yearly AI spend, not a range: your best estimate is fine."


def _in_dollars(currency: str) -> str:
    return (
        f"Give the yearly AI spend in US dollars, such as $2.5M: amounts in {currency} are not "
        "converted here."
    )


FORM_CASES = [
    ("profile.employees", "250", 250, None),
    ("profile.employees", " 1,200 ", 1200, None),
    ("profile.employees", "1 250", 1250, None),
    ("profile.employees", "1.2k", 1200, None),
    ("profile.employees", "abc", None, EMPLOYEES_WHOLE),
    ("profile.employees", "roughly 300", None, EMPLOYEES_WHOLE),
    ("profile.employees", "3.5", None, EMPLOYEES_WHOLE),
    ("profile.employees", "1,2", None, EMPLOYEES_WHOLE),
    ("profile.employees", "0", None, "The number of employees must be at least 1."),
    ("profile.employees", "-3", None, "The number of employees cannot be negative."),
    (
        "profile.employees",
        "100-200",
        None,
        "Give one figure for the number of employees, not a range: your best estimate is fine.",
    ),
    (
        "profile.employees",
        "$300",
        None,
        "Enter the number of employees as a count, without a currency, such as 1,250.",
    ),
    (
        "profile.engineering_headcount",
        "-1",
        None,
        "The number of people in engineering cannot be negative.",
    ),
    ("profile.employees", "", None, None),
    ("profile.employees", "   ", None, None),
    # Amounts as people write them, the app's own "$2.5M" among them.
    ("profile.ai_spend_usd", "2500000", 2_500_000, None),
    ("profile.ai_spend_usd", "2,500,000", 2_500_000, None),
    ("profile.ai_spend_usd", "$2.5M", 2_500_000, None),
    ("profile.ai_spend_usd", "2.5m", 2_500_000, None),
    ("profile.ai_spend_usd", "2.5 million", 2_500_000, None),
    ("profile.ai_spend_usd", "2.5 millions", 2_500_000, None),
    ("profile.ai_spend_usd", "750k", 750_000, None),
    ("profile.ai_spend_usd", "$750K", 750_000, None),
    ("profile.ai_spend_usd", "1.2bn", 1_200_000_000, None),
    ("profile.ai_spend_usd", "1.2 billion", 1_200_000_000, None),
    ("profile.ai_spend_usd", "US$ 2.5M", 2_500_000, None),
    ("profile.ai_spend_usd", "USD 2,500,000", 2_500_000, None),
    ("profile.ai_spend_usd", "2.5M USD", 2_500_000, None),
    ("profile.ai_spend_usd", "2.5 million dollars", 2_500_000, None),
    ("profile.ai_spend_usd", "$.5M", 500_000, None),
    ("profile.ai_spend_usd", "6,200,000", 6_200_000, None),
    ("profile.ai_spend_usd", "6200000", 6_200_000, None),
    ("profile.ai_spend_usd", "$6,200,000.50", 6_200_000.5, None),
    ("profile.ai_spend_usd", "6 200 000", 6_200_000, None),
    ("profile.ai_spend_usd", "6\u00a0200\u00a0000", 6_200_000, None),
    ("profile.ai_spend_usd", "0", 0, None),
    # Other currencies, ranges, words, negatives: said plainly, naming the figure.
    ("profile.ai_spend_usd", "€2.5M", None, _in_dollars("euros")),
    ("profile.ai_spend_usd", "2.5M EUR", None, _in_dollars("euros")),
    ("profile.ai_spend_usd", "£300k", None, _in_dollars("pounds")),
    ("profile.ai_spend_usd", "2 million pounds", None, _in_dollars("pounds")),
    ("profile.ai_spend_usd", "C$2M", None, _in_dollars("Canadian, Australian or other dollars")),
    ("profile.ai_spend_usd", "1-2M", None, SPEND_RANGE),
    ("profile.ai_spend_usd", "1–2 million", None, SPEND_RANGE),
    ("profile.ai_spend_usd", "$1M - $2M", None, SPEND_RANGE),
    ("profile.ai_spend_usd", "1 to 2 million", None, SPEND_RANGE),
    ("profile.ai_spend_usd", "between 1 and 2 million", None, SPEND_RANGE),
    ("profile.ai_spend_usd", "about a million", None, SPEND_IN_FIGURES),
    ("profile.ai_spend_usd", "six million", None, SPEND_IN_FIGURES),
    ("profile.ai_spend_usd", "nan", None, SPEND_IN_FIGURES),
    ("profile.ai_spend_usd", "1e6", None, SPEND_IN_FIGURES),
    ("profile.ai_spend_usd", "-5", None, "The yearly AI spend cannot be negative."),
    ("profile.ai_spend_usd", "-$2.5M", None, "The yearly AI spend cannot be negative."),
    ("profile.ai_spend_usd", "\u22122.5M", None, "The yearly AI spend cannot be negative."),
    (
        "profile.ai_spend_usd",
        "2,5M",
        None,
        "Write the yearly AI spend with a point for decimals and commas for thousands, such as "
        "$2.5M.",
    ),
    (
        "profile.ai_spend_usd",
        "2.500.000",
        None,
        "Separate the thousands of the yearly AI spend with commas, such as 2,500,000.",
    ),
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
