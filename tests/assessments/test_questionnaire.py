"""The questionnaire definition matches methodology §1, §2 and §4 exactly."""

from __future__ import annotations

import pytest

from assessments.questionnaire import (
    DIMENSIONS,
    OVERLAP_AREAS,
    QUESTIONNAIRE_VERSION,
    QUESTIONS,
    REQUIRED_CODES,
    SCALE_LABELS,
    SECTION_OF,
    SECTIONS,
    choice_label,
    display_value,
    format_usd,
    format_usd_exact,
)

DIMENSION_KEYS_IN_SPEC = [
    "primary_focus",
    "orientation",
    "data_approach",
    "operations_model",
    "risk_lens",
    "success_metrics",
    "stakeholder_relationship",
]
OVERLAP_KEYS_IN_SPEC = ["data_infrastructure", "cloud_compute", "talent_pipeline", "ai_security"]

# methodology §1, transcribed: code -> (kind, minimum, maximum, choices)
SPEC: dict[str, tuple[str, int | None, int | None, list[str]]] = {
    "profile.employees": ("integer", 1, None, []),
    "profile.products": ("integer", 0, None, []),
    "profile.engineering_headcount": ("integer", 0, None, []),
    "profile.ai_spend_usd": ("number", 0, None, []),
    "profile.ai_headcount": ("integer", 0, None, []),
    "profile.ai_use_cases": ("integer", 0, None, []),
    "profile.ai_role": ("choice", None, None, ["internal", "feature", "core"]),
    "profile.ai_functions": (
        "multi",
        None,
        None,
        ["sales", "support", "operations", "finance", "product", "marketing", "hr", "legal"],
    ),
    "profile.regulatory_exposure": ("choice", None, None, ["minimal", "moderate", "significant"]),
    "profile.compliance_needs_executive": ("boolean", None, None, []),
    "leadership.cto_scope": (
        "multi",
        None,
        None,
        ["infrastructure", "security", "product_engineering", "data_platform", "it"],
    ),
    "leadership.cto_capacity": ("scale", 1, 5, []),
    "leadership.cto_shipped_production_ai": ("choice", None, None, ["yes", "no", "unsure"]),
    "leadership.ai_leader": ("choice", None, None, ["none", "fractional", "full_time"]),
    "leadership.ai_leader_reports_to": ("choice", None, None, ["ceo", "cto", "other", "none"]),
    "accountability.outcomes_owner": (
        "choice",
        None,
        None,
        ["nobody", "cto", "ai_leader", "product", "business_units", "ceo"],
    ),
    "accountability.conflict_resolver": (
        "choice",
        None,
        None,
        ["nobody", "cto", "ceo", "ai_leader", "joint_forum"],
    ),
    **{
        f"dimension.{key}.{which}": ("scale", 1, 5, [])
        for key in DIMENSION_KEYS_IN_SPEC
        for which in ("today", "needed")
    },
    **{
        f"overlap.{key}": (
            "choice",
            None,
            None,
            ["clear_owner", "shared_governance", "contested", "undefined"],
        )
        for key in OVERLAP_KEYS_IN_SPEC
    },
    "context.concerns": ("text", None, None, []),
}


def test_version_is_two() -> None:
    # 2: the perspective questionnaire, and the conditional "reports to" question.
    assert QUESTIONNAIRE_VERSION == 2


def test_codes_are_exactly_those_of_the_methodology() -> None:
    assert list(QUESTIONS) == list(SPEC)


@pytest.mark.parametrize("code", list(SPEC))
def test_question_matches_the_methodology(code: str) -> None:
    kind, minimum, maximum, choices = SPEC[code]
    question = QUESTIONS[code]
    assert question.code == code
    assert (question.kind, question.minimum, question.maximum) == (kind, minimum, maximum)
    assert list(question.choice_values) == choices
    assert question.label.strip() and question.help.strip()
    assert all(choice.label.strip() for choice in question.choices)


def test_only_concerns_is_optional_and_it_is_capped() -> None:
    assert [code for code in QUESTIONS if code not in REQUIRED_CODES] == ["context.concerns"]
    assert QUESTIONS["context.concerns"].max_length == 5_000


def test_sections_come_in_the_product_order() -> None:
    assert [s.key for s in SECTIONS] == [
        "profile",
        "leadership",
        "accountability",
        "dimensions",
        "overlap",
        "context",
    ]
    for section in SECTIONS:
        assert section.title and section.intro
        for question in section.questions:
            assert SECTION_OF[question.code] == section.key


def test_seven_dimensions_with_both_poles_in_words() -> None:
    assert [d.key for d in DIMENSIONS] == DIMENSION_KEYS_IN_SPEC
    for dimension in DIMENSIONS:
        assert dimension.name and dimension.cto_pole and dimension.caio_pole
        assert dimension.cto_pole != dimension.caio_pole
        for which in ("today", "needed"):
            question = QUESTIONS[f"dimension.{dimension.key}.{which}"]
            assert question.dimension == dimension.key
            assert question.scale_labels == SCALE_LABELS
            assert dimension.name in question.label


def test_overlap_areas_in_methodology_order() -> None:
    assert [a.key for a in OVERLAP_AREAS] == OVERLAP_KEYS_IN_SPEC
    assert all(a.name and a.help for a in OVERLAP_AREAS)


def test_scale_questions_have_a_word_for_each_point() -> None:
    for question in QUESTIONS.values():
        if question.kind == "scale":
            assert len(question.scale_labels) == 5


@pytest.mark.parametrize(
    ("amount", "short", "exact"),
    [
        (0, "$0", "$0"),
        (950, "$950", "$950"),
        (1_500, "$1.5K", "$1,500"),
        (750_000, "$750K", "$750,000"),
        (999_960, "$1M", "$999,960"),
        (5_000_000, "$5M", "$5,000,000"),
        (6_200_000, "$6.2M", "$6,200,000"),
        (6_234_567, "$6.2M", "$6,234,567"),
        (1_300_000_000, "$1.3B", "$1,300,000,000"),
        (1_234.5, "$1.2K", "$1,234.50"),
        (10**40, "$10,000,000,000,000,000,000,000,000,000,000B", "$" + f"{10**40:,}"),
    ],
)
def test_money_formats(amount: int | float, short: str, exact: str) -> None:
    assert format_usd(amount) == short
    assert format_usd_exact(amount) == exact


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        ("profile.ai_spend_usd", 6_200_000, "$6.2M"),
        ("profile.ai_spend_usd", 6_234_567, "$6,234,567"),
        ("profile.ai_spend_usd", 5_000_001, "$5,000,001"),
        ("profile.employees", 12_000, "12,000"),
        ("profile.compliance_needs_executive", True, "Yes"),
        ("profile.compliance_needs_executive", False, "No"),
        ("profile.ai_role", "core", "A core part of our product"),
        ("profile.ai_functions", ["sales", "support"], "Sales, Customer support"),
        ("profile.ai_functions", [], "None"),
        ("leadership.cto_capacity", 5, "5 – Over-subscribed"),
        ("dimension.risk_lens.today", 4, "4 – Mostly AI-led"),
        ("context.concerns", "Board asks who owns AI.", "Board asks who owns AI."),
        ("context.concerns", "", "Not answered"),
        ("context.concerns", None, "Not answered"),
    ],
)
def test_display_value(code: str, value: object, shown: str) -> None:
    assert display_value(code, value) == shown


def test_choice_label_falls_back_to_the_stored_value() -> None:
    assert choice_label("overlap.ai_security", "contested") == "Contested: both sides claim it"
    assert choice_label("overlap.ai_security", "retired") == "retired"
    assert choice_label("profile.employees", 3) == "3"
