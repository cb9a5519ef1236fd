"""Validation (§1, shared by every version; here through 2026.1) refuses bad answers whole
and names every problem. Pure: no database."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.methodology import AnswerError
from assessments.methodology.v2026_1 import validate
from assessments.methodology.validation import validate_value
from assessments.questionnaire import QUESTIONS, REQUIRED_CODES
from tests.assessments.factories import answers_strategy, valid_answers


def codes(errors: list[AnswerError]) -> list[str]:
    return [e.code for e in errors]


def test_sample_answers_are_valid() -> None:
    assert validate(valid_answers()) == []


def test_message_names_the_question_and_what_was_expected() -> None:
    errors = validate(valid_answers(profile__employees=0))
    assert [e.as_dict() for e in errors] == [
        {
            "code": "profile.employees",
            "message": "profile.employees: expected a whole number of at least 1, got 0",
        }
    ]


BAD_VALUES = [
    ("profile.employees", 0, "at least 1, got 0"),
    ("profile.employees", -3, "got -3"),
    ("profile.employees", True, "a whole number of at least 1, got true"),
    ("profile.employees", 3.5, "got 3.5"),
    ("profile.employees", 3.0, "got 3.0"),
    ("profile.employees", "250", 'got "250"'),
    ("profile.employees", None, "got null"),
    # Optional means it may be left out, not that null is text.
    ("context.concerns", None, "got null"),
    ("profile.employees", [250], "got a list"),
    ("profile.products", -1, "at least 0, got -1"),
    ("profile.ai_spend_usd", "6200000", "an amount in US dollars of at least $0"),
    ("profile.ai_spend_usd", math.nan, "got NaN"),
    ("profile.ai_spend_usd", math.inf, "got Infinity"),
    ("profile.ai_spend_usd", -0.5, "got -0.5"),
    ("profile.ai_spend_usd", False, "got false"),
    ("profile.ai_role", "Core", 'expected one of "internal", "feature", "core", got "Core"'),
    ("profile.ai_role", 2, "got 2"),
    ("profile.ai_functions", "sales", 'got "sales"'),
    ("profile.ai_functions", ["sales", "crm"], 'unknown item "crm"'),
    ("profile.ai_functions", ["sales", 7], "unknown item 7"),
    ("profile.ai_functions", ["sales", "sales"], 'repeated item "sales"'),
    ("profile.ai_functions", {"sales": True}, "got an object"),
    ("profile.compliance_needs_executive", "yes", 'expected true or false, got "yes"'),
    ("profile.compliance_needs_executive", 1, "expected true or false, got 1"),
    ("leadership.cto_capacity", 0, "from 1 to 5, got 0"),
    ("leadership.cto_capacity", 6, "from 1 to 5, got 6"),
    ("leadership.cto_scope", ["security", "cloud"], 'unknown item "cloud"'),
    ("accountability.outcomes_owner", "board", 'got "board"'),
    ("dimension.risk_lens.today", 0, "from 1 to 5, got 0"),
    ("dimension.risk_lens.needed", 5.5, "got 5.5"),
    ("overlap.ai_security", "shared", 'got "shared"'),
    ("context.concerns", "x" * 5_001, "at most 5,000 characters, got 5,001 characters"),
    ("context.concerns", 42, "got 42"),
]


@pytest.mark.parametrize(("code", "value", "fragment"), BAD_VALUES)
def test_bad_value_is_refused_with_its_code(code: str, value: object, fragment: str) -> None:
    errors = validate(valid_answers({code: value}))
    assert codes(errors) == [code]
    assert errors[0].message.startswith(f"{code}: ")
    assert fragment in errors[0].message


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("profile.ai_spend_usd", 6_200_000.75),
        ("profile.ai_spend_usd", 0),
        ("profile.ai_functions", []),
        ("leadership.cto_scope", []),
        ("context.concerns", "x" * 5_000),
        ("context.concerns", ""),
        ("profile.employees", 10**30),
    ],
)
def test_edge_values_are_accepted(code: str, value: object) -> None:
    assert validate(valid_answers({code: value})) == []


def test_optional_concerns_may_be_left_out() -> None:
    answers = valid_answers()
    del answers["context.concerns"]
    assert validate(answers) == []


def test_every_missing_answer_is_reported_in_questionnaire_order() -> None:
    errors = validate({})
    assert codes(errors) == list(REQUIRED_CODES)
    assert errors[0].message == "profile.employees: missing; expected a whole number of at least 1"


def test_all_problems_are_reported_together() -> None:
    answers = valid_answers(profile__employees="many", leadership__cto_capacity=9)
    del answers["overlap.cloud_compute"]
    answers["profile.revenue"] = 10
    assert codes(validate(answers)) == [
        "profile.employees",
        "leadership.cto_capacity",
        "overlap.cloud_compute",
        "profile.revenue",
    ]


def test_unknown_code_is_named() -> None:
    errors = validate(valid_answers() | {"profile.revenue_usd": 1})
    assert [e.as_dict() for e in errors] == [
        {"code": "profile.revenue_usd", "message": "profile.revenue_usd: unknown question code"}
    ]


@pytest.mark.parametrize("answers", [[], "answers", None, 3, [valid_answers()], True])
def test_answers_that_are_not_an_object_get_one_root_error(answers: object) -> None:
    errors = validate(answers)
    assert len(errors) == 1
    assert errors[0].code == ""
    assert "expected the answers as a JSON object" in errors[0].message


def test_validate_value_checks_one_answer_without_the_code() -> None:
    assert validate_value("profile.employees", 250) is None
    assert validate_value("profile.employees", 0) == "expected a whole number of at least 1, got 0"
    assert validate_value("no.such.code", 1) == "unknown question code"
    assert validate_value("context.concerns", None) is None
    assert validate_value("profile.employees", None) is not None


# --- Property: every mutation into invalid input is caught and named. ------------------------

WRONG_VALUES: dict[str, list[object]] = {
    "integer": [True, 2.5, "7", None, [], {}, -1, math.nan],
    "scale": [0, 6, 3.5, False, "3", math.inf],
    "number": [True, "1000", -1, math.nan, math.inf, -math.inf, None, [1]],
    "choice": ["", "nope", 1, True, None, ["core"]],
    "multi": ["sales", [1], ["nope"], None, {"a": 1}],
    "boolean": [0, 1, "true", None, "yes"],
    "text": [1, ["a"], {"a": "b"}, "x" * 5_001],
}


@st.composite
def invalid_answers(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    answers = draw(answers_strategy())
    mutation = draw(st.sampled_from(["drop", "unknown", "wrong"]))
    if mutation == "drop":
        code = draw(st.sampled_from(REQUIRED_CODES))
        del answers[code]
    elif mutation == "unknown":
        code = draw(st.text(min_size=1, max_size=30).filter(lambda c: c not in QUESTIONS))
        answers[code] = draw(st.one_of(st.integers(), st.text(), st.none()))
    else:
        code = draw(st.sampled_from(list(QUESTIONS)))
        kind = QUESTIONS[code].kind
        value = draw(st.sampled_from(WRONG_VALUES[kind]))
        if kind == "multi" and isinstance(value, list) and value == [1]:
            value = [*QUESTIONS[code].choice_values[:1], 1]
        answers[code] = value
    return answers, code


@settings(max_examples=200, deadline=None)
@given(invalid_answers())
def test_any_mutation_into_invalid_input_is_named(case: tuple[dict[str, Any], str]) -> None:
    answers, code = case
    errors = validate(answers)
    assert code in codes(errors)
    assert all(e.message.startswith(f"{e.code}: ") for e in errors)


# Arbitrary JSON-like values, including the awkward ones (NaN, huge ints, deep nesting).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        json_values,
        st.dictionaries(st.sampled_from([*QUESTIONS, "x"]), json_values, max_size=45),
    )
)
def test_validate_never_raises_and_always_names_a_code(answers: object) -> None:
    errors = validate(answers)
    assert all(isinstance(e.code, str) and e.message for e in errors)
    if not isinstance(answers, dict):
        assert codes(errors) == [""]
