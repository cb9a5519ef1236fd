"""The CTO–CAIO mandate methodology, version ``cto-caio-2026.2``: validation and scoring.

What changed from 2026.1 (``specs/methodology.md`` §0): the new AI seat reports to the CEO
whenever the CTO's roadmap is full (C ≥ 4); one consistency rule between ``ai_leader`` and
``ai_leader_reports_to``; and the perspectives of other leaders (§7): the CTO's own capacity
replaces the CEO's estimate, disagreement about who owns AI outcomes or settles conflicts is
a finding, and divergent dimensions lower the confidence.

Plain values in, dataclasses out: no Django, no database, no settings. The signal rules that
did not change are 2026.1's functions, called with this version's own thresholds and C.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessments.methodology import v2026_1 as previous
from assessments.methodology.answers import (
    DIMENSION_KEYS,
    FIELDS,
    OVERLAP_KEYS,
    dimension_code,
)
from assessments.methodology.result import (
    DimensionScore,
    Facts,
    Perception,
    Respondent,
    Result,
)
from assessments.methodology.validation import AnswerError, validate_answers
from assessments.methodology.validation import describe_value as got

VERSION = "cto-caio-2026.2"


@dataclass(frozen=True)
class Thresholds(previous.Thresholds):
    # Reporting line: straight to the CEO when C is at least this (§5, new in 2026.2).
    ceo_reporting_capacity_at_least: int = 4
    # A dimension is divergent when the respondents' answers span at least this (§7).
    divergent_span_at_least: int = 2
    # Confidence drops one level from this many divergent dimensions (§5 step 2).
    confidence_drop_divergent_at_least: int = 3
    # At most this many perspectives per assessment (§7).
    perspectives_at_most: int = 10


THRESHOLDS = Thresholds()

TWO_SEAT_SIGNALS = previous.TWO_SEAT_SIGNALS
ONE_SEAT_SIGNALS = previous.ONE_SEAT_SIGNALS
FLAGS: tuple[str, ...] = (
    "no_outcome_owner",
    "overloaded_seat",
    "unresolved_conflicts",
    "disputed_ownership",
    "disputed_resolver",
)
RECOMMENDATIONS = previous.RECOMMENDATIONS
REPORTING_LINES = previous.REPORTING_LINES
CONFIDENCES = previous.CONFIDENCES
# Rule 2 of §5: besides a two-seat signal, these flags call for a fractional CAIO.
FRACTIONAL_FLAGS: tuple[str, ...] = ("no_outcome_owner", "overloaded_seat", "disputed_ownership")
_LOWER = {"high": "medium", "medium": "low", "low": "low"}

ROLES: tuple[str, ...] = ("cto", "cfo", "coo", "product", "board", "other")
PERSPECTIVE_CODES: tuple[str, ...] = (
    "leadership.cto_capacity",
    "accountability.outcomes_owner",
    "accountability.conflict_resolver",
    *(dimension_code(key, which) for key in DIMENSION_KEYS for which in ("today", "needed")),
    *(f"overlap.{key}" for key in OVERLAP_KEYS),
    "context.concerns",
)
ENVELOPE_KEYS: tuple[str, ...] = ("answers", "perspectives")
PERSPECTIVE_KEYS: tuple[str, ...] = ("role", "answers")

_ORDER = {code: index for index, code in enumerate(FIELDS)}


# --- Input. ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Perspective:
    role: str
    answers: Mapping[str, Any]


def split(document: Mapping[str, Any]) -> tuple[Mapping[str, Any], tuple[Perspective, ...]]:
    """The CEO's answers and the perspectives of a valid assessment, flat or envelope."""
    if "answers" not in document:
        return document, ()
    perspectives = tuple(
        Perspective(p["role"], p["answers"]) for p in document.get("perspectives", [])
    )
    return document["answers"], perspectives


# --- Validation (§1 and §7). -------------------------------------------------------------


def _consistency(answers: Mapping[str, Any]) -> AnswerError | None:
    """§1's new rule: an AI leader who does not exist reports to nobody, and one who exists
    reports to someone. Checked only when both answers are otherwise valid."""
    leader = answers.get("leadership.ai_leader")
    reports_to = answers.get("leadership.ai_leader_reports_to")
    code = "leadership.ai_leader_reports_to"
    if leader == "none" and reports_to != "none":
        return AnswerError(
            code,
            f'{code}: expected "none" when leadership.ai_leader is "none" (no AI leader '
            f"reports to anyone), got {got(reports_to)}",
        )
    if leader in ("fractional", "full_time") and reports_to == "none":
        return AnswerError(
            code,
            f'{code}: expected one of "ceo", "cto", "other" when leadership.ai_leader is '
            f'{got(leader)} (an AI leader reports to someone), got "none"',
        )
    return None


def validate_ceo_answers(answers: object, *, root_code: str) -> list[AnswerError]:
    errors = validate_answers(answers, root_code=root_code)
    named = {error.code for error in errors}
    both = ("leadership.ai_leader", "leadership.ai_leader_reports_to")
    if isinstance(answers, Mapping) and not named.intersection(both):
        problem = _consistency(answers)
        if problem is not None:
            errors.append(problem)
            # Keep the errors in questionnaire order, unknown codes last.
            errors.sort(key=lambda e: _ORDER.get(e.code, len(_ORDER)))
    return errors


def validate_perspective(perspective: object, index: int) -> list[AnswerError]:
    here = f"perspectives.{index}"
    if not isinstance(perspective, Mapping):
        return [AnswerError(here, f"{here}: expected an object, got {got(perspective)}")]
    errors: list[AnswerError] = []
    missing = [key for key in PERSPECTIVE_KEYS if key not in perspective]
    extra = [str(key) for key in perspective if key not in PERSPECTIVE_KEYS]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f'"{key}"' for key in missing))
        if extra:
            parts.append("unknown " + ", ".join(f'"{key[:40]}"' for key in extra))
        errors.append(
            AnswerError(
                here, f'{here}: expected exactly the keys "role" and "answers"; ' + "; ".join(parts)
            )
        )
    if "role" in perspective and perspective["role"] not in ROLES:
        expected = ", ".join(f'"{role}"' for role in ROLES)
        errors.append(
            AnswerError(
                f"{here}.role",
                f"{here}.role: expected one of {expected}, got {got(perspective['role'])}",
            )
        )
    if "answers" in perspective:
        answers = perspective["answers"]
        if not isinstance(answers, Mapping):
            errors.append(
                AnswerError(here, f"{here}: expected answers as an object, got {got(answers)}")
            )
        else:
            errors += validate_answers(answers, codes=PERSPECTIVE_CODES, prefix=f"{here}.")
    return errors


def validate(document: object) -> list[AnswerError]:
    """Every problem with a 2026.2 input: a flat answers object, or an envelope with
    perspectives (§7). An empty list means it can be scored."""
    if not isinstance(document, Mapping):
        return [
            AnswerError(
                "assessment",
                f"assessment: expected an answers object or an envelope with answers and "
                f"perspectives, got {got(document)}",
            )
        ]
    try:
        if "answers" not in document:
            return validate_ceo_answers(document, root_code="assessment")
        return _validate_envelope(document)
    except Exception:  # a Mapping whose own methods fail; JSON input never gets here
        return [AnswerError("assessment", "assessment: the input could not be read")]


def _validate_envelope(document: Mapping[Any, Any]) -> list[AnswerError]:
    errors = validate_ceo_answers(document["answers"], root_code="answers")
    if "perspectives" in document:
        perspectives = document["perspectives"]
        if not isinstance(perspectives, list):
            errors.append(
                AnswerError(
                    "perspectives",
                    f"perspectives: expected a list of perspectives, got {got(perspectives)}",
                )
            )
        else:
            limit = THRESHOLDS.perspectives_at_most
            if len(perspectives) > limit:
                errors.append(
                    AnswerError(
                        "perspectives",
                        f"perspectives: expected at most {limit} perspectives, "
                        f"got {len(perspectives):,}",
                    )
                )
            for index, perspective in enumerate(perspectives):
                errors += validate_perspective(perspective, index)
    for key in document:
        if key not in ENVELOPE_KEYS:
            code = str(key)
            shown = code if len(code) <= 80 else code[:77] + "..."
            errors.append(
                AnswerError(
                    code,
                    f'{shown}: unknown key; an envelope holds only "answers" and "perspectives"',
                )
            )
    return errors


# --- Scoring (§3–§7). --------------------------------------------------------------------


def cto_capacity_used(ceo: Mapping[str, Any], perspectives: Sequence[Perspective]) -> int:
    """C: the first CTO perspective's own rating, else the CEO's estimate (§3)."""
    for perspective in perspectives:
        if perspective.role == "cto":
            return perspective.answers["leadership.cto_capacity"]
    return ceo["leadership.cto_capacity"]


def _respondents(
    ceo: Mapping[str, Any], perspectives: Sequence[Perspective]
) -> list[tuple[str, Mapping[str, Any]]]:
    return [("ceo", ceo), *((p.role, p.answers) for p in perspectives)]


def _span(values: list[int]) -> tuple[int, int]:
    return min(values), max(values)


def dimension_scores(
    ceo: Mapping[str, Any], perspectives: Sequence[Perspective]
) -> list[DimensionScore]:
    everyone = [answers for _, answers in _respondents(ceo, perspectives)]
    scores = []
    for key in DIMENSION_KEYS:
        today, needed = dimension_code(key, "today"), dimension_code(key, "needed")
        scores.append(
            DimensionScore(
                key,
                ceo[today],
                ceo[needed],
                ceo[needed] - ceo[today],
                today_range=_span([a[today] for a in everyone]),
                needed_range=_span([a[needed] for a in everyone]),
            )
        )
    return scores


def divergent_dimensions(dimensions: list[DimensionScore], t: Thresholds) -> tuple[str, ...]:
    def spans(low_high: tuple[int, int] | None) -> int:
        return low_high[1] - low_high[0] if low_high else 0

    return tuple(
        d.key
        for d in dimensions
        if spans(d.today_range) >= t.divergent_span_at_least
        or spans(d.needed_range) >= t.divergent_span_at_least
    )


def disputed(ceo: Mapping[str, Any], perspectives: Sequence[Perspective]) -> tuple[str, ...]:
    """``outcomes_owner`` then ``conflict_resolver``, each when some perspective differs."""
    found = []
    for question in ("outcomes_owner", "conflict_resolver"):
        code = f"accountability.{question}"
        if any(p.answers[code] != ceo[code] for p in perspectives):
            found.append(question)
    return tuple(found)


def reporting_line(
    recommendation: str, ai_in_core_product: bool, employees: int, capacity: int, t: Thresholds
) -> str:
    if recommendation not in ("full_time_caio", "fractional_caio"):
        return "none"
    if (
        ai_in_core_product
        or employees >= t.ceo_reporting_employees_at_least
        or capacity >= t.ceo_reporting_capacity_at_least
    ):
        return "ceo"
    return "cto_then_ceo"


def confidence(
    two_seat: int, one_seat: int, flags: list[str], divergent: int, t: Thresholds
) -> tuple[str, str]:
    """Both steps of §5: (after step 1, final)."""
    first = previous.confidence(two_seat, one_seat, flags, t)
    if divergent >= t.confidence_drop_divergent_at_least:
        return first, _LOWER[first]
    return first, first


def score(document: Mapping[str, Any], t: Thresholds = THRESHOLDS) -> Result:
    """Score an assessment that :func:`validate` has accepted."""
    ceo, perspectives = split(document)
    a: Any = ceo
    capacity = cto_capacity_used(ceo, perspectives)
    dimensions = dimension_scores(ceo, perspectives)
    hits = previous.cross_functional_hits(ceo, t)
    shifted = previous.shifted_dimensions(dimensions, t)
    two_seat = previous.two_seat_signals(ceo, capacity=capacity, hits=hits, shifted=shifted, t=t)
    one_seat = previous.one_seat_signals(ceo, cross_functional=two_seat["cross_functional"], t=t)
    disputes = disputed(ceo, perspectives)
    holds = {
        **previous.accountability_flags(ceo, capacity=capacity, t=t),
        "disputed_ownership": "outcomes_owner" in disputes,
        "disputed_resolver": "conflict_resolver" in disputes,
    }
    flags = [flag for flag in FLAGS if holds[flag]]
    t_count, o_count = sum(two_seat.values()), sum(one_seat.values())
    recommendation = previous.recommend(
        t_count,
        o_count,
        flags,
        a["leadership.cto_shipped_production_ai"],
        t,
        fractional_flags=FRACTIONAL_FLAGS,
    )
    divergent = divergent_dimensions(dimensions, t)
    before, level = confidence(t_count, o_count, flags, len(divergent), t)
    overlap = previous.overlap_answers(ceo)
    return Result(
        methodology=VERSION,
        recommendation=recommendation,
        reporting_line=reporting_line(
            recommendation, two_seat["ai_in_core_product"], a["profile.employees"], capacity, t
        ),
        confidence=level,
        two_seat_signals=two_seat,
        one_seat_signals=one_seat,
        flags=flags,
        dimensions=dimensions,
        overlap=overlap,
        overlap_actions=previous.overlap_actions(overlap),
        facts=Facts(
            cto_capacity_used=capacity,
            cross_functional_hits=hits,
            shifted_dimensions=shifted,
            confidence_before_divergence=before,
        ),
        perception=Perception(
            respondents=tuple(
                Respondent(
                    role=role,
                    outcomes_owner=answers["accountability.outcomes_owner"],
                    conflict_resolver=answers["accountability.conflict_resolver"],
                    cto_capacity=answers["leadership.cto_capacity"],
                )
                for role, answers in _respondents(ceo, perspectives)
            ),
            cto_capacity_used=capacity,
            disputed=disputes,
            divergent_dimensions=divergent,
        ),
    )
