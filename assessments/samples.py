"""Example answer sets for the demo data, the benchmarks and the docs.

Three companies that land on different recommendations, so the demo shows the range.
"""

from __future__ import annotations

from assessments.questionnaire import DIMENSION_KEYS, OVERLAP_KEYS


def _dimensions(today: tuple[int, ...], needed: tuple[int, ...]) -> dict[str, int]:
    answers: dict[str, int] = {}
    for key, now, later in zip(DIMENSION_KEYS, today, needed, strict=True):
        answers[f"dimension.{key}.today"] = now
        answers[f"dimension.{key}.needed"] = later
    return answers


def _overlap(*values: str) -> dict[str, str]:
    return {f"overlap.{key}": value for key, value in zip(OVERLAP_KEYS, values, strict=True)}


# A regulated lender where AI is in the product: two seats, the CAIO reporting to the CEO.
REGULATED_LENDER: dict[str, object] = {
    "profile.employees": 2400,
    "profile.products": 4,
    "profile.engineering_headcount": 180,
    "profile.ai_spend_usd": 6_200_000,
    "profile.ai_headcount": 34,
    "profile.ai_use_cases": 9,
    "profile.ai_role": "core",
    "profile.ai_functions": ["sales", "support", "operations", "finance"],
    "profile.regulatory_exposure": "significant",
    "profile.compliance_needs_executive": True,
    "leadership.cto_scope": ["infrastructure", "security", "product_engineering", "it"],
    "leadership.cto_capacity": 5,
    "leadership.cto_shipped_production_ai": "unsure",
    "leadership.ai_leader": "none",
    "leadership.ai_leader_reports_to": "none",
    "accountability.outcomes_owner": "cto",
    "accountability.conflict_resolver": "cto",
    **_dimensions((2, 2, 2, 1, 2, 2, 2), (5, 4, 4, 4, 5, 4, 4)),
    **_overlap("contested", "shared_governance", "undefined", "contested"),
    "context.concerns": (
        "Our regulator has asked who signs off on credit models. The CTO is also running the "
        "core banking migration this year."
    ),
}

# A mid-sized software company: AI is a feature, nobody owns the outcomes.
GROWING_SAAS: dict[str, object] = {
    "profile.employees": 320,
    "profile.products": 2,
    "profile.engineering_headcount": 40,
    "profile.ai_spend_usd": 1_200_000,
    "profile.ai_headcount": 24,
    "profile.ai_use_cases": 4,
    "profile.ai_role": "feature",
    "profile.ai_functions": ["sales", "marketing"],
    "profile.regulatory_exposure": "minimal",
    "profile.compliance_needs_executive": False,
    "leadership.cto_scope": ["infrastructure", "product_engineering"],
    "leadership.cto_capacity": 3,
    "leadership.cto_shipped_production_ai": "no",
    "leadership.ai_leader": "none",
    "leadership.ai_leader_reports_to": "none",
    "accountability.outcomes_owner": "nobody",
    "accountability.conflict_resolver": "ceo",
    **_dimensions((2, 2, 2, 1, 2, 2, 1), (4, 3, 3, 2, 3, 3, 2)),
    **_overlap("contested", "clear_owner", "shared_governance", "undefined"),
    "context.concerns": "The board keeps asking who owns AI.",
}

# A small single-product firm whose CTO has shipped AI before: one seat is enough.
SMALL_STUDIO: dict[str, object] = {
    "profile.employees": 85,
    "profile.products": 1,
    "profile.engineering_headcount": 14,
    "profile.ai_spend_usd": 150_000,
    "profile.ai_headcount": 3,
    "profile.ai_use_cases": 2,
    "profile.ai_role": "internal",
    "profile.ai_functions": ["support"],
    "profile.regulatory_exposure": "minimal",
    "profile.compliance_needs_executive": False,
    "leadership.cto_scope": ["infrastructure", "product_engineering"],
    "leadership.cto_capacity": 2,
    "leadership.cto_shipped_production_ai": "yes",
    "leadership.ai_leader": "none",
    "leadership.ai_leader_reports_to": "none",
    "accountability.outcomes_owner": "cto",
    "accountability.conflict_resolver": "ceo",
    **_dimensions((1, 1, 2, 1, 1, 2, 1), (2, 2, 2, 2, 2, 2, 2)),
    **_overlap("clear_owner", "clear_owner", "shared_governance", "clear_owner"),
    "context.concerns": "",
}

SAMPLES: dict[str, dict[str, object]] = {
    "regulated_lender": REGULATED_LENDER,
    "growing_saas": GROWING_SAAS,
    "small_studio": SMALL_STUDIO,
}


def as_form_input(value: object) -> str | list[str]:
    """The answer as a browser form would post it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)
