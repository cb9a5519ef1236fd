"""Scoring against methodology cto-caio-2026.1 (§3–§6 of methodology-2026.1.md). Pure: no
database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from assessments.methodology import answers_sha256, canonical_json
from assessments.methodology.answers import DIMENSION_KEYS, OVERLAP_KEYS
from assessments.methodology.v2026_1 import (
    CONFIDENCES,
    FLAGS,
    ONE_SEAT_SIGNALS,
    RECOMMENDATIONS,
    REPORTING_LINES,
    TWO_SEAT_SIGNALS,
    score,
    validate,
)
from assessments.methodology.v2026_1 import VERSION as METHODOLOGY_VERSION
from tests.assessments.factories import (
    answers_strategy,
    dimensions,
    neutral_answers,
    valid_answers,
    with_signals,
)

ROOT = Path(__file__).resolve().parents[2]

STRETCHED_SCOPE = ["infrastructure", "security", "product_engineering"]


def signal(answers: dict[str, Any], key: str) -> bool:
    result = score(answers)
    if key in result.two_seat_signals:
        return result.two_seat_signals[key]
    return result.one_seat_signals[key]


# --- Every boundary in §3. -------------------------------------------------------------------

BOUNDARIES = [
    # (id, answers, signal, expected)
    (
        "spend 5,000,000 is not above",
        neutral_answers(profile__ai_spend_usd=5_000_000),
        "ai_spend",
        False,
    ),
    (
        "spend 5,000,001 is above",
        neutral_answers(profile__ai_spend_usd=5_000_001),
        "ai_spend",
        True,
    ),
    (
        "spend 5,000,000.5 is above",
        neutral_answers(profile__ai_spend_usd=5_000_000.5),
        "ai_spend",
        True,
    ),
    ("spend 4,999,999.99", neutral_answers(profile__ai_spend_usd=4_999_999.99), "ai_spend", False),
    ("headcount 20", neutral_answers(profile__ai_headcount=20), "ai_headcount", False),
    ("headcount 21", neutral_answers(profile__ai_headcount=21), "ai_headcount", True),
    (
        "regulation significant",
        neutral_answers(profile__regulatory_exposure="significant"),
        "regulation",
        True,
    ),
    (
        "regulation moderate",
        neutral_answers(profile__regulatory_exposure="moderate"),
        "regulation",
        False,
    ),
    (
        "regulation minimal but compliance needs an executive",
        neutral_answers(
            profile__regulatory_exposure="minimal", profile__compliance_needs_executive=True
        ),
        "regulation",
        True,
    ),
    (
        "stretched: full scope, capacity 3",
        neutral_answers(leadership__cto_scope=STRETCHED_SCOPE, leadership__cto_capacity=3),
        "cto_stretched",
        False,
    ),
    (
        "stretched: full scope, capacity 4",
        neutral_answers(leadership__cto_scope=STRETCHED_SCOPE, leadership__cto_capacity=4),
        "cto_stretched",
        True,
    ),
    (
        "stretched: wider scope, capacity 5",
        neutral_answers(
            leadership__cto_scope=["it", *STRETCHED_SCOPE, "data_platform"],
            leadership__cto_capacity=5,
        ),
        "cto_stretched",
        True,
    ),
    (
        "stretched: no security, capacity 5",
        neutral_answers(
            leadership__cto_scope=["infrastructure", "product_engineering", "it"],
            leadership__cto_capacity=5,
        ),
        "cto_stretched",
        False,
    ),
    ("core product", neutral_answers(profile__ai_role="core"), "ai_in_core_product", True),
    (
        "feature is not core",
        neutral_answers(profile__ai_role="feature"),
        "ai_in_core_product",
        False,
    ),
    (
        "3 key functions",
        neutral_answers(profile__ai_functions=["operations", "finance", "product"]),
        "cross_functional",
        True,
    ),
    (
        "2 key functions plus 3 others do not count",
        neutral_answers(profile__ai_functions=["sales", "support", "marketing", "hr", "legal"]),
        "cross_functional",
        False,
    ),
    (
        "all eight functions",
        neutral_answers(
            profile__ai_functions=[
                "sales",
                "support",
                "operations",
                "finance",
                "product",
                "marketing",
                "hr",
                "legal",
            ]
        ),
        "cross_functional",
        True,
    ),
    ("no functions", neutral_answers(profile__ai_functions=[]), "cross_functional", False),
    (
        "3 dimensions shift by 2",
        neutral_answers(dimensions(2, 4, shifted=3)),
        "mandate_shift",
        False,
    ),
    (
        "4 dimensions shift by 2",
        neutral_answers(dimensions(2, 4, shifted=4)),
        "mandate_shift",
        True,
    ),
    ("7 dimensions shift by 1", neutral_answers(dimensions(2, 3)), "mandate_shift", False),
    ("7 dimensions shift by 4", neutral_answers(dimensions(1, 5)), "mandate_shift", True),
    ("7 dimensions move back by 2", neutral_answers(dimensions(4, 2)), "mandate_shift", False),
    ("use cases 2", neutral_answers(profile__ai_use_cases=2), "few_use_cases", True),
    ("use cases 3", neutral_answers(profile__ai_use_cases=3), "few_use_cases", False),
    ("use cases 0", neutral_answers(profile__ai_use_cases=0), "few_use_cases", True),
    ("employees 499", neutral_answers(profile__employees=499), "under_500_employees", True),
    ("employees 500", neutral_answers(profile__employees=500), "under_500_employees", False),
    ("internal", neutral_answers(profile__ai_role="internal"), "internal_only", True),
    (
        "feature is not internal",
        neutral_answers(profile__ai_role="feature"),
        "internal_only",
        False,
    ),
    (
        "minimal",
        neutral_answers(profile__regulatory_exposure="minimal"),
        "minimal_regulation",
        True,
    ),
    (
        "minimal but compliance needs an executive",
        neutral_answers(
            profile__regulatory_exposure="minimal", profile__compliance_needs_executive=True
        ),
        "minimal_regulation",
        False,
    ),
    (
        "one product, 24 engineers",
        neutral_answers(profile__products=1, profile__engineering_headcount=24),
        "single_product_small_team",
        True,
    ),
    (
        "one product, 25 engineers",
        neutral_answers(profile__products=1, profile__engineering_headcount=25),
        "single_product_small_team",
        False,
    ),
    (
        "no product yet, 3 engineers",
        neutral_answers(profile__products=0, profile__engineering_headcount=3),
        "single_product_small_team",
        True,
    ),
    (
        "two products, 10 engineers",
        neutral_answers(profile__products=2, profile__engineering_headcount=10),
        "single_product_small_team",
        False,
    ),
    (
        "small team but AI is core",
        neutral_answers(
            profile__products=1, profile__engineering_headcount=10, profile__ai_role="core"
        ),
        "single_product_small_team",
        False,
    ),
    (
        "small team but AI is cross-functional",
        neutral_answers(
            profile__products=1,
            profile__engineering_headcount=10,
            profile__ai_functions=["sales", "support", "product"],
        ),
        "single_product_small_team",
        False,
    ),
]


@pytest.mark.parametrize(
    ("answers", "key", "expected"),
    [case[1:] for case in BOUNDARIES],
    ids=[case[0] for case in BOUNDARIES],
)
def test_signal_boundaries(answers: dict[str, Any], key: str, expected: bool) -> None:
    assert validate(answers) == []
    assert signal(answers, key) is expected


def test_neutral_answers_fire_nothing() -> None:
    result = score(neutral_answers())
    assert not any(result.two_seat_signals.values())
    assert not any(result.one_seat_signals.values())
    assert result.flags == []


# --- Flags. ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "resolver", "capacity", "flags"),
    [
        ("nobody", "ceo", 3, ["no_outcome_owner"]),
        ("cto", "cto", 3, []),
        ("cto", "cto", 4, ["overloaded_seat"]),
        ("cto", "ceo", 5, []),
        ("ai_leader", "cto", 5, []),
        ("ceo", "nobody", 2, ["unresolved_conflicts"]),
        ("nobody", "nobody", 5, ["no_outcome_owner", "unresolved_conflicts"]),
        ("cto", "nobody", 5, ["unresolved_conflicts"]),
    ],
)
def test_flags_hold_in_methodology_order(
    owner: str, resolver: str, capacity: int, flags: list[str]
) -> None:
    answers = neutral_answers(
        {
            "accountability.outcomes_owner": owner,
            "accountability.conflict_resolver": resolver,
            "leadership.cto_capacity": capacity,
        }
    )
    assert score(answers).flags == flags


# --- Recommendation rules, in order. ---------------------------------------------------------

RULES = [
    # (id, answers, recommendation)
    (
        "rule 1: T = 3 wins even with every one-seat signal",
        with_signals(
            ("ai_spend", "ai_headcount", "cto_stretched"),
            (
                "few_use_cases",
                "under_500_employees",
                "internal_only",
                "minimal_regulation",
                "single_product_small_team",
            ),
        ),
        "full_time_caio",
    ),
    (
        "rule 1: T = 2 and O = 1",
        with_signals(("ai_spend", "regulation"), ("few_use_cases",)),
        "full_time_caio",
    ),
    ("rule 1: T = 2 and O = 0", with_signals(("ai_headcount", "mandate_shift")), "full_time_caio"),
    (
        "rule 2: T = 2 and O = 2",
        with_signals(("ai_spend", "ai_headcount"), ("few_use_cases", "under_500_employees")),
        "fractional_caio",
    ),
    ("rule 2: T = 1", with_signals(("cross_functional",)), "fractional_caio"),
    (
        "rule 2: nobody owns outcomes",
        with_signals(accountability__outcomes_owner="nobody"),
        "fractional_caio",
    ),
    (
        "rule 2: overloaded seat",
        with_signals(
            accountability__outcomes_owner="cto",
            accountability__conflict_resolver="cto",
            leadership__cto_capacity=4,
        ),
        "fractional_caio",
    ),
    (
        "rule 2 beats rule 3: T = 1 and the CTO has shipped AI",
        with_signals(("ai_in_core_product",), leadership__cto_shipped_production_ai="yes"),
        "fractional_caio",
    ),
    (
        "rule 1 beats rule 2: T = 3 and nobody owns outcomes",
        with_signals(
            ("ai_spend", "ai_headcount", "regulation"), accountability__outcomes_owner="nobody"
        ),
        "full_time_caio",
    ),
    ("rule 3: nothing fires, the CTO has shipped AI", with_signals(), "single_seat"),
    (
        "rule 3: unresolved conflicts alone do not call for a second seat",
        with_signals(accountability__conflict_resolver="nobody"),
        "single_seat",
    ),
    (
        "rule 3: one-seat signals only",
        with_signals((), ("few_use_cases", "internal_only", "minimal_regulation")),
        "single_seat",
    ),
    (
        "rule 4: the CTO has not shipped AI",
        with_signals(leadership__cto_shipped_production_ai="no"),
        "single_seat_fluency_gap",
    ),
    (
        "rule 4: unsure counts as not shipped",
        with_signals(leadership__cto_shipped_production_ai="unsure"),
        "single_seat_fluency_gap",
    ),
]


@pytest.mark.parametrize(("answers", "expected"), [c[1:] for c in RULES], ids=[c[0] for c in RULES])
def test_recommendation_rules_in_order(answers: dict[str, Any], expected: str) -> None:
    assert validate(answers) == []
    assert score(answers).recommendation == expected


# --- Reporting line. -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (with_signals(("ai_spend",), profile__employees=4_999), "cto_then_ceo"),
        (with_signals(("ai_spend",), profile__employees=5_000), "ceo"),
        (with_signals(("ai_in_core_product",), profile__employees=800), "ceo"),
        (with_signals(("ai_spend", "ai_headcount", "regulation")), "cto_then_ceo"),
        (with_signals(("ai_spend", "ai_headcount", "ai_in_core_product")), "ceo"),
        (with_signals(accountability__outcomes_owner="nobody"), "cto_then_ceo"),
        (with_signals(profile__employees=100_000), "none"),
        (
            with_signals(leadership__cto_shipped_production_ai="no", profile__employees=9_000),
            "none",
        ),
    ],
    ids=[
        "fractional, 4,999 employees",
        "fractional, 5,000 employees",
        "fractional, AI core",
        "full-time, mid-size, AI not core",
        "full-time, AI core",
        "fractional from a flag",
        "single seat, large company",
        "fluency gap, large company",
    ],
)
def test_reporting_line(answers: dict[str, Any], expected: str) -> None:
    assert score(answers).reporting_line == expected


# --- Confidence. -----------------------------------------------------------------------------

CONFIDENCE_CASES = [
    ("T=3, O=0", with_signals(("ai_spend", "ai_headcount", "regulation")), "high"),
    (
        "T=3, O=1",
        with_signals(("ai_spend", "ai_headcount", "regulation"), ("few_use_cases",)),
        "medium",
    ),
    (
        "T=0, O=4, no flags",
        with_signals(
            (), ("few_use_cases", "under_500_employees", "internal_only", "minimal_regulation")
        ),
        "high",
    ),
    (
        "T=0, O=4, a flag",
        with_signals(
            (),
            ("few_use_cases", "under_500_employees", "internal_only", "minimal_regulation"),
            accountability__conflict_resolver="nobody",
        ),
        "medium",
    ),
    (
        "T=0, O=3",
        with_signals((), ("few_use_cases", "under_500_employees", "internal_only")),
        "medium",
    ),
    (
        "T=1, O=3",
        with_signals(("ai_spend",), ("few_use_cases", "under_500_employees", "internal_only")),
        "low",
    ),
    (
        "T=1, O=2",
        with_signals(("ai_spend",), ("few_use_cases", "under_500_employees")),
        "medium",
    ),
    ("T=0, O=0", with_signals(), "medium"),
    (
        "T=4, O=3 is low even for a full-time seat",
        with_signals(
            ("ai_spend", "ai_headcount", "cto_stretched", "mandate_shift"),
            ("few_use_cases", "under_500_employees", "internal_only"),
        ),
        "low",
    ),
]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [c[1:] for c in CONFIDENCE_CASES],
    ids=[c[0] for c in CONFIDENCE_CASES],
)
def test_confidence(answers: dict[str, Any], expected: str) -> None:
    assert score(answers).confidence == expected


# --- Overlap. --------------------------------------------------------------------------------


def test_overlap_actions_follow_key_order_not_answer_order() -> None:
    answers = neutral_answers(
        {
            "overlap.ai_security": "contested",
            "overlap.talent_pipeline": "shared_governance",
            "overlap.cloud_compute": "undefined",
            "overlap.data_infrastructure": "clear_owner",
        }
    )
    result = score(answers)
    assert result.overlap_actions == ["cloud_compute", "ai_security"]
    assert list(result.overlap) == list(OVERLAP_KEYS)
    assert result.overlap["talent_pipeline"] == "shared_governance"


def test_no_overlap_actions_when_every_area_is_settled() -> None:
    answers = neutral_answers({f"overlap.{key}": "shared_governance" for key in OVERLAP_KEYS})
    assert score(answers).overlap_actions == []


# --- The §6 result. --------------------------------------------------------------------------


def test_the_sample_answers_reproduce_the_section_6_example() -> None:
    result = score(valid_answers()).to_dict()
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
    ]
    assert result["methodology"] == "cto-caio-2026.1"
    assert result["recommendation"] == "fractional_caio"
    assert result["reporting_line"] == "cto_then_ceo"
    assert result["confidence"] == "medium"
    assert result["two_seat_signals"] == {
        "ai_spend": False,
        "ai_headcount": True,
        "regulation": False,
        "cto_stretched": False,
        "ai_in_core_product": False,
        "cross_functional": False,
        "mandate_shift": False,
    }
    assert result["one_seat_signals"] == {
        "few_use_cases": False,
        "under_500_employees": True,
        "internal_only": False,
        "minimal_regulation": True,
        "single_product_small_team": False,
    }
    assert result["flags"] == ["no_outcome_owner"]
    assert result["dimensions"][0] == {"key": "primary_focus", "today": 2, "needed": 4, "gap": 2}
    assert result["overlap"] == {
        "data_infrastructure": "contested",
        "cloud_compute": "clear_owner",
        "talent_pipeline": "shared_governance",
        "ai_security": "undefined",
    }
    assert result["overlap_actions"] == ["data_infrastructure", "ai_security"]


def assert_matches_schema(result: dict[str, Any]) -> None:
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
    ]
    assert result["methodology"] == METHODOLOGY_VERSION == "cto-caio-2026.1"
    assert result["recommendation"] in RECOMMENDATIONS
    assert result["reporting_line"] in REPORTING_LINES
    assert result["confidence"] in CONFIDENCES
    assert list(result["two_seat_signals"]) == list(TWO_SEAT_SIGNALS)
    assert all(type(v) is bool for v in result["two_seat_signals"].values())
    assert list(result["one_seat_signals"]) == list(ONE_SEAT_SIGNALS)
    assert all(type(v) is bool for v in result["one_seat_signals"].values())
    assert isinstance(result["flags"], list)
    assert result["flags"] == [f for f in FLAGS if f in result["flags"]]
    assert [d["key"] for d in result["dimensions"]] == list(DIMENSION_KEYS)
    for d in result["dimensions"]:
        assert list(d) == ["key", "today", "needed", "gap"]
        assert all(type(d[k]) is int for k in ("today", "needed", "gap"))
        assert 1 <= d["today"] <= 5 and 1 <= d["needed"] <= 5
        assert d["gap"] == d["needed"] - d["today"]
    assert list(result["overlap"]) == list(OVERLAP_KEYS)
    assert set(result["overlap"].values()) <= {
        "clear_owner",
        "shared_governance",
        "contested",
        "undefined",
    }
    assert result["overlap_actions"] == [
        k for k in OVERLAP_KEYS if result["overlap"][k] in ("contested", "undefined")
    ]
    # The result survives a JSON round trip unchanged: plain types only.
    assert json.loads(json.dumps(result)) == result


def oracle(a: dict[str, Any]) -> tuple[str, str, str]:
    """§3 and §5 re-derived as literally as the contract reads, to cross-check score()."""
    gaps = [a[f"dimension.{k}.needed"] - a[f"dimension.{k}.today"] for k in DIMENSION_KEYS]
    key_functions = {"sales", "support", "operations", "finance", "product"}
    cross = len(key_functions & set(a["profile.ai_functions"])) >= 3
    two = [
        a["profile.ai_spend_usd"] > 5_000_000,
        a["profile.ai_headcount"] > 20,
        a["profile.regulatory_exposure"] == "significant"
        or a["profile.compliance_needs_executive"],
        {"infrastructure", "security", "product_engineering"} <= set(a["leadership.cto_scope"])
        and a["leadership.cto_capacity"] >= 4,
        a["profile.ai_role"] == "core",
        cross,
        sum(g >= 2 for g in gaps) >= 4,
    ]
    one = [
        a["profile.ai_use_cases"] <= 2,
        a["profile.employees"] < 500,
        a["profile.ai_role"] == "internal",
        a["profile.regulatory_exposure"] == "minimal"
        and not a["profile.compliance_needs_executive"],
        a["profile.products"] <= 1
        and a["profile.engineering_headcount"] < 25
        and a["profile.ai_role"] != "core"
        and not cross,
    ]
    owner, resolver = a["accountability.outcomes_owner"], a["accountability.conflict_resolver"]
    flags = []
    if owner == "nobody":
        flags.append("no_outcome_owner")
    if owner == "cto" and resolver == "cto" and a["leadership.cto_capacity"] >= 4:
        flags.append("overloaded_seat")
    if resolver == "nobody":
        flags.append("unresolved_conflicts")
    t, o = sum(two), sum(one)
    if t >= 3 or (t >= 2 and o <= 1):
        rec = "full_time_caio"
    elif t >= 1 or "no_outcome_owner" in flags or "overloaded_seat" in flags:
        rec = "fractional_caio"
    elif a["leadership.cto_shipped_production_ai"] == "yes":
        rec = "single_seat"
    else:
        rec = "single_seat_fluency_gap"
    if rec in ("full_time_caio", "fractional_caio"):
        line = "ceo" if two[4] or a["profile.employees"] >= 5000 else "cto_then_ceo"
    else:
        line = "none"
    if (t >= 3 and o == 0) or (t == 0 and o >= 4 and not flags):
        conf = "high"
    elif t >= 1 and o >= 3:
        conf = "low"
    else:
        conf = "medium"
    return rec, line, conf


@settings(max_examples=200, deadline=None)
@given(answers_strategy())
def test_any_valid_answers_give_a_section_6_result(answers: dict[str, Any]) -> None:
    assert validate(answers) == []
    result = score(answers).to_dict()
    assert_matches_schema(result)
    assert (result["recommendation"], result["reporting_line"], result["confidence"]) == oracle(
        answers
    )


# --- Fingerprints and purity. ----------------------------------------------------------------


def test_canonical_json_ignores_key_order_and_keeps_text_readable() -> None:
    answers = valid_answers({"context.concerns": "Über-busy CTO — €"})
    shuffled = dict(reversed(list(answers.items())))
    assert canonical_json(answers) == canonical_json(shuffled)
    assert answers_sha256(answers) == answers_sha256(shuffled)
    assert "Über-busy CTO — €" in canonical_json(answers)
    assert ", " not in canonical_json({"a": [1, 2]})


def test_hash_changes_with_any_answer() -> None:
    assert answers_sha256(valid_answers()) != answers_sha256(
        valid_answers(profile__ai_headcount=25)
    )
    assert len(answers_sha256(valid_answers())) == 64


# --- docs/methodology.md stays true. ---------------------------------------------------------

DOCS = ROOT / "docs" / "methodology.md"


def docs_json_block(marker: str) -> Any:
    text = DOCS.read_text(encoding="utf-8")
    after = text.split(f"<!-- worked-example:{marker} -->", 1)[1]
    block = after.split("```json", 1)[1].split("```", 1)[0]
    return json.loads(block)


def test_the_documented_worked_example_scores_as_printed() -> None:
    answers = docs_json_block("answers-2026.1")
    assert validate(answers) == []
    result = score(answers).to_dict()
    assert result == docs_json_block("result-2026.1")
    assert list(result) == list(docs_json_block("result-2026.1"))


def test_the_docs_name_every_question_code() -> None:
    from assessments.questionnaire import QUESTIONS

    text = DOCS.read_text(encoding="utf-8")
    assert [code for code in QUESTIONS if f"`{code}`" not in text] == []
