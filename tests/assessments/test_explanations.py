"""The sentences behind a result: the client's value against the mark, fired or not."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings

from assessments.explanations import (
    RECOMMENDATION_LABELS,
    REPORTING_LINE_LABELS,
    accountability_notes,
    explain,
    recommendation_sentence,
)
from assessments.methodology import Result
from assessments.methodology.v2026_1 import (
    FLAGS,
    ONE_SEAT_SIGNALS,
    RECOMMENDATIONS,
    REPORTING_LINES,
    THRESHOLDS,
    TWO_SEAT_SIGNALS,
    score,
)
from tests.assessments.factories import answers_strategy, dimensions, neutral_answers


def signal_explanation(key: str, answers: dict[str, Any], thresholds: Any = None) -> str:
    """The sentence for one signal of the scored answers."""
    result = score(answers, thresholds) if thresholds else score(answers)
    explanation = explain(result, answers, thresholds=thresholds)
    return next(r.sentence for r in explanation.two_seat + explanation.one_seat if r.key == key)


def flag_explanation(flag: str, answers: dict[str, Any]) -> str:
    return next(r.sentence for r in explain(score(answers), answers).flags if r.key == flag)


@pytest.mark.parametrize(
    ("spend", "sentence"),
    [
        (6_200_000, "AI spend of $6.2M a year is above the $5M mark."),
        (1_200_000, "AI spend of $1.2M a year is below the $5M mark."),
        (5_000_000, "AI spend of $5M a year is exactly the $5M mark, not above it."),
        # Rounded to "$5M" it would look like the mark itself, so the full amount is shown.
        (5_000_001, "AI spend of $5,000,001 a year is above the $5M mark."),
        (4_960_000, "AI spend of $4,960,000 a year is below the $5M mark."),
        (0, "AI spend of $0 a year is below the $5M mark."),
    ],
)
def test_ai_spend_sentence(spend: int, sentence: str) -> None:
    assert signal_explanation("ai_spend", neutral_answers(profile__ai_spend_usd=spend)) == sentence


@pytest.mark.parametrize(
    ("key", "overrides", "fragments"),
    [
        ("ai_headcount", {"profile.ai_headcount": 21}, ["21 people", "more than", "20"]),
        ("ai_headcount", {"profile.ai_headcount": 1}, ["1 person works", "fewer than", "20"]),
        ("under_500_employees", {"profile.employees": 499}, ["499 employees", "below the 500"]),
        ("under_500_employees", {"profile.employees": 5_000}, ["5,000 employees", "at or above"]),
        ("few_use_cases", {"profile.ai_use_cases": 3}, ["3 AI use cases", "more than the 2"]),
        ("few_use_cases", {"profile.ai_use_cases": 1}, ["1 AI use case is", "within the 2"]),
        (
            "cto_stretched",
            {"leadership.cto_scope": ["infrastructure"], "leadership.cto_capacity": 5},
            ["does not run security and product engineering", "5 out of 5", "at or above"],
        ),
        (
            "cross_functional",
            {"profile.ai_functions": ["finance", "sales", "hr"]},
            ["2 of the 5 key functions", "sales and finance", "short of the mark of 3"],
        ),
        (
            "mandate_shift",
            dimensions(1, 3, shifted=4),
            ["4 of the 7 dimensions", "primary focus", "reaching the mark of 4"],
        ),
        (
            "single_product_small_team",
            {"profile.products": 1, "profile.engineering_headcount": 25},
            ["engineering team of 25", "under 25"],
        ),
        (
            "regulation",
            {"profile.regulatory_exposure": "minimal", "profile.compliance_needs_executive": True},
            ["minimal", "still needs an executive"],
        ),
    ],
)
def test_sentences_put_the_value_against_the_mark(
    key: str, overrides: dict[str, Any], fragments: list[str]
) -> None:
    sentence = signal_explanation(key, neutral_answers(overrides))
    for fragment in fragments:
        assert fragment in sentence


def test_sentences_follow_the_thresholds_rather_than_restating_them() -> None:
    moved = replace(THRESHOLDS, ai_spend_usd_above=7_500_000, ai_headcount_above=40)
    answers = neutral_answers(profile__ai_spend_usd=6_200_000, profile__ai_headcount=30)
    assert "below the $7.5M mark" in signal_explanation("ai_spend", answers, moved)
    assert "fewer than the mark of 40" in signal_explanation("ai_headcount", answers, moved)


@pytest.mark.parametrize(
    ("owner", "resolver", "capacity", "flag", "sentence"),
    [
        (
            "nobody",
            "ceo",
            3,
            "no_outcome_owner",
            "Nobody is answerable for the business results AI should bring.",
        ),
        (
            "product",
            "ceo",
            3,
            "no_outcome_owner",
            "The head of product is answerable for the business results AI should bring.",
        ),
        (
            "ceo",
            "nobody",
            3,
            "unresolved_conflicts",
            "Nobody settles conflicts between the AI plans and the platform plans.",
        ),
        (
            "ceo",
            "joint_forum",
            3,
            "unresolved_conflicts",
            "Conflicts between the AI plans and the platform plans are settled by a standing "
            "forum where both sides decide together.",
        ),
        (
            "cto",
            "cto",
            4,
            "overloaded_seat",
            "The CTO both answers for AI results and settles AI-versus-platform conflicts, "
            "with a load of 4 out of 5 (the mark is 4).",
        ),
    ],
)
def test_flag_sentences(owner: str, resolver: str, capacity: int, flag: str, sentence: str) -> None:
    answers = neutral_answers(
        {
            "accountability.outcomes_owner": owner,
            "accountability.conflict_resolver": resolver,
            "leadership.cto_capacity": capacity,
        }
    )
    assert flag_explanation(flag, answers) == sentence


@settings(max_examples=200, deadline=None)
@given(answers_strategy())
def test_every_signal_and_flag_is_explained_for_any_valid_answers(answers: dict[str, Any]) -> None:
    result = score(answers)
    explanation = explain(result, answers)
    assert [r.key for r in explanation.two_seat] == list(TWO_SEAT_SIGNALS)
    assert [r.key for r in explanation.one_seat] == list(ONE_SEAT_SIGNALS)
    assert [r.key for r in explanation.flags] == list(FLAGS)
    assert [r.fired for r in explanation.two_seat] == list(result.two_seat_signals.values())
    assert [r.fired for r in explanation.one_seat] == list(result.one_seat_signals.values())
    assert [r.key for r in explanation.fired_flags] == result.flags
    for reason in explanation.two_seat + explanation.one_seat + explanation.flags:
        assert reason.title
        assert reason.sentence[0].isupper() or reason.sentence[0].isdigit()
        assert reason.sentence.endswith(".")
        # No unformatted placeholder or stray Python None inside the sentence.
        assert "{" not in reason.sentence and "None" not in reason.sentence.split()[1:]
    assert recommendation_sentence(result, "Acme").startswith("Acme should ")
    assert len(accountability_notes(result, answers)) == 2


@pytest.mark.parametrize("recommendation", RECOMMENDATIONS)
@pytest.mark.parametrize("line", REPORTING_LINES)
def test_recommendation_sentence_names_structure_line_and_confidence(
    recommendation: str, line: str
) -> None:
    result = replace(score(neutral_answers()), recommendation=recommendation, reporting_line=line)
    sentence = recommendation_sentence(result, "Acme Logistics")
    assert sentence.startswith("Acme Logistics should ")
    assert sentence.endswith("(confidence: medium).")
    assert ("CEO" in sentence) == (line in ("ceo", "cto_then_ceo"))
    assert recommendation in RECOMMENDATION_LABELS and line in REPORTING_LINE_LABELS


def test_recommendation_sentence_for_a_full_time_seat() -> None:
    result: Result = score(
        neutral_answers(
            {
                "profile.ai_spend_usd": 9_000_000,
                "profile.ai_headcount": 45,
                "profile.ai_role": "core",
            }
        )
    )
    assert recommendation_sentence(result, "Acme") == (
        "Acme should appoint a full-time Chief AI Officer reporting directly to the CEO "
        "(confidence: high)."
    )


def test_accountability_notes_say_empty_seat_and_unresolved_conflicts() -> None:
    answers = neutral_answers(
        {"accountability.outcomes_owner": "nobody", "accountability.conflict_resolver": "nobody"}
    )
    owner, conflicts = accountability_notes(score(answers), answers)
    assert owner.code == "accountability.outcomes_owner"
    assert owner.answer == "Nobody, if we are honest"
    assert owner.meaning.startswith("An empty seat")
    assert conflicts.meaning.startswith("Unresolved conflicts")


def test_accountability_notes_say_overloaded_seat() -> None:
    answers = neutral_answers(
        {
            "accountability.outcomes_owner": "cto",
            "accountability.conflict_resolver": "cto",
            "leadership.cto_capacity": 5,
        }
    )
    owner, conflicts = accountability_notes(score(answers), answers)
    assert owner.answer == conflicts.answer == "The CTO"
    assert conflicts.meaning.startswith("Overloaded seat")
