"""The CTO–CAIO mandate methodology, version ``cto-caio-2026.1`` (superseded; kept so that
everything made with it is reproduced exactly): validation and scoring.

Plain values in, dataclasses out: no Django, no database, no settings. The contract is
``specs/methodology-2026.1.md``; ``docs/methodology.md`` explains it for advisors. Every number
the rules compare against lives in :data:`THRESHOLDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessments.methodology.answers import DIMENSION_KEYS, OVERLAP_KEYS, dimension_code
from assessments.methodology.result import DimensionScore, Facts, Result
from assessments.methodology.validation import AnswerError, validate_answers

VERSION = "cto-caio-2026.1"


@dataclass(frozen=True)
class Thresholds:
    # Two-seat signals. "above" means strictly greater; "at least" means greater or equal.
    ai_spend_usd_above: int = 5_000_000
    ai_headcount_above: int = 20
    stretched_cto_scope: tuple[str, ...] = ("infrastructure", "security", "product_engineering")
    stretched_cto_capacity_at_least: int = 4
    cross_functional_areas: tuple[str, ...] = (
        "sales",
        "support",
        "operations",
        "finance",
        "product",
    )
    cross_functional_at_least: int = 3
    mandate_shift_gap_at_least: int = 2
    mandate_shift_dimensions_at_least: int = 4
    # One-seat signals. "at most" is less or equal; "under" is strictly less.
    few_use_cases_at_most: int = 2
    small_company_employees_under: int = 500
    single_product_at_most: int = 1
    small_engineering_team_under: int = 25
    # Structural flags.
    overloaded_capacity_at_least: int = 4
    # Recommendation (§5, rule 1): T >= 3, or T >= 2 with O <= 1.
    full_time_two_seat_at_least: int = 3
    full_time_paired_two_seat_at_least: int = 2
    full_time_paired_one_seat_at_most: int = 1
    # Reporting line: straight to the CEO from this many employees.
    ceo_reporting_employees_at_least: int = 5_000
    # Confidence.
    high_two_seat_at_least: int = 3
    high_one_seat_at_least: int = 4
    low_one_seat_at_least: int = 3


THRESHOLDS = Thresholds()

TWO_SEAT_SIGNALS: tuple[str, ...] = (
    "ai_spend",
    "ai_headcount",
    "regulation",
    "cto_stretched",
    "ai_in_core_product",
    "cross_functional",
    "mandate_shift",
)
ONE_SEAT_SIGNALS: tuple[str, ...] = (
    "few_use_cases",
    "under_500_employees",
    "internal_only",
    "minimal_regulation",
    "single_product_small_team",
)
FLAGS: tuple[str, ...] = ("no_outcome_owner", "overloaded_seat", "unresolved_conflicts")
RECOMMENDATIONS: tuple[str, ...] = (
    "full_time_caio",
    "fractional_caio",
    "single_seat",
    "single_seat_fluency_gap",
)
REPORTING_LINES: tuple[str, ...] = ("ceo", "cto_then_ceo", "none")
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
OVERLAP_NEEDS_GOVERNANCE: tuple[str, ...] = ("contested", "undefined")


_DIMENSION_CODES: tuple[tuple[str, str, str], ...] = tuple(
    (key, dimension_code(key, "today"), dimension_code(key, "needed")) for key in DIMENSION_KEYS
)
_OVERLAP_CODES: tuple[tuple[str, str], ...] = tuple((key, f"overlap.{key}") for key in OVERLAP_KEYS)


def dimension_scores(answers: Mapping[str, object]) -> list[DimensionScore]:
    a: Any = answers
    return [
        DimensionScore(key, a[today], a[needed], a[needed] - a[today])
        for key, today, needed in _DIMENSION_CODES
    ]


def cross_functional_hits(answers: Mapping[str, object], t: Thresholds) -> tuple[str, ...]:
    """The §3 cross-functional areas among the answered ai_functions, in §3 order."""
    functions = set(answers["profile.ai_functions"])  # type: ignore[call-overload]
    return tuple(area for area in t.cross_functional_areas if area in functions)


def shifted_dimensions(dimensions: list[DimensionScore], t: Thresholds) -> tuple[str, ...]:
    """The dimensions whose gap reaches the mandate-shift mark."""
    return tuple(d.key for d in dimensions if d.gap >= t.mandate_shift_gap_at_least)


def two_seat_signals(
    answers: Mapping[str, object],
    *,
    capacity: int,
    hits: tuple[str, ...],
    shifted: tuple[str, ...],
    t: Thresholds,
) -> dict[str, bool]:
    """§3's two-seat signals; ``capacity`` is C, the CTO capacity the version uses."""
    a: Any = answers  # validated answers: values have the types §1 declares
    scope = set(a["leadership.cto_scope"])
    return {
        "ai_spend": a["profile.ai_spend_usd"] > t.ai_spend_usd_above,
        "ai_headcount": a["profile.ai_headcount"] > t.ai_headcount_above,
        "regulation": (
            a["profile.regulatory_exposure"] == "significant"
            or a["profile.compliance_needs_executive"] is True
        ),
        "cto_stretched": (
            all(area in scope for area in t.stretched_cto_scope)
            and capacity >= t.stretched_cto_capacity_at_least
        ),
        "ai_in_core_product": a["profile.ai_role"] == "core",
        "cross_functional": len(hits) >= t.cross_functional_at_least,
        "mandate_shift": len(shifted) >= t.mandate_shift_dimensions_at_least,
    }


def one_seat_signals(
    answers: Mapping[str, object], *, cross_functional: bool, t: Thresholds
) -> dict[str, bool]:
    a: Any = answers
    return {
        "few_use_cases": a["profile.ai_use_cases"] <= t.few_use_cases_at_most,
        "under_500_employees": a["profile.employees"] < t.small_company_employees_under,
        "internal_only": a["profile.ai_role"] == "internal",
        "minimal_regulation": (
            a["profile.regulatory_exposure"] == "minimal"
            and a["profile.compliance_needs_executive"] is not True
        ),
        "single_product_small_team": (
            a["profile.products"] <= t.single_product_at_most
            and a["profile.engineering_headcount"] < t.small_engineering_team_under
            and a["profile.ai_role"] != "core"
            and not cross_functional
        ),
    }


def accountability_flags(
    answers: Mapping[str, object], *, capacity: int, t: Thresholds
) -> dict[str, bool]:
    """The three flags read from the CEO's two accountability answers (and C)."""
    a: Any = answers
    owner = a["accountability.outcomes_owner"]
    resolver = a["accountability.conflict_resolver"]
    return {
        "no_outcome_owner": owner == "nobody",
        "overloaded_seat": (
            owner == "cto" and resolver == "cto" and capacity >= t.overloaded_capacity_at_least
        ),
        "unresolved_conflicts": resolver == "nobody",
    }


def recommend(
    two_seat: int,
    one_seat: int,
    flags: list[str],
    cto_shipped_production_ai: object,
    t: Thresholds,
    fractional_flags: tuple[str, ...] = ("no_outcome_owner", "overloaded_seat"),
) -> str:
    """§5: the first rule that holds wins."""
    if two_seat >= t.full_time_two_seat_at_least or (
        two_seat >= t.full_time_paired_two_seat_at_least
        and one_seat <= t.full_time_paired_one_seat_at_most
    ):
        return "full_time_caio"
    if two_seat >= 1 or any(flag in flags for flag in fractional_flags):
        return "fractional_caio"
    if cto_shipped_production_ai == "yes":
        return "single_seat"
    return "single_seat_fluency_gap"


def reporting_line(
    recommendation: str, ai_in_core_product: bool, employees: int, t: Thresholds
) -> str:
    if recommendation not in ("full_time_caio", "fractional_caio"):
        return "none"
    if ai_in_core_product or employees >= t.ceo_reporting_employees_at_least:
        return "ceo"
    return "cto_then_ceo"


def confidence(two_seat: int, one_seat: int, flags: list[str], t: Thresholds) -> str:
    if (two_seat >= t.high_two_seat_at_least and one_seat == 0) or (
        two_seat == 0 and one_seat >= t.high_one_seat_at_least and not flags
    ):
        return "high"
    if two_seat >= 1 and one_seat >= t.low_one_seat_at_least:
        return "low"
    return "medium"


def overlap_answers(answers: Mapping[str, object]) -> dict[str, str]:
    a: Any = answers
    return {key: a[code] for key, code in _OVERLAP_CODES}


def overlap_actions(overlap: Mapping[str, str]) -> list[str]:
    return [key for key in OVERLAP_KEYS if overlap[key] in OVERLAP_NEEDS_GOVERNANCE]


def validate(document: object) -> list[AnswerError]:
    """Every problem with a 2026.1 input: a flat answers object only. A problem with the input
    as a whole (not an object) carries the code ``""``."""
    return validate_answers(document)


def score(document: Mapping[str, object], t: Thresholds = THRESHOLDS) -> Result:
    """Score answers that :func:`validate` has accepted."""
    a: Any = document
    capacity = a["leadership.cto_capacity"]
    dimensions = dimension_scores(a)
    hits = cross_functional_hits(a, t)
    shifted = shifted_dimensions(dimensions, t)
    two_seat = two_seat_signals(a, capacity=capacity, hits=hits, shifted=shifted, t=t)
    one_seat = one_seat_signals(a, cross_functional=two_seat["cross_functional"], t=t)
    holds = accountability_flags(a, capacity=capacity, t=t)
    flags = [flag for flag in FLAGS if holds[flag]]
    t_count, o_count = sum(two_seat.values()), sum(one_seat.values())
    recommendation = recommend(
        t_count, o_count, flags, a["leadership.cto_shipped_production_ai"], t
    )
    overlap = overlap_answers(a)
    level = confidence(t_count, o_count, flags, t)
    return Result(
        methodology=VERSION,
        recommendation=recommendation,
        reporting_line=reporting_line(
            recommendation, two_seat["ai_in_core_product"], a["profile.employees"], t
        ),
        confidence=level,
        two_seat_signals=two_seat,
        one_seat_signals=one_seat,
        flags=flags,
        dimensions=dimensions,
        overlap=overlap,
        overlap_actions=overlap_actions(overlap),
        facts=Facts(
            cto_capacity_used=capacity,
            cross_functional_hits=hits,
            shifted_dimensions=shifted,
            confidence_before_divergence=level,
        ),
    )
