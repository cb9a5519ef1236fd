"""Where the client's leaders see it differently, in words (methodology 2026.2 §7).

Read from the result's ``perception`` (what the method decided: the CTO capacity it used,
the disputed questions, the divergent dimensions) and the perspectives' own answers in the
assessment document (who said what). Leaders are named by role, never by name: the memo
attributes perspectives that way, and so does the results page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessments.methodology import Result, method_for
from assessments.methodology.answers import dimension_code
from assessments.methodology.result import Respondent
from assessments.questionnaire import (
    CAPACITY_LABELS,
    DIMENSIONS_BY_KEY,
    OVERLAP_AREAS,
    Dimension,
    OverlapArea,
    choice_label,
    mid_sentence,
)

# A role that answered once, mid-sentence; and the word for one of several.
_ONE = {
    "ceo": "the CEO",
    "cto": "the CTO",
    "cfo": "the CFO",
    "coo": "the COO",
    "product": "the head of product",
    "board": "a board member",
    "other": "another leader",
}
_SEVERAL = {
    "ceo": "CEO",
    "cto": "CTO",
    "cfo": "CFO",
    "coo": "COO",
    "product": "head of product",
    "board": "board member",
    "other": "other leader",
}
# Roles that are a seat of their own: "the CTO names themselves".
_SEATS = frozenset({"ceo", "cto", "cfo", "coo", "product"})


def role_names(roles: Sequence[str]) -> list[str]:
    """Each respondent named by role, mid-sentence; numbered where a role answers twice."""
    repeated = {role for role, count in Counter(roles).items() if count > 1}
    seen: Counter[str] = Counter()
    names = []
    for role in roles:
        seen[role] += 1
        names.append(f"{_SEVERAL[role]} {seen[role]}" if role in repeated else _ONE[role])
    return names


# How a respondent's answer names someone, mid-sentence.
OWNER_NAMED: dict[str, str] = {
    "nobody": "nobody",
    "cto": "the CTO",
    "ai_leader": "the AI leader",
    "product": "the head of product",
    "business_units": "the heads of the business units",
    "ceo": "the CEO",
}
RESOLVER_NAMED: dict[str, str] = {
    "nobody": "nobody",
    "cto": "the CTO",
    "ceo": "the CEO",
    "ai_leader": "the AI leader",
    "joint_forum": "a joint forum of both sides",
}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Leader:
    """One respondent, as the memo names them."""

    role: str
    # Mid-sentence: "the CTO", "board member 2".
    name: str
    answers: Mapping[str, Any]

    @property
    def title(self) -> str:
        return _sentence(self.name)


def leaders(document: Mapping[str, Any]) -> list[Leader]:
    """The CEO, then each perspective in input order, named by role."""
    if "answers" in document:
        ceo, perspectives = document["answers"], document.get("perspectives", [])
    else:
        ceo, perspectives = document, []
    roles = ["ceo", *(p["role"] for p in perspectives)]
    answers = [ceo, *(p["answers"] for p in perspectives)]
    return [
        Leader(role=role, name=name, answers=given)
        for role, name, given in zip(roles, role_names(roles), answers, strict=True)
    ]


def _names(role: str, name: str, value: str, named: Mapping[str, str]) -> str:
    # "the CTO names themselves" reads better than "the CTO names the CTO".
    if value == role and role in _SEATS:
        return f"{name} names themselves"
    return f"{name} names {named[value]}"


def ownership_sentence(respondents: Sequence[Respondent]) -> str:
    """Who each leader says answers for AI results: the disputed-ownership finding."""
    if len(respondents) == 1:
        return "No other leader has given a perspective on who answers for AI results yet."
    values = {r.outcomes_owner for r in respondents}
    if len(values) == 1:
        return (
            f"Every leader who answered names {OWNER_NAMED[values.pop()]} as answerable for "
            "the results AI should bring."
        )
    names = role_names([r.role for r in respondents])
    return _sentence(
        "the leaders do not agree who answers for the results AI should bring: "
        + "; ".join(
            _names(r.role, name, r.outcomes_owner, OWNER_NAMED)
            for r, name in zip(respondents, names, strict=True)
        )
        + "."
    )


def resolver_sentence(respondents: Sequence[Respondent]) -> str:
    """Who each leader says settles conflicts: the disputed-resolver finding."""
    if len(respondents) == 1:
        return (
            "No other leader has given a perspective on who settles AI-versus-platform "
            "conflicts yet."
        )
    values = {r.conflict_resolver for r in respondents}
    if len(values) == 1:
        return (
            f"Every leader who answered says {RESOLVER_NAMED[values.pop()]} settles conflicts "
            "between the AI plans and the platform plans."
        )
    names = role_names([r.role for r in respondents])
    return _sentence(
        "the leaders do not agree who settles conflicts between the AI plans and the platform "
        "plans: "
        + "; ".join(
            _names(r.role, name, r.conflict_resolver, RESOLVER_NAMED)
            for r, name in zip(respondents, names, strict=True)
        )
        + "."
    )


@dataclass(frozen=True)
class Spread:
    dimension: Dimension
    # (leader, today, needed) for every respondent.
    answers: list[tuple[Leader, int, int]]
    today_range: tuple[int, int]
    needed_range: tuple[int, int]
    divergent: bool


@dataclass(frozen=True)
class OverlapDifference:
    area: OverlapArea
    answers: list[tuple[Leader, str]]


@dataclass(frozen=True)
class PerceptionInWords:
    leaders: list[Leader]
    # (leader, outcomes owner label, conflict resolver label, capacity) for each respondent.
    accountability: list[tuple[Leader, str, str, int]]
    ownership: str
    resolver: str
    capacity: str
    spreads: list[Spread]
    divergence: str
    overlap_differences: list[OverlapDifference]

    @property
    def has_perspectives(self) -> bool:
        return len(self.leaders) > 1

    @property
    def divergent(self) -> list[Spread]:
        return [s for s in self.spreads if s.divergent]


def _capacity_sentence(result: Result, people: list[Leader]) -> str:
    code = "leadership.cto_capacity"
    ceo = people[0].answers[code]
    used = result.facts.cto_capacity_used
    ctos = [p for p in people[1:] if p.role == "cto"]
    if not ctos:
        return (
            f"No CTO has given a perspective, so the method uses the CEO's estimate of the "
            f"CTO's load: {ceo} out of 5 ({CAPACITY_LABELS[ceo - 1].lower()})."
        )
    own = ctos[0].answers[code]
    if own == ceo:
        return (
            f"The CTO rates their own load {own} out of 5 ({CAPACITY_LABELS[own - 1].lower()}), "
            "as the CEO does; the method uses the CTO's own rating."
        )
    return (
        f"The CTO rates their own load {own} out of 5 ({CAPACITY_LABELS[own - 1].lower()}); "
        f"the CEO estimated {ceo}. The method uses the CTO's own rating, {used}."
    )


def _divergence_sentence(result: Result, spreads: list[Spread], t: Any) -> str:
    divergent = [mid_sentence(s.dimension.name) for s in spreads if s.divergent]
    span = t.divergent_span_at_least
    mark = t.confidence_drop_divergent_at_least
    before = result.facts.confidence_before_divergence
    if not divergent:
        return (
            f"On every dimension the leaders' answers are less than {span} points apart, so "
            "the confidence stands."
        )
    counted = f"{len(divergent)} of the 7 dimension{'s' if len(divergent) != 1 else ''}"
    where = f"{counted} ({_join(divergent)})"
    if before != result.confidence:
        return (
            f"The leaders' answers are {span} or more points apart on {where}, so the "
            f"confidence drops from {before} to {result.confidence}."
        )
    if len(divergent) >= mark:
        return (
            f"The leaders' answers are {span} or more points apart on {where}; the confidence "
            "was already low and stays low."
        )
    return (
        f"The leaders' answers are {span} or more points apart on {where}; it takes {mark} "
        "such dimensions to lower the confidence."
    )


def _label(leader: Leader, code: str) -> str:
    return choice_label(code, leader.answers[code])


def perception_in_words(result: Result, document: Mapping[str, Any]) -> PerceptionInWords | None:
    """Where the leaders see it differently; None for a version without perspectives."""
    if result.perception is None:
        return None
    t = method_for(result.methodology).thresholds
    people = leaders(document)
    divergent = set(result.perception.divergent_dimensions)
    spreads = []
    for d in result.dimensions:
        today, needed = dimension_code(d.key, "today"), dimension_code(d.key, "needed")
        spreads.append(
            Spread(
                dimension=DIMENSIONS_BY_KEY[d.key],
                answers=[(p, p.answers[today], p.answers[needed]) for p in people],
                today_range=d.today_range or (d.today, d.today),
                needed_range=d.needed_range or (d.needed, d.needed),
                divergent=d.key in divergent,
            )
        )
    differences = []
    for area in OVERLAP_AREAS:
        code = f"overlap.{area.key}"
        given = [(p, p.answers[code]) for p in people]
        if len({value for _, value in given}) > 1:
            differences.append(
                OverlapDifference(
                    area=area, answers=[(p, choice_label(code, value)) for p, value in given]
                )
            )
    return PerceptionInWords(
        leaders=people,
        accountability=[
            (
                p,
                choice_label(
                    "accountability.outcomes_owner", p.answers["accountability.outcomes_owner"]
                ),
                choice_label(
                    "accountability.conflict_resolver",
                    p.answers["accountability.conflict_resolver"],
                ),
                p.answers["leadership.cto_capacity"],
            )
            for p in people
        ],
        ownership=ownership_sentence(result.perception.respondents),
        resolver=resolver_sentence(result.perception.respondents),
        capacity=_capacity_sentence(result, people),
        spreads=spreads,
        divergence=_divergence_sentence(result, spreads, t),
        overlap_differences=differences,
    )
