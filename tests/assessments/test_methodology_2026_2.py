"""Methodology cto-caio-2026.2 (specs/methodology.md), rule by rule. Pure: no database."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.methodology import v2026_1
from assessments.methodology.answers import DIMENSION_KEYS, OVERLAP_KEYS
from assessments.methodology.v2026_2 import (
    CONFIDENCES,
    FLAGS,
    ONE_SEAT_SIGNALS,
    PERSPECTIVE_CODES,
    RECOMMENDATIONS,
    REPORTING_LINES,
    ROLES,
    TWO_SEAT_SIGNALS,
    VERSION,
    score,
    validate,
)
from tests.assessments.factories import (
    answers_strategy,
    consistent,
    dimensions,
    envelope,
    envelope_strategy,
    neutral_answers,
    perspective,
    valid_answers,
    with_signals,
)

STRETCHED_SCOPE = ["infrastructure", "security", "product_engineering"]
# valid_answers(): the CEO names nobody as owner, settles conflicts, rates the CTO's load 3.
CEO_RESPONDENT = {
    "role": "ceo",
    "outcomes_owner": "nobody",
    "conflict_resolver": "ceo",
    "cto_capacity": 3,
}


def codes(document: object) -> list[str]:
    return [error.code for error in validate(document)]


# --- §1: the consistency rule. ------------------------------------------------------------


@pytest.mark.parametrize(
    ("leader", "reports_to", "valid"),
    [
        ("none", "none", True),
        ("none", "cto", False),
        ("none", "ceo", False),
        ("none", "other", False),
        ("fractional", "none", False),
        ("full_time", "none", False),
        ("fractional", "ceo", True),
        ("full_time", "cto", True),
        ("full_time", "other", True),
    ],
)
def test_an_ai_leader_who_does_not_exist_reports_to_nobody(
    leader: str, reports_to: str, valid: bool
) -> None:
    answers = neutral_answers(
        leadership__ai_leader=leader, leadership__ai_leader_reports_to=reports_to
    )
    errors = validate(answers)
    assert codes(answers) == ([] if valid else ["leadership.ai_leader_reports_to"])
    if not valid:
        assert errors[0].message.startswith("leadership.ai_leader_reports_to: expected ")
        # 2026.1 had no such rule.
        assert v2026_1.validate(answers) == []


def test_the_consistency_rule_waits_for_both_answers_to_be_valid() -> None:
    bad_leader = neutral_answers(
        leadership__ai_leader="boss", leadership__ai_leader_reports_to="cto"
    )
    assert codes(bad_leader) == ["leadership.ai_leader"]
    bad_line = neutral_answers(leadership__ai_leader="none", leadership__ai_leader_reports_to=7)
    assert codes(bad_line) == ["leadership.ai_leader_reports_to"]
    missing = neutral_answers()
    del missing["leadership.ai_leader"]
    assert codes(missing) == ["leadership.ai_leader"]


def test_the_consistency_error_keeps_questionnaire_order() -> None:
    answers = neutral_answers(
        leadership__ai_leader="none",
        leadership__ai_leader_reports_to="cto",
        profile__employees=0,
        overlap__ai_security="nope",
    )
    answers["profile.revenue"] = 1
    assert codes(answers) == [
        "profile.employees",
        "leadership.ai_leader_reports_to",
        "overlap.ai_security",
        "profile.revenue",
    ]


# --- §7: the envelope and its error codes. ------------------------------------------------


def test_a_flat_object_and_an_envelope_are_both_assessments() -> None:
    ceo = neutral_answers()
    assert validate(ceo) == []
    assert validate({"answers": ceo}) == []
    assert validate(envelope(ceo)) == []
    assert validate(envelope(ceo, perspective("cto"), perspective("board"))) == []


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], ["assessment"]),
        ("answers", ["assessment"]),
        (None, ["assessment"]),
        ({"answers": []}, ["answers"]),
        ({"answers": None}, ["answers"]),
        ({"answers": "x", "perspectives": []}, ["answers"]),
    ],
)
def test_what_is_not_an_assessment_is_named(document: object, expected: list[str]) -> None:
    assert codes(document) == expected


def _with(perspectives: object, **extra: object) -> dict[str, Any]:
    return {"answers": neutral_answers(), "perspectives": perspectives, **extra}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (_with(None), ["perspectives"]),
        (_with({"role": "cto"}), ["perspectives"]),
        (_with("cto"), ["perspectives"]),
        (_with([perspective("cto")] * 11), ["perspectives"]),
        (_with(["cto"]), ["perspectives.0"]),
        (_with([perspective("cto"), 5]), ["perspectives.1"]),
        (_with([{"answers": perspective()["answers"]}]), ["perspectives.0"]),
        (_with([{"role": "cto"}]), ["perspectives.0"]),
        (_with([{**perspective(), "name": "Tom"}]), ["perspectives.0"]),
        (_with([{"role": "cto", "answers": []}]), ["perspectives.0"]),
        (_with([perspective("chairman")]), ["perspectives.0.role"]),
        (_with([perspective("ceo")]), ["perspectives.0.role"]),
        (
            _with(
                [
                    perspective("cto"),
                    perspective("cfo", None, {"accountability.outcomes_owner": "x"}),
                ]
            ),
            ["perspectives.1.accountability.outcomes_owner"],
        ),
        (
            _with([perspective("cto", None, {"profile.employees": 50})]),
            ["perspectives.0.profile.employees"],
        ),
        (
            _with([perspective("cto", None, {"leadership.cto_capacity": 6})]),
            ["perspectives.0.leadership.cto_capacity"],
        ),
        (_with([], comment="hi"), ["comment"]),
        ({"answers": neutral_answers(), "perspective": []}, ["perspective"]),
    ],
)
def test_every_envelope_error_is_named_by_its_code(document: object, expected: list[str]) -> None:
    errors = validate(document)
    assert [e.code for e in errors] == expected
    assert all(e.message.startswith(f"{e.code}: ") for e in errors)


def test_a_missing_perspective_answer_is_named_with_its_prefix() -> None:
    view = perspective("cto")
    del view["answers"]["dimension.risk_lens.today"]
    assert codes(_with([view])) == ["perspectives.0.dimension.risk_lens.today"]


def test_concerns_are_optional_in_a_perspective() -> None:
    view = perspective("cto", None, {"context.concerns": "Too much on my plate."})
    assert validate(_with([view])) == []
    del view["answers"]["context.concerns"]
    assert validate(_with([view])) == []


def test_every_problem_of_an_envelope_is_reported_together() -> None:
    ceo = neutral_answers(leadership__ai_leader="none", leadership__ai_leader_reports_to="cto")
    bad = perspective("chair", None, {"overlap.ai_security": "ours"})
    document = {"answers": ceo, "perspectives": [perspective("cto"), bad, 3], "x": 1}
    assert codes(document) == [
        "leadership.ai_leader_reports_to",
        "perspectives.1.role",
        "perspectives.1.overlap.ai_security",
        "perspectives.2",
        "x",
    ]


def test_ten_perspectives_are_allowed_eleven_are_not() -> None:
    assert validate(_with([perspective(ROLES[i % len(ROLES)]) for i in range(10)])) == []
    assert codes(_with([perspective("board")] * 11)) == ["perspectives"]


def test_2026_1_knows_no_envelope() -> None:
    errors = v2026_1.validate(envelope(neutral_answers(), perspective("cto")))
    assert "answers" in [e.code for e in errors]


# --- §3 and §5: C, the reporting line, the new flags. -------------------------------------


def test_without_perspectives_c_is_the_ceos_estimate() -> None:
    result = score(neutral_answers(leadership__cto_capacity=2))
    assert result.facts.cto_capacity_used == result.perception.cto_capacity_used == 2


def test_the_first_cto_perspective_replaces_the_ceos_estimate() -> None:
    ceo = neutral_answers(leadership__cto_scope=STRETCHED_SCOPE, leadership__cto_capacity=2)
    assert score(ceo).two_seat_signals["cto_stretched"] is False
    cto = perspective("cto", ceo, leadership__cto_capacity=5)
    second = perspective("cto", ceo, leadership__cto_capacity=1)
    result = score(envelope(ceo, perspective("cfo", ceo, leadership__cto_capacity=1), cto, second))
    assert result.perception.cto_capacity_used == 5
    assert result.two_seat_signals["cto_stretched"] is True


def test_a_non_cto_perspective_never_sets_c() -> None:
    ceo = neutral_answers(leadership__cto_capacity=2)
    views = [perspective(role, ceo, leadership__cto_capacity=5) for role in ROLES if role != "cto"]
    assert score(envelope(ceo, *views)).perception.cto_capacity_used == 2


@pytest.mark.parametrize(("capacity", "line"), [(3, "cto_then_ceo"), (4, "ceo"), (5, "ceo")])
def test_a_full_roadmap_sends_the_new_seat_to_the_ceo(capacity: int, line: str) -> None:
    # One two-seat signal: fractional; AI is a feature and the company is small.
    answers = with_signals(("ai_headcount",), leadership__cto_capacity=capacity)
    assert score(answers).recommendation == "fractional_caio"
    assert score(answers).reporting_line == line
    assert v2026_1.score(answers).reporting_line == "cto_then_ceo"


def test_the_ctos_own_full_roadmap_sends_the_seat_to_the_ceo() -> None:
    ceo = with_signals(("ai_headcount",), leadership__cto_capacity=2)
    assert score(ceo).reporting_line == "cto_then_ceo"
    cto = perspective("cto", ceo, leadership__cto_capacity=4)
    assert score(envelope(ceo, cto)).reporting_line == "ceo"


def test_the_overloaded_seat_reads_c() -> None:
    ceo = neutral_answers(
        {
            "accountability.outcomes_owner": "cto",
            "accountability.conflict_resolver": "cto",
            "leadership.cto_capacity": 3,
        }
    )
    assert "overloaded_seat" not in score(ceo).flags
    cto = perspective("cto", ceo, leadership__cto_capacity=4)
    assert "overloaded_seat" in score(envelope(ceo, cto)).flags


def test_disputes_are_flags_in_order_and_listed_in_the_perception() -> None:
    ceo = neutral_answers()  # owner: the AI leader; resolver: a joint forum
    owner = perspective("cto", ceo, accountability__outcomes_owner="nobody")
    resolver = perspective("cfo", ceo, accountability__conflict_resolver="cto")
    result = score(envelope(ceo, resolver, owner))
    assert result.flags == ["disputed_ownership", "disputed_resolver"]
    assert result.perception.disputed == ("outcomes_owner", "conflict_resolver")
    assert score(envelope(ceo, owner)).flags == ["disputed_ownership"]
    assert score(envelope(ceo, resolver)).perception.disputed == ("conflict_resolver",)
    agree = perspective("board", ceo)
    assert score(envelope(ceo, agree)).flags == []


def test_disputed_ownership_alone_calls_for_a_fractional_caio() -> None:
    ceo = neutral_answers()
    assert score(ceo).recommendation == "single_seat"
    disputed = perspective("cto", ceo, accountability__outcomes_owner="cto")
    assert score(envelope(ceo, disputed)).recommendation == "fractional_caio"
    # A disputed resolver does not (§5 rule 2 names only disputed_ownership).
    resolver = perspective("cto", ceo, accountability__conflict_resolver="ceo")
    assert score(envelope(ceo, resolver)).recommendation == "single_seat"


def test_either_dispute_rules_out_no_flags_for_high_confidence() -> None:
    ceo = with_signals(
        (), ("few_use_cases", "under_500_employees", "internal_only", "minimal_regulation")
    )
    assert score(ceo).confidence == "high"
    resolver = perspective("cto", ceo, accountability__conflict_resolver="ceo")
    assert score(envelope(ceo, resolver)).confidence == "medium"


# --- §5 step 2 and §7: divergence. --------------------------------------------------------


def _diverging(ceo: dict[str, Any], count: int, by: int = 2, which: str = "today") -> dict:
    changes = {}
    for key in DIMENSION_KEYS[:count]:
        code = f"dimension.{key}.{which}"
        changes[code] = ceo[code] + by if ceo[code] + by <= 5 else ceo[code] - by
    return perspective("cto", ceo, changes)


@pytest.mark.parametrize(("by", "divergent"), [(1, False), (2, True), (3, True)])
def test_a_dimension_diverges_at_a_span_of_two(by: int, divergent: bool) -> None:
    ceo = neutral_answers()
    for which in ("today", "needed"):
        result = score(envelope(ceo, _diverging(ceo, 1, by, which)))
        assert (result.perception.divergent_dimensions == ("primary_focus",)) is divergent


def test_ranges_run_over_every_respondent() -> None:
    ceo = neutral_answers(dimensions(3, 3))
    low = perspective("cto", ceo, {"dimension.orientation.today": 1})
    high = perspective("cfo", ceo, {"dimension.orientation.needed": 5})
    result = score(envelope(ceo, low, high))
    orientation = result.dimensions[1]
    assert (orientation.today, orientation.needed, orientation.gap) == (3, 3, 0)
    assert orientation.today_range == (1, 3)
    assert orientation.needed_range == (3, 5)
    assert result.dimensions[0].today_range == (3, 3)


@pytest.mark.parametrize(
    ("answers", "before", "after"),
    [
        # T >= 3 and O = 0: high, lowered to medium.
        (with_signals(("ai_spend", "ai_headcount", "regulation")), "high", "medium"),
        # Medium, lowered to low.
        (neutral_answers(), "medium", "low"),
        # Low stays low.
        (
            with_signals(
                ("ai_headcount",), ("few_use_cases", "under_500_employees", "internal_only")
            ),
            "low",
            "low",
        ),
    ],
)
def test_three_divergent_dimensions_lower_the_confidence_one_level(
    answers: dict[str, Any], before: str, after: str
) -> None:
    assert score(answers).confidence == before
    assert score(envelope(answers, _diverging(answers, 2))).confidence == before
    result = score(envelope(answers, _diverging(answers, 3)))
    assert len(result.perception.divergent_dimensions) == 3
    assert result.facts.confidence_before_divergence == before
    assert result.confidence == after


def test_the_ceos_gaps_alone_decide_the_mandate_shift() -> None:
    ceo = neutral_answers(dimensions(3, 3))
    shifting = perspective("cto", ceo, dimensions(1, 5))
    result = score(envelope(ceo, shifting))
    assert result.two_seat_signals["mandate_shift"] is False
    assert [d.gap for d in result.dimensions] == [0] * 7


def test_perspectives_overlap_answers_do_not_change_the_overlap() -> None:
    ceo = neutral_answers()
    contested = perspective("cto", ceo, {f"overlap.{key}": "contested" for key in OVERLAP_KEYS})
    result = score(envelope(ceo, contested))
    assert result.overlap == score(ceo).overlap
    assert result.overlap_actions == []


# --- §6: the result. ------------------------------------------------------------------------


def test_the_result_has_the_section_6_keys_in_order() -> None:
    ceo = valid_answers()
    result = score(envelope(ceo, perspective("cto", ceo, leadership__cto_capacity=4))).to_dict()
    assert list(result) == [
        "methodology",
        "recommendation",
        "reporting_line",
        "confidence",
        "two_seat_signals",
        "one_seat_signals",
        "flags",
        "dimensions",
        "overlap",
        "overlap_actions",
        "perception",
    ]
    assert result["methodology"] == VERSION == "cto-caio-2026.2"
    assert list(result["dimensions"][0]) == [
        "key",
        "today",
        "needed",
        "gap",
        "today_range",
        "needed_range",
    ]
    assert list(result["perception"]) == [
        "respondents",
        "cto_capacity_used",
        "disputed",
        "divergent_dimensions",
    ]
    assert result["perception"]["respondents"] == [
        CEO_RESPONDENT,
        {**CEO_RESPONDENT, "role": "cto", "cto_capacity": 4},
    ]
    assert result["perception"]["cto_capacity_used"] == 4
    json.dumps(result)  # plain JSON values only


def test_without_perspectives_the_ranges_are_the_ceos_own_values() -> None:
    result = score(valid_answers()).to_dict()
    for d in result["dimensions"]:
        assert d["today_range"] == [d["today"], d["today"]]
        assert d["needed_range"] == [d["needed"], d["needed"]]
    assert result["perception"] == {
        "respondents": [
            {
                "role": "ceo",
                "outcomes_owner": "nobody",
                "conflict_resolver": "ceo",
                "cto_capacity": 3,
            }
        ],
        "cto_capacity_used": 3,
        "disputed": [],
        "divergent_dimensions": [],
    }


# --- Properties. ------------------------------------------------------------------------------


def _differs_from_2026_1_only_by_the_new_reporting_rule(answers: dict[str, Any]) -> bool:
    new, old = score(answers), v2026_1.score(answers)
    if new.reporting_line != old.reporting_line:
        # §0 point 1: only ever "to the CEO" because the roadmap is full.
        return (
            old.reporting_line == "cto_then_ceo"
            and new.reporting_line == "ceo"
            and answers["leadership.cto_capacity"] >= 4
        )
    return True


@settings(max_examples=200, deadline=None)
@given(answers_strategy().map(consistent))
def test_without_perspectives_2026_2_scores_as_2026_1_but_for_the_reporting_line(
    answers: dict[str, Any],
) -> None:
    new, old = score(answers), v2026_1.score(answers)
    assert (new.recommendation, new.confidence, new.flags) == (
        old.recommendation,
        old.confidence,
        old.flags,
    )
    assert new.two_seat_signals == old.two_seat_signals
    assert new.one_seat_signals == old.one_seat_signals
    assert _differs_from_2026_1_only_by_the_new_reporting_rule(answers)


@settings(max_examples=200, deadline=None)
@given(envelope_strategy())
def test_any_valid_envelope_scores(document: dict[str, Any]) -> None:
    assert validate(document) == []
    result = score(document).to_dict()
    assert result["recommendation"] in RECOMMENDATIONS
    assert result["reporting_line"] in REPORTING_LINES
    assert result["confidence"] in CONFIDENCES
    assert list(result["two_seat_signals"]) == list(TWO_SEAT_SIGNALS)
    assert list(result["one_seat_signals"]) == list(ONE_SEAT_SIGNALS)
    assert result["flags"] == [f for f in FLAGS if f in result["flags"]]
    assert len(result["perception"]["respondents"]) == 1 + len(document["perspectives"])
    for d in result["dimensions"]:
        low, high = d["today_range"]
        assert low <= d["today"] <= high
    json.dumps(result)


WRONG: dict[str, list[object]] = {
    "scale": [0, 6, 2.5, True, "3", None],
    "choice": ["", "nope", 1, None, ["cto"]],
    "text": [1, ["a"], "x" * 5_001],
}


@st.composite
def mutated_envelopes(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    document = draw(envelope_strategy(max_perspectives=4).filter(lambda d: d["perspectives"]))
    index = draw(st.integers(min_value=0, max_value=len(document["perspectives"]) - 1))
    target = document["perspectives"][index]
    mutation = draw(st.sampled_from(["drop", "unknown", "wrong", "role", "shape"]))
    if mutation == "drop":
        code = draw(st.sampled_from([c for c in PERSPECTIVE_CODES if c != "context.concerns"]))
        del target["answers"][code]
        return document, f"perspectives.{index}.{code}"
    if mutation == "unknown":
        code = draw(st.sampled_from(["profile.employees", "leadership.ai_leader", "x"]))
        target["answers"][code] = 1
        return document, f"perspectives.{index}.{code}"
    if mutation == "wrong":
        from assessments.questionnaire import QUESTIONS

        code = draw(st.sampled_from(PERSPECTIVE_CODES))
        target["answers"][code] = draw(st.sampled_from(WRONG[QUESTIONS[code].kind]))
        return document, f"perspectives.{index}.{code}"
    if mutation == "role":
        target["role"] = draw(st.sampled_from(["ceo", "CTO", "", 1, None]))
        return document, f"perspectives.{index}.role"
    target["extra"] = True
    return document, f"perspectives.{index}"


@settings(max_examples=200, deadline=None)
@given(mutated_envelopes())
def test_any_mutation_of_a_perspective_names_its_code(case: tuple[dict[str, Any], str]) -> None:
    document, code = case
    errors = validate(document)
    assert code in [e.code for e in errors]
    assert all(e.code == "perspectives" or e.code.startswith("perspectives.") for e in errors)


@settings(max_examples=200, deadline=None)
@given(envelope_strategy(max_perspectives=3), st.sampled_from([r for r in ROLES if r != "cto"]))
def test_a_perspective_identical_to_the_ceos_answers_changes_only_the_perception(
    document: dict[str, Any], role: str
) -> None:
    if len(document["perspectives"]) >= 10:
        return
    before = score(document).to_dict()
    echoed = copy.deepcopy(document)
    echoed["perspectives"].append(perspective(role, document["answers"]))
    after = score(echoed).to_dict()
    assert {k: v for k, v in after.items() if k != "perception"} == {
        k: v for k, v in before.items() if k != "perception"
    }
    assert len(after["perception"]["respondents"]) == len(before["perception"]["respondents"]) + 1


# --- docs/methodology.md stays true. ---------------------------------------------------------


def test_the_documented_cto_perspective_example_scores_as_printed() -> None:
    from tests.assessments.test_methodology_2026_1 import DOCS, docs_json_block

    document = envelope(docs_json_block("answers-2026.1"), docs_json_block("perspective-2026.2"))
    assert validate(document) == []
    result = score(document)
    printed = docs_json_block("result-2026.2")
    assert result.to_dict() == printed
    assert list(result.to_dict()) == list(printed)
    # The memo's opening lines quoted on the page are the ones the app writes.
    from assessments.explanations import recommendation_sentence

    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    assert recommendation_sentence(result, "Northwind Freight") in text
    old = v2026_1.score(docs_json_block("answers-2026.1"))
    assert recommendation_sentence(old, "Northwind Freight") in text
