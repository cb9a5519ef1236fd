"""The three structures side by side and the next steps, as the results page and the memo
show them: read from the result, never decided again."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings

from assessments.methodology.v2026_2 import score
from assessments.options import STRUCTURE_OF, next_steps, options_for
from assessments.samples import SAMPLES
from tests.assessments.factories import answers_strategy, consistent, neutral_answers, with_signals


@settings(max_examples=150, deadline=None)
@given(answers_strategy().map(consistent))
def test_there_are_always_three_options_and_exactly_one_is_the_methods(
    answers: dict[str, Any],
) -> None:
    result = score(answers)
    options = options_for(result, answers)
    assert [o.structure.key for o in options] == [
        "single_seat",
        "fractional_caio",
        "full_time_caio",
    ]
    assert [o.structure.key for o in options if o.method_result] == [
        STRUCTURE_OF[result.recommendation]
    ]
    assert [o.method_result for o in options] == [o.recommended for o in options]
    for option in options:
        assert len(option.fixes_shown) <= 3 and len(option.leaves_open_shown) <= 3
        assert not set(option.fixes) & set(option.leaves_open)


def test_what_each_structure_fixes_and_leaves_open_follows_the_findings() -> None:
    answers = with_signals(("ai_spend", "cto_stretched"), accountability__outcomes_owner="nobody")
    result = score(answers)
    one, fractional, full = options_for(result, answers)
    assert one.fixes == ["nobody answering for AI results"]
    assert "$6.2M a year of AI spend with no executive over it" in one.leaves_open
    assert "a CTO already at 4 out of 5" in fractional.fixes
    assert "$6.2M a year of AI spend with no executive over it" in fractional.leaves_open
    assert full.leaves_open == []
    assert len(full.fixes) == 3


def test_a_small_company_is_told_a_second_leader_may_be_early() -> None:
    answers = with_signals((), ("under_500_employees", "few_use_cases"))
    one, fractional, full = options_for(score(answers), answers)
    assert one.leaves_open == [] and not one.needs_found
    assert full.leaves_open == [
        "whether a company with 320 employees and 2 AI use cases needs a second leader yet"
    ]


def test_the_advisors_departure_moves_the_recommended_mark_only() -> None:
    answers = SAMPLES["regulated_lender"]
    result = score(answers)
    options = options_for(result, answers, recommended="fractional_caio")
    assert [o.structure.key for o in options if o.recommended] == ["fractional_caio"]
    assert [o.structure.key for o in options if o.method_result] == ["full_time_caio"]


def test_next_steps_are_dated_from_the_meeting_in_order() -> None:
    answers = with_signals(("ai_headcount",), accountability__conflict_resolver="nobody")
    result = score(answers)
    steps = next_steps(
        recommendation=result.recommendation,
        reporting_phrase="reports to the CEO",
        result=result,
        meeting=date(2027, 3, 1),
    )
    whens = [s.when for s in steps]
    assert whens[0] == "By 15 February 2027"
    assert "At the board meeting, 1 March 2027" in whens
    assert whens[-1] == "By 31 March 2027"
    assert any("settles clashes" in s.text for s in steps)
    assert any("the fractional leader reports to the CEO" in s.text for s in steps)


def test_a_step_two_findings_both_ask_for_is_given_once() -> None:
    ceo = neutral_answers(accountability__conflict_resolver="nobody")
    shared = {k: v for k, v in ceo.items() if k.startswith(("dimension.", "overlap."))}
    result = score(
        {
            "answers": ceo,
            "perspectives": [
                {
                    "role": "cto",
                    "answers": {
                        **shared,
                        "leadership.cto_capacity": 3,
                        "accountability.outcomes_owner": ceo["accountability.outcomes_owner"],
                        "accountability.conflict_resolver": "cto",
                    },
                }
            ],
        }
    )
    assert {"unresolved_conflicts", "disputed_resolver"} <= set(result.flags)
    steps = next_steps(
        recommendation=result.recommendation, reporting_phrase="", result=result, meeting=None
    )
    assert sum("settles clashes" in s.text for s in steps) == 1
    assert {s.when for s in steps} <= {
        "Before the board meets",
        "At the board meeting",
        "After the board decides",
    }


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_gets_steps_for_its_recommendation(name: str) -> None:
    answers = SAMPLES[name]
    result = score(answers)
    steps = next_steps(
        recommendation=result.recommendation,
        reporting_phrase="reports to the CEO",
        result=result,
        meeting=None,
    )
    assert 3 <= len(steps) <= 7
    assert len({s.text for s in steps}) == len(steps)
