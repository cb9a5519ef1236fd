"""The sentences behind a result: the client's figure against the line the method draws,
holding or not, in board language."""

from __future__ import annotations

import re
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

# The method's own vocabulary, which a board memo does not use.
INTERNAL_TERMS = re.compile(r"\b(mark|marks|signal|signals|flag|flags|flagged)\b", re.IGNORECASE)


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
        (
            6_200_000,
            "The company spends $6.2M a year on AI; above $5M, that budget needs an executive "
            "who answers for it.",
        ),
        (
            1_200_000,
            "The company spends $1.2M a year on AI, under the $5M at which AI needs an executive "
            "of its own.",
        ),
        (5_000_000, "The company spends exactly $5M a year on AI; only above $5M does it count."),
        # Rounded to "$5M" it would look like the line itself, so the full amount is shown.
        (
            5_000_001,
            "The company spends $5,000,001 a year on AI; above $5M, that budget needs an "
            "executive who answers for it.",
        ),
        (
            4_960_000,
            "The company spends $4,960,000 a year on AI, under the $5M at which AI needs an "
            "executive of its own.",
        ),
        (
            0,
            "The company spends $0 a year on AI, under the $5M at which AI needs an executive "
            "of its own.",
        ),
    ],
)
def test_ai_spend_sentence(spend: int, sentence: str) -> None:
    assert signal_explanation("ai_spend", neutral_answers(profile__ai_spend_usd=spend)) == sentence


@pytest.mark.parametrize(
    ("key", "overrides", "fragments"),
    [
        ("ai_headcount", {"profile.ai_headcount": 21}, ["21 people work on AI", "above 20"]),
        ("ai_headcount", {"profile.ai_headcount": 1}, ["1 person works", "no more than 20"]),
        ("under_500_employees", {"profile.employees": 499}, ["499 employees", "under 500"]),
        (
            "under_500_employees",
            {"profile.employees": 5_000},
            ["5,000 employees", "larger than a small firm (under 500)"],
        ),
        ("few_use_cases", {"profile.ai_use_cases": 3}, ["3 AI use cases", "more than the 2"]),
        ("few_use_cases", {"profile.ai_use_cases": 1}, ["Only 1 AI use case is", "up to 2"]),
        (
            "cto_stretched",
            {"leadership.cto_scope": ["infrastructure"], "leadership.cto_capacity": 5},
            ["runs cloud infrastructure but not security and product engineering", "5 out of 5"],
        ),
        (
            "cross_functional",
            {"profile.ai_functions": ["finance", "sales", "hr"]},
            ["sales and finance", "2 of the 5 core functions", "fewer than the 3"],
        ),
        (
            "mandate_shift",
            dimensions(1, 3, shifted=4),
            ["4 of the 7 dimensions", "primary focus", "a change of mandate"],
        ),
        (
            "single_product_small_team",
            {"profile.products": 1, "profile.engineering_headcount": 25},
            ["25 engineers (25 or more)", "More than a small single-product company"],
        ),
        (
            "regulation",
            {"profile.regulatory_exposure": "minimal", "profile.compliance_needs_executive": True},
            ["minimal", "still needs an executive"],
        ),
    ],
)
def test_sentences_put_the_figure_against_the_line(
    key: str, overrides: dict[str, Any], fragments: list[str]
) -> None:
    sentence = signal_explanation(key, neutral_answers(overrides))
    for fragment in fragments:
        assert fragment in sentence


def test_sentences_follow_the_thresholds_rather_than_restating_them() -> None:
    moved = replace(THRESHOLDS, ai_spend_usd_above=7_500_000, ai_headcount_above=40)
    answers = neutral_answers(profile__ai_spend_usd=6_200_000, profile__ai_headcount=30)
    assert "under the $7.5M" in signal_explanation("ai_spend", answers, moved)
    assert "no more than 40" in signal_explanation("ai_headcount", answers, moved)


@pytest.mark.parametrize(
    ("owner", "resolver", "capacity", "flag", "sentence"),
    [
        (
            "nobody",
            "ceo",
            3,
            "no_outcome_owner",
            "Nobody answers for the business results AI should bring.",
        ),
        (
            "product",
            "ceo",
            3,
            "no_outcome_owner",
            "The head of product answers for the business results AI should bring.",
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
            "with a load of 4 out of 5: one seat holds everything and has no room.",
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
        # Board language: the method's own vocabulary stays out of the sentences.
        assert not INTERNAL_TERMS.search(reason.sentence), reason.sentence
        assert not INTERNAL_TERMS.search(reason.title), reason.title
    assert recommendation_sentence(result, "Acme").startswith(
        "The board is asked to agree that Acme "
    )
    assert len(accountability_notes(result, answers)) == 2


@pytest.mark.parametrize("recommendation", RECOMMENDATIONS)
@pytest.mark.parametrize("line", REPORTING_LINES)
def test_recommendation_sentence_names_structure_line_and_confidence(
    recommendation: str, line: str
) -> None:
    result = replace(score(neutral_answers()), recommendation=recommendation, reporting_line=line)
    sentence = recommendation_sentence(result, "Acme Logistics")
    assert sentence.startswith("The board is asked to agree that Acme Logistics ")
    assert sentence.endswith(", a recommendation the method makes with medium confidence.")
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
        "The board is asked to agree that Acme appoints a full-time Chief AI Officer reporting "
        "directly to the CEO, a recommendation the method makes with high confidence."
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
