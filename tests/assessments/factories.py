"""Sample answers for tests: one valid set to start from, and a Hypothesis strategy.

``valid_answers()`` is a mid-sized company with mixed signals that scores
``fractional_caio`` / ``cto_then_ceo`` / ``medium``; pass overrides by question code through a
dict, or by keyword with dots written as double underscores
(``valid_answers(profile__employees=600)``).
"""

from __future__ import annotations

import copy
from typing import Any

from assessments.questionnaire import DIMENSION_KEYS, OVERLAP_KEYS, QUESTIONS
from assessments.samples import GROWING_SAAS


def _base() -> dict[str, Any]:
    # The demo's mid-sized software company: fractional_caio / cto_then_ceo / medium.
    return copy.deepcopy(GROWING_SAAS)


def valid_answers(overrides: dict[str, Any] | None = None, /, **by_keyword: Any) -> dict[str, Any]:
    """A fresh, valid answers dict with the given answers replaced."""
    answers = _base()
    changes = dict(overrides or {})
    changes.update({name.replace("__", "."): value for name, value in by_keyword.items()})
    for code in changes:
        if code not in QUESTIONS:
            raise KeyError(f"not a question code: {code}")
    answers.update(changes)
    return answers


def neutral_answers(
    overrides: dict[str, Any] | None = None, /, **by_keyword: Any
) -> dict[str, Any]:
    """Valid answers where no signal and no flag holds (T = 0, O = 0) and the CTO has shipped
    production AI; switch signals on with :data:`TWO_SEAT_ON` and :data:`ONE_SEAT_ON`."""
    neutral: dict[str, Any] = {
        "profile.employees": 800,
        "profile.products": 3,
        "profile.engineering_headcount": 60,
        "profile.ai_spend_usd": 1_000_000,
        "profile.ai_headcount": 10,
        "profile.ai_use_cases": 5,
        "profile.ai_role": "feature",
        "profile.ai_functions": ["marketing"],
        "profile.regulatory_exposure": "moderate",
        "profile.compliance_needs_executive": False,
        "leadership.cto_scope": ["infrastructure"],
        "leadership.cto_capacity": 3,
        "leadership.cto_shipped_production_ai": "yes",
        "leadership.ai_leader": "fractional",
        "leadership.ai_leader_reports_to": "cto",
        "accountability.outcomes_owner": "ai_leader",
        "accountability.conflict_resolver": "joint_forum",
        **dimensions(3, 3),
        **{f"overlap.{key}": "clear_owner" for key in OVERLAP_KEYS},
    }
    answers = valid_answers(neutral)
    del answers["context.concerns"]
    changes = dict(overrides or {})
    changes.update({name.replace("__", "."): value for name, value in by_keyword.items()})
    answers.update(changes)
    return answers


def with_signals(
    two_seat: tuple[str, ...] = (), one_seat: tuple[str, ...] = (), **overrides: Any
) -> dict[str, Any]:
    """Neutral answers with exactly the named signals switched on (plus keyword overrides)."""
    changes: dict[str, Any] = {}
    for key in two_seat:
        changes.update(TWO_SEAT_ON[key])
    for key in one_seat:
        changes.update(ONE_SEAT_ON[key])
    changes.update({name.replace("__", "."): value for name, value in overrides.items()})
    return neutral_answers(changes)


def dimensions(today: int, needed: int, shifted: int = 7) -> dict[str, int]:
    """Dimension answers where the first ``shifted`` dimensions go from today to needed and the
    rest stay at today."""
    answers: dict[str, int] = {}
    for index, key in enumerate(DIMENSION_KEYS):
        answers[f"dimension.{key}.today"] = today
        answers[f"dimension.{key}.needed"] = needed if index < shifted else today
    return answers


def answers_strategy():  # -> SearchStrategy[dict[str, Any]]
    """Any valid answers, built from the questionnaire definition itself."""
    from hypothesis import strategies as st

    def for_question(question) -> Any:
        kind = question.kind
        if kind in ("integer", "scale"):
            # Mostly realistic sizes, sometimes huge, always within the declared bounds.
            upper = question.maximum if question.maximum is not None else 10**12
            return st.integers(min_value=question.minimum, max_value=upper)
        if kind == "number":
            return st.one_of(
                st.integers(min_value=0, max_value=10**10),
                st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
                st.sampled_from([4_999_999, 5_000_000, 5_000_001, 5_000_000.5]),
            )
        if kind == "choice":
            return st.sampled_from(question.choice_values)
        if kind == "multi":
            return st.lists(st.sampled_from(question.choice_values), unique=True)
        if kind == "boolean":
            return st.booleans()
        if kind == "text":
            return st.text(max_size=200)
        raise AssertionError(kind)

    required = {code: for_question(q) for code, q in QUESTIONS.items() if q.required}
    optional = {code: for_question(q) for code, q in QUESTIONS.items() if not q.required}
    return st.fixed_dictionaries(required, optional=optional)


# The smallest change to neutral answers that makes each signal hold. Some cannot be combined
# (ai_in_core_product with internal_only; regulation with minimal_regulation).
TWO_SEAT_ON: dict[str, dict[str, Any]] = {
    "ai_spend": {"profile.ai_spend_usd": 6_200_000},
    "ai_headcount": {"profile.ai_headcount": 31},
    "regulation": {"profile.regulatory_exposure": "significant"},
    "cto_stretched": {
        "leadership.cto_scope": ["infrastructure", "security", "product_engineering"],
        "leadership.cto_capacity": 4,
    },
    "ai_in_core_product": {"profile.ai_role": "core"},
    "cross_functional": {"profile.ai_functions": ["sales", "support", "finance"]},
    "mandate_shift": dimensions(2, 4, shifted=4),
}

ONE_SEAT_ON: dict[str, dict[str, Any]] = {
    "few_use_cases": {"profile.ai_use_cases": 2},
    "under_500_employees": {"profile.employees": 320},
    "internal_only": {"profile.ai_role": "internal"},
    "minimal_regulation": {"profile.regulatory_exposure": "minimal"},
    "single_product_small_team": {
        "profile.products": 1,
        "profile.engineering_headcount": 18,
    },
}


# --- Methodology 2026.2: perspectives and envelopes. -------------------------------------------


def perspective(
    role: str = "cto",
    ceo: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    /,
    **by_keyword: Any,
) -> dict[str, Any]:
    """A perspective that agrees with ``ceo`` (neutral answers by default) on every code it
    holds, with the given answers replaced."""
    from assessments.methodology.v2026_2 import PERSPECTIVE_CODES

    base = ceo if ceo is not None else neutral_answers()
    answers = {code: copy.deepcopy(base[code]) for code in PERSPECTIVE_CODES if code in base}
    changes = dict(overrides or {})
    changes.update({name.replace("__", "."): value for name, value in by_keyword.items()})
    answers.update(changes)
    return {"role": role, "answers": answers}


def envelope(ceo: dict[str, Any], *perspectives: dict[str, Any]) -> dict[str, Any]:
    return {"answers": ceo, "perspectives": list(perspectives)}


def consistent(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with 2026.2's consistency rule kept: no AI leader reports to nobody, an AI
    leader reports to someone."""
    leader = answers["leadership.ai_leader"]
    if leader == "none":
        answers["leadership.ai_leader_reports_to"] = "none"
    elif answers["leadership.ai_leader_reports_to"] == "none":
        answers["leadership.ai_leader_reports_to"] = "ceo"
    return answers


def envelope_strategy(max_perspectives: int = 10):  # -> SearchStrategy[dict[str, Any]]
    """Any valid 2026.2 assessment: consistent CEO answers and up to ten perspectives."""
    from hypothesis import strategies as st

    from assessments.methodology.v2026_2 import PERSPECTIVE_CODES, ROLES

    def for_code(code: str) -> Any:
        question = QUESTIONS[code]
        if question.kind == "scale":
            return st.integers(min_value=1, max_value=5)
        if question.kind == "choice":
            return st.sampled_from(question.choice_values)
        return st.text(max_size=50)

    required = {code: for_code(code) for code in PERSPECTIVE_CODES if QUESTIONS[code].required}
    optional = {code: for_code(code) for code in PERSPECTIVE_CODES if not QUESTIONS[code].required}
    one = st.fixed_dictionaries(
        {
            "role": st.sampled_from(ROLES),
            "answers": st.fixed_dictionaries(required, optional=optional),
        }
    )
    return st.builds(
        envelope_from,
        answers_strategy().map(consistent),
        st.lists(one, max_size=max_perspectives),
    )


def envelope_from(ceo: dict[str, Any], perspectives: list[dict[str, Any]]) -> dict[str, Any]:
    return {"answers": ceo, "perspectives": perspectives}
