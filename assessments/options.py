"""The three structures a board chooses between, and the next steps after each, as data.

One seat (the CTO leads AI too), a fractional Chief AI Officer, a full-time one: what each
means, how soon it can start and how easily it is undone are the same for every client; what
it would fix and leave open is read from what the assessment found (the :class:`Result`).
The results page and the memo both show these, so they always agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from assessments.methodology import Result
from assessments.questionnaire import (
    OVERLAP_AREAS,
    choice_label,
    format_count,
    format_usd,
    mid_sentence,
)

# The method's four outcomes, by the structure the board would put in place.
STRUCTURE_OF: dict[str, str] = {
    "single_seat": "single_seat",
    "single_seat_fluency_gap": "single_seat",
    "fractional_caio": "fractional_caio",
    "full_time_caio": "full_time_caio",
}

# What the assessment can find that calls for a change, in the order the memo lists it.
NEEDS: tuple[str, ...] = (
    "ai_spend",
    "ai_headcount",
    "regulation",
    "cto_stretched",
    "ai_in_core_product",
    "cross_functional",
    "mandate_shift",
    "no_outcome_owner",
    "overloaded_seat",
    "unresolved_conflicts",
    "disputed_ownership",
    "disputed_resolver",
)


@dataclass(frozen=True)
class Structure:
    key: str
    title: str
    means: str
    starts: str
    reversible: str
    # The needs (above) this structure answers; every other need found stays open.
    answers: frozenset[str]


STRUCTURES: tuple[Structure, ...] = (
    Structure(
        key="single_seat",
        title="One seat: the CTO leads AI",
        means=(
            "The CTO keeps technology and takes AI too, with AI's business results written "
            "into the CTO's mandate."
        ),
        starts="At once: a board decision and a revised mandate.",
        reversible="Easily: a second seat can be added at any later review.",
        answers=frozenset({"no_outcome_owner"}),
    ),
    Structure(
        key="fractional_caio",
        title="A fractional Chief AI Officer",
        means=(
            "An experienced AI leader two or three days a week, on a fixed term, owning the AI "
            "plan and its results; the CTO keeps the platform."
        ),
        starts="Within weeks: fractional leaders are hired on short contracts.",
        reversible="Easily: the term ends, or it turns into a full-time seat.",
        answers=frozenset(
            {
                "cto_stretched",
                "cross_functional",
                "mandate_shift",
                "no_outcome_owner",
                "overloaded_seat",
                "disputed_ownership",
            }
        ),
    ),
    Structure(
        key="full_time_caio",
        title="A full-time Chief AI Officer",
        means=(
            "A permanent executive for AI strategy, governance and the business results of AI; "
            "the CTO keeps platform, infrastructure and security."
        ),
        starts="In three to six months: a search, a hire and a handover.",
        reversible="With difficulty: an executive hire is costly to undo.",
        answers=frozenset(
            {
                "ai_spend",
                "ai_headcount",
                "regulation",
                "cto_stretched",
                "ai_in_core_product",
                "cross_functional",
                "mandate_shift",
                "no_outcome_owner",
                "overloaded_seat",
                "disputed_ownership",
            }
        ),
    ),
)
STRUCTURES_BY_KEY: dict[str, Structure] = {s.key: s for s in STRUCTURES}


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _held(result: Result) -> set[str]:
    """Every signal and flag that holds, by key."""
    signals = {**result.two_seat_signals, **result.one_seat_signals}
    return {key for key, holds in signals.items() if holds} | set(result.flags)


def need_phrase(key: str, answers: Mapping[str, Any], result: Result) -> str:
    """What the assessment found, as a short phrase with the client's own figures."""
    a: Any = answers
    if key == "ai_spend":
        return (
            f"{format_usd(a['profile.ai_spend_usd'])} a year of AI spend with no executive over it"
        )
    if key == "ai_headcount":
        return f"{format_count(a['profile.ai_headcount'])} people on AI with no leader of their own"
    if key == "regulation":
        return "AI regulation that expects a named executive"
    if key == "cto_stretched":
        return f"a CTO already at {result.facts.cto_capacity_used} out of 5"
    if key == "ai_in_core_product":
        return "AI at the core of what the company sells"
    if key == "cross_functional":
        named = [
            mid_sentence(choice_label("profile.ai_functions", f))
            for f in result.facts.cross_functional_hits
        ]
        return f"AI that must reach {_join(named)} within a year"
    if key == "mandate_shift":
        return f"a mandate that must move on {len(result.facts.shifted_dimensions)} of 7 dimensions"
    return {
        "no_outcome_owner": "nobody answering for AI results",
        "overloaded_seat": "AI results and tie-breaks resting on one overloaded seat",
        "unresolved_conflicts": "AI-versus-platform conflicts that nobody settles",
        "disputed_ownership": "leaders who disagree on who answers for AI results",
        "disputed_resolver": "leaders who disagree on who settles conflicts",
    }[key]


def _smallness(answers: Mapping[str, Any], result: Result) -> str:
    """Why one seat may be enough, as a phrase ("320 employees and 2 AI use cases")."""
    a: Any = answers
    parts = []
    if result.one_seat_signals.get("under_500_employees"):
        parts.append(f"{format_count(a['profile.employees'])} employees")
    if result.one_seat_signals.get("few_use_cases"):
        n = a["profile.ai_use_cases"]
        parts.append(f"{format_count(n)} AI use case{'' if n == 1 else 's'}")
    if result.one_seat_signals.get("internal_only"):
        parts.append("AI for internal tools only")
    if result.one_seat_signals.get("minimal_regulation"):
        parts.append("little AI regulation")
    if result.one_seat_signals.get("single_product_small_team"):
        parts.append(
            f"one product and {format_count(a['profile.engineering_headcount'])} engineers"
        )
    return _join(parts)


# A side-by-side cell names at most this many findings, then counts the rest.
SHOWN_PER_CELL = 3


@dataclass(frozen=True)
class Option:
    structure: Structure
    fixes: list[str]
    leaves_open: list[str]
    # The method's result, and the one the memo recommends (the advisor's, on a departure).
    method_result: bool
    recommended: bool
    # Whether the assessment found anything at all that calls for a change.
    needs_found: bool

    @property
    def fixes_shown(self) -> list[str]:
        return _shortened(self.fixes)

    @property
    def leaves_open_shown(self) -> list[str]:
        return _shortened(self.leaves_open)


def _shortened(items: list[str]) -> list[str]:
    if len(items) <= SHOWN_PER_CELL:
        return items
    rest = len(items) - (SHOWN_PER_CELL - 1)
    return [*items[: SHOWN_PER_CELL - 1], f"and {rest} more of the findings above"]


def options_for(
    result: Result, answers: Mapping[str, Any], *, recommended: str | None = None
) -> list[Option]:
    """The three structures for this client, side by side. ``recommended`` is the
    recommendation the memo makes when the advisor departs from the method's."""
    held = _held(result)
    needs = [key for key in NEEDS if key in held]
    small = _smallness(answers, result)
    method_pick = STRUCTURE_OF[result.recommendation]
    pick = STRUCTURE_OF[recommended or result.recommendation]
    options = []
    for structure in STRUCTURES:
        fixes = [need_phrase(k, answers, result) for k in needs if k in structure.answers]
        leaves = [need_phrase(k, answers, result) for k in needs if k not in structure.answers]
        if structure.key != "single_seat" and small:
            leaves.append(f"whether a company with {small} needs a second leader yet")
        options.append(
            Option(
                structure=structure,
                fixes=fixes,
                leaves_open=leaves,
                method_result=structure.key == method_pick,
                recommended=structure.key == pick,
                needs_found=bool(needs),
            )
        )
    return options


# --- Next steps. -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    # Days from the board meeting: negative before it, 0 at it, positive after.
    days: int
    text: str


_STEPS: dict[str, tuple[Step, ...]] = {
    "full_time_caio": (
        Step(
            -14,
            "Agree the Chief AI Officer's mandate with the CEO and the CTO: AI strategy, "
            "governance and the business results of AI; the CTO keeps the platform, "
            "infrastructure and security.",
        ),
        Step(-7, "Write the reporting line into the role: the new officer {reporting}."),
        Step(0, "Decide to open the search, with a budget and a date by which the seat is filled."),
        Step(
            30,
            "Name an interim owner of AI results who reports to the board each quarter until "
            "the new officer starts.",
        ),
    ),
    "fractional_caio": (
        Step(
            -14,
            "Draft a written mandate and a fixed term of six to twelve months for a part-time "
            "AI leader who owns the AI plan and its results.",
        ),
        Step(-7, "Settle the reporting line: the fractional leader {reporting}."),
        Step(
            0, "Approve the mandate and its budget, and agree what would make the role full-time."
        ),
        Step(30, "Have the fractional leader in place and their first quarterly goals set."),
    ),
    "single_seat": (
        Step(-14, "Ask the CTO for a short AI plan with a few measures the board can follow."),
        Step(
            0,
            "Confirm in writing that the CTO leads AI, including the business results it should "
            "bring.",
        ),
        Step(
            365,
            "Review the structure, sooner if AI spending, the AI team or AI regulation grows.",
        ),
    ),
    "single_seat_fluency_gap": (
        Step(
            -14,
            "Agree with the CTO how to close the gap in hands-on production AI experience: an "
            "experienced hire in the team, an outside adviser, or a real project.",
        ),
        Step(
            0,
            "Confirm that the CTO leads AI, and choose one AI use case to put into production "
            "this year as the test of the plan.",
        ),
        Step(
            365,
            "Review the structure, sooner if AI spending, the AI team or AI regulation grows.",
        ),
    ),
}

# Steps some findings add, whichever structure the board chooses (each at most once).
_FINDING_STEPS: tuple[tuple[frozenset[str], Step], ...] = (
    (
        frozenset({"disputed_ownership"}),
        Step(
            -21,
            "Bring the CEO and the leaders who answered to one view of who answers for AI "
            "results: today they name different people.",
        ),
    ),
    (
        frozenset({"overloaded_seat"}),
        Step(-7, "Take either AI results or AI tie-breaks off the CTO's desk."),
    ),
    (
        frozenset({"unresolved_conflicts", "disputed_resolver"}),
        Step(
            -7,
            "Decide who settles clashes between the AI plans and the platform plans, and how fast.",
        ),
    ),
)


@dataclass(frozen=True)
class DatedStep:
    when: str
    text: str


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _when(days: int, meeting: date | None) -> str:
    if days == 0:
        return f"At the board meeting, {_day(meeting)}" if meeting else "At the board meeting"
    if meeting is None:
        return "Before the board meets" if days < 0 else "After the board decides"
    return f"By {_day(meeting + timedelta(days=days))}"


def next_steps(
    *,
    recommendation: str,
    reporting_phrase: str,
    result: Result,
    meeting: date | None,
) -> list[DatedStep]:
    """What to do next, each step once, in date order, dated from the board meeting when
    there is one. ``recommendation`` is the one the memo makes (the advisor's, on a
    departure)."""
    held = set(result.flags)
    steps = [
        Step(step.days, step.text.format(reporting=reporting_phrase))
        for step in _STEPS[recommendation]
    ]
    second_seat = recommendation in ("full_time_caio", "fractional_caio")
    for findings, step in _FINDING_STEPS:
        if not held & findings:
            continue
        if "overloaded_seat" in findings and second_seat:
            continue  # a second seat takes AI off the CTO's desk already
        steps.append(step)
    if result.overlap_actions:
        names = [mid_sentence(a.name) for a in OVERLAP_AREAS if a.key in result.overlap_actions]
        steps.append(Step(-7, f"Put shared governance in place for {_join(names)}."))
    steps.sort(key=lambda s: s.days)
    return [DatedStep(when=_when(s.days, meeting), text=s.text) for s in steps]
