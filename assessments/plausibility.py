"""Soft checks on answers that are valid but unlikely: 5,000 engineers in a company of 320.

Stated once, as data beside the questionnaire: the step pages show each note beside the
question it concerns, the review page lists them, and the advisor's results page shows them
with whether the respondent confirmed the answers as given. A note never blocks submission.
A respondent who confirms the answers stops seeing the note, until one of the answers it read
changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assessments.questionnaire import (
    CEO_QUESTIONNAIRE,
    DIMENSION_KEYS,
    Questionnaire,
    dimension_code,
    format_count,
    format_usd,
    usd_as_given,
)

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Check:
    key: str
    # What the check is about, for the audit trail and the advisor.
    title: str
    # The answers it reads: it applies to a questionnaire that asks all of them, and only
    # once all are answered.
    codes: tuple[str, ...]
    # The question the note sits beside.
    shown_at: str
    unlikely: Callable[[Answers], bool]
    message: Callable[[Answers], str]

    def applies_to(self, questionnaire: Questionnaire) -> bool:
        asked = questionnaire.questions
        return all(code in asked for code in self.codes)

    def given(self, answers: Answers) -> list[Any]:
        """The answers the check read, in a form that can be stored with a confirmation."""
        return [answers.get(code) for code in self.codes]


def _n(answers: Answers, code: str) -> int:
    return answers[code]


def _people(n: int) -> str:
    return f"{format_count(n)} {'person' if n == 1 else 'people'}"


def _spend(answers: Answers) -> str:
    return usd_as_given(answers["profile.ai_spend_usd"])


_EMPLOYEES = "profile.employees"
_ENGINEERS = "profile.engineering_headcount"
_AI_PEOPLE = "profile.ai_headcount"
_SPEND = "profile.ai_spend_usd"
_AI_LEADER = "leadership.ai_leader"
_OWNER = "accountability.outcomes_owner"
_RESOLVER = "accountability.conflict_resolver"
_DIMENSIONS = tuple(dimension_code(key, w) for key in DIMENSION_KEYS for w in ("today", "needed"))

# An AI budget above this much per employee is more than any company spends.
SPEND_PER_EMPLOYEE_AT_MOST = 1_000_000
# A yearly AI budget under this is more likely thousands or millions typed without the unit.
SPEND_AT_LEAST = 1_000

CHECKS: tuple[Check, ...] = (
    Check(
        key="engineers_above_employees",
        title="More people in engineering than employees",
        codes=(_EMPLOYEES, _ENGINEERS),
        shown_at=_ENGINEERS,
        unlikely=lambda a: _n(a, _ENGINEERS) > _n(a, _EMPLOYEES),
        message=lambda a: (
            f"{_people(_n(a, _ENGINEERS))} in engineering, in a company of "
            f"{format_count(_n(a, _EMPLOYEES))} employees. If contractors make up the "
            "difference, the answer can stand."
        ),
    ),
    Check(
        key="ai_people_above_employees",
        title="More people on AI than employees",
        codes=(_EMPLOYEES, _AI_PEOPLE),
        shown_at=_AI_PEOPLE,
        unlikely=lambda a: _n(a, _AI_PEOPLE) > _n(a, _EMPLOYEES),
        message=lambda a: (
            f"{_people(_n(a, _AI_PEOPLE))} working on AI, in a company of "
            f"{format_count(_n(a, _EMPLOYEES))} employees."
        ),
    ),
    Check(
        key="ai_spend_very_small",
        title="A very small AI spend",
        codes=(_SPEND,),
        shown_at=_SPEND,
        unlikely=lambda a: 0 < a[_SPEND] < SPEND_AT_LEAST,
        message=lambda a: (
            f"{_spend(a)} a year on AI. If you meant {format_usd(a[_SPEND] * 1000)}, write "
            f"{format_usd(a[_SPEND] * 1000)} or {format_count(round(a[_SPEND] * 1000))}."
        ),
    ),
    Check(
        key="ai_spend_above_company",
        title="An AI spend of more than $1M per employee",
        codes=(_EMPLOYEES, _SPEND),
        shown_at=_SPEND,
        unlikely=lambda a: a[_SPEND] > SPEND_PER_EMPLOYEE_AT_MOST * _n(a, _EMPLOYEES),
        message=lambda a: (
            f"{_spend(a)} a year on AI is more than "
            f"{format_usd(SPEND_PER_EMPLOYEE_AT_MOST)} for each of the "
            f"{format_count(_n(a, _EMPLOYEES))} employees."
        ),
    ),
    Check(
        key="people_on_ai_without_spend",
        title="People on AI but no AI spend",
        codes=(_SPEND, _AI_PEOPLE),
        shown_at=_SPEND,
        unlikely=lambda a: a[_SPEND] == 0 and _n(a, _AI_PEOPLE) > 0,
        message=lambda a: (
            f"No spend on AI, while {_people(_n(a, _AI_PEOPLE))} work on it. The spend "
            "includes the cost of their time."
        ),
    ),
    Check(
        key="ai_leader_owns_results_without_ai_leader",
        title="An AI leader answers for results, but there is none",
        codes=(_AI_LEADER, _OWNER),
        shown_at=_OWNER,
        unlikely=lambda a: a[_OWNER] == "ai_leader" and a[_AI_LEADER] == "none",
        message=lambda a: (
            "Our AI leader answers for AI results here, but the leadership step says there "
            "is no dedicated AI leader."
        ),
    ),
    Check(
        key="ai_leader_settles_without_ai_leader",
        title="An AI leader settles conflicts, but there is none",
        codes=(_AI_LEADER, _RESOLVER),
        shown_at=_RESOLVER,
        unlikely=lambda a: a[_RESOLVER] == "ai_leader" and a[_AI_LEADER] == "none",
        message=lambda a: (
            "Our AI leader settles conflicts here, but the leadership step says there is no "
            "dedicated AI leader."
        ),
    ),
    Check(
        key="dimensions_all_alike",
        title="Every dimension at the same point, today and in 24 months",
        codes=_DIMENSIONS,
        shown_at=_DIMENSIONS[0],
        unlikely=lambda a: len({a[code] for code in _DIMENSIONS}) == 1,
        message=lambda a: (
            f"Every dimension is at {a[_DIMENSIONS[0]]}, today and in 24 months, so nothing "
            "would change. If the company has to move on some of them, place those again."
        ),
    ),
)

CHECKS_BY_KEY: dict[str, Check] = {check.key: check for check in CHECKS}


@dataclass(frozen=True)
class Finding:
    check: Check
    message: str
    # The respondent confirmed these very answers as given.
    confirmed: bool

    @property
    def key(self) -> str:
        return self.check.key

    @property
    def code(self) -> str:
        return self.check.shown_at


def findings(
    answers: Answers, questionnaire: Questionnaire, confirmed: Mapping[str, Any]
) -> list[Finding]:
    """Every check that holds for these answers (valid answers only, by code), in the
    questionnaire's order, each marked confirmed when the respondent confirmed exactly these
    answers."""
    order = list(questionnaire.questions)
    found = []
    for check in CHECKS:
        if not check.applies_to(questionnaire):
            continue
        if any(answers.get(code) is None for code in check.codes):
            continue
        if not check.unlikely(answers):
            continue
        found.append(
            Finding(
                check=check,
                message=check.message(answers),
                confirmed=confirmed.get(check.key) == check.given(answers),
            )
        )
    return sorted(found, key=lambda f: order.index(f.check.shown_at))


def open_findings(
    answers: Answers, questionnaire: Questionnaire, confirmed: Mapping[str, Any]
) -> list[Finding]:
    """The notes a respondent still sees: those not confirmed as given."""
    return [f for f in findings(answers, questionnaire, confirmed) if not f.confirmed]


def _validate() -> None:
    for check in CHECKS:
        if check.shown_at not in check.codes:
            raise ValueError(f"{check.key}: the note must sit beside an answer it reads")
        for code in check.codes:
            if code not in CEO_QUESTIONNAIRE.questions:
                raise ValueError(f"{check.key}: {code} is not a question")


_validate()
