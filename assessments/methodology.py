"""The CTO–CAIO mandate methodology, version ``cto-caio-2026.1``: pure scoring.

Plain values in, dataclasses out: no Django, no database, no settings. The contract is
``specs/methodology.md`` §3–§6; ``docs/methodology.md`` explains it for advisors. Every number
the rules compare against lives in :data:`THRESHOLDS`, so a later version changes one place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessments.questionnaire import DIMENSION_KEYS, OVERLAP_KEYS, dimension_code

METHODOLOGY_VERSION = "cto-caio-2026.1"


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


@dataclass(frozen=True)
class DimensionScore:
    key: str
    today: int
    needed: int
    gap: int

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "today": self.today, "needed": self.needed, "gap": self.gap}


@dataclass(frozen=True)
class Result:
    methodology: str
    recommendation: str
    reporting_line: str
    confidence: str
    two_seat_signals: dict[str, bool]
    one_seat_signals: dict[str, bool]
    flags: list[str]
    dimensions: list[DimensionScore]
    overlap: dict[str, str]
    overlap_actions: list[str]

    @property
    def two_seat_count(self) -> int:
        return sum(self.two_seat_signals.values())

    @property
    def one_seat_count(self) -> int:
        return sum(self.one_seat_signals.values())

    def to_dict(self) -> dict[str, Any]:
        """The result exactly as methodology §6 lays it out, keys in the same order."""
        return {
            "methodology": self.methodology,
            "recommendation": self.recommendation,
            "reporting_line": self.reporting_line,
            "confidence": self.confidence,
            "two_seat_signals": dict(self.two_seat_signals),
            "one_seat_signals": dict(self.one_seat_signals),
            "flags": list(self.flags),
            "dimensions": [d.to_dict() for d in self.dimensions],
            "overlap": dict(self.overlap),
            "overlap_actions": list(self.overlap_actions),
        }


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


def _count_cross_functional(answers: Mapping[str, object], t: Thresholds) -> int:
    functions = set(answers["profile.ai_functions"])  # type: ignore[call-overload]
    return sum(1 for area in t.cross_functional_areas if area in functions)


def two_seat_signals(
    answers: Mapping[str, object],
    dimensions: list[DimensionScore],
    t: Thresholds = THRESHOLDS,
) -> dict[str, bool]:
    a: Any = answers  # validated answers: values have the types the questionnaire declares
    scope = set(a["leadership.cto_scope"])
    shifted = sum(1 for d in dimensions if d.gap >= t.mandate_shift_gap_at_least)
    return {
        "ai_spend": a["profile.ai_spend_usd"] > t.ai_spend_usd_above,
        "ai_headcount": a["profile.ai_headcount"] > t.ai_headcount_above,
        "regulation": (
            a["profile.regulatory_exposure"] == "significant"
            or a["profile.compliance_needs_executive"] is True
        ),
        "cto_stretched": (
            all(area in scope for area in t.stretched_cto_scope)
            and a["leadership.cto_capacity"] >= t.stretched_cto_capacity_at_least
        ),
        "ai_in_core_product": a["profile.ai_role"] == "core",
        "cross_functional": _count_cross_functional(a, t) >= t.cross_functional_at_least,
        "mandate_shift": shifted >= t.mandate_shift_dimensions_at_least,
    }


def one_seat_signals(
    answers: Mapping[str, object],
    cross_functional: bool,
    t: Thresholds = THRESHOLDS,
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


def structural_flags(answers: Mapping[str, object], t: Thresholds = THRESHOLDS) -> list[str]:
    a: Any = answers
    owner = a["accountability.outcomes_owner"]
    resolver = a["accountability.conflict_resolver"]
    holds = {
        "no_outcome_owner": owner == "nobody",
        "overloaded_seat": (
            owner == "cto"
            and resolver == "cto"
            and a["leadership.cto_capacity"] >= t.overloaded_capacity_at_least
        ),
        "unresolved_conflicts": resolver == "nobody",
    }
    return [flag for flag in FLAGS if holds[flag]]


def recommend(
    two_seat: int,
    one_seat: int,
    flags: list[str],
    cto_shipped_production_ai: object,
    t: Thresholds = THRESHOLDS,
) -> str:
    """§5: the first rule that holds wins."""
    if two_seat >= t.full_time_two_seat_at_least or (
        two_seat >= t.full_time_paired_two_seat_at_least
        and one_seat <= t.full_time_paired_one_seat_at_most
    ):
        return "full_time_caio"
    if two_seat >= 1 or "no_outcome_owner" in flags or "overloaded_seat" in flags:
        return "fractional_caio"
    if cto_shipped_production_ai == "yes":
        return "single_seat"
    return "single_seat_fluency_gap"


def reporting_line(
    recommendation: str,
    ai_in_core_product: bool,
    employees: int,
    t: Thresholds = THRESHOLDS,
) -> str:
    if recommendation not in ("full_time_caio", "fractional_caio"):
        return "none"
    if ai_in_core_product or employees >= t.ceo_reporting_employees_at_least:
        return "ceo"
    return "cto_then_ceo"


def confidence(two_seat: int, one_seat: int, flags: list[str], t: Thresholds = THRESHOLDS) -> str:
    if (two_seat >= t.high_two_seat_at_least and one_seat == 0) or (
        two_seat == 0 and one_seat >= t.high_one_seat_at_least and not flags
    ):
        return "high"
    if two_seat >= 1 and one_seat >= t.low_one_seat_at_least:
        return "low"
    return "medium"


def score(answers: Mapping[str, object]) -> Result:
    """Score answers that :func:`assessments.validation.validate` has accepted."""
    a: Any = answers
    dimensions = dimension_scores(answers)
    two_seat = two_seat_signals(answers, dimensions)
    one_seat = one_seat_signals(answers, cross_functional=two_seat["cross_functional"])
    flags = structural_flags(answers)
    t_count = sum(two_seat.values())
    o_count = sum(one_seat.values())
    recommendation = recommend(t_count, o_count, flags, a["leadership.cto_shipped_production_ai"])
    overlap = {key: a[code] for key, code in _OVERLAP_CODES}
    return Result(
        methodology=METHODOLOGY_VERSION,
        recommendation=recommendation,
        reporting_line=reporting_line(
            recommendation, two_seat["ai_in_core_product"], a["profile.employees"]
        ),
        confidence=confidence(t_count, o_count, flags),
        two_seat_signals=two_seat,
        one_seat_signals=one_seat,
        flags=flags,
        dimensions=dimensions,
        overlap=overlap,
        overlap_actions=[k for k in OVERLAP_KEYS if overlap[k] in OVERLAP_NEEDS_GOVERNANCE],
    )


def canonical_json(answers: Mapping[str, object]) -> str:
    """One fixed spelling of a set of answers, so equal answers always hash alike."""
    return json.dumps(
        answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def answers_sha256(answers: Mapping[str, object]) -> str:
    """Hex SHA-256 of :func:`canonical_json`; printed on every memo to tie it to its answers."""
    return hashlib.sha256(canonical_json(answers).encode("utf-8")).hexdigest()
