"""The answers a method reads (methodology §1, §2 and §4): every code, its kind and what it
allows. Pure data, shared by every version: a version may add rules, never change a code.

The questionnaire (``assessments.questionnaire``) puts words to these codes and orders them
into steps; it cannot add a code or change what one allows.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds: "integer" and "scale" are JSON integers (a scale runs 1 to 5), "number" any finite
# number, "choice" one of the choices, "multi" a list of distinct choices (possibly empty),
# "boolean" true or false, "text" a string.


@dataclass(frozen=True)
class Field:
    code: str
    kind: str
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    # "usd": an annual amount in US dollars.
    unit: str | None = None
    # For the fourteen dimension answers: the dimension's key.
    dimension: str | None = None


SCALE_MIN = 1
SCALE_MAX = 5

DIMENSION_KEYS: tuple[str, ...] = (
    "primary_focus",
    "orientation",
    "data_approach",
    "operations_model",
    "risk_lens",
    "success_metrics",
    "stakeholder_relationship",
)
OVERLAP_KEYS: tuple[str, ...] = (
    "data_infrastructure",
    "cloud_compute",
    "talent_pipeline",
    "ai_security",
)
AI_FUNCTIONS: tuple[str, ...] = (
    "sales",
    "support",
    "operations",
    "finance",
    "product",
    "marketing",
    "hr",
    "legal",
)
CTO_SCOPE: tuple[str, ...] = (
    "infrastructure",
    "security",
    "product_engineering",
    "data_platform",
    "it",
)
OUTCOMES_OWNERS: tuple[str, ...] = (
    "nobody",
    "cto",
    "ai_leader",
    "product",
    "business_units",
    "ceo",
)
CONFLICT_RESOLVERS: tuple[str, ...] = ("nobody", "cto", "ceo", "ai_leader", "joint_forum")
OVERLAP_ANSWERS: tuple[str, ...] = ("clear_owner", "shared_governance", "contested", "undefined")
CONCERNS_MAX_LENGTH = 5_000


def dimension_code(key: str, which: str) -> str:
    """The code of a dimension's ``today`` or ``needed`` answer."""
    return f"dimension.{key}.{which}"


def _scale(code: str, dimension: str | None = None) -> Field:
    return Field(code, "scale", minimum=SCALE_MIN, maximum=SCALE_MAX, dimension=dimension)


_FIELDS: tuple[Field, ...] = (
    Field("profile.employees", "integer", minimum=1),
    Field("profile.products", "integer", minimum=0),
    Field("profile.engineering_headcount", "integer", minimum=0),
    Field("profile.ai_spend_usd", "number", minimum=0, unit="usd"),
    Field("profile.ai_headcount", "integer", minimum=0),
    Field("profile.ai_use_cases", "integer", minimum=0),
    Field("profile.ai_role", "choice", choices=("internal", "feature", "core")),
    Field("profile.ai_functions", "multi", choices=AI_FUNCTIONS),
    Field("profile.regulatory_exposure", "choice", choices=("minimal", "moderate", "significant")),
    Field("profile.compliance_needs_executive", "boolean"),
    Field("leadership.cto_scope", "multi", choices=CTO_SCOPE),
    _scale("leadership.cto_capacity"),
    Field("leadership.cto_shipped_production_ai", "choice", choices=("yes", "no", "unsure")),
    Field("leadership.ai_leader", "choice", choices=("none", "fractional", "full_time")),
    Field("leadership.ai_leader_reports_to", "choice", choices=("ceo", "cto", "other", "none")),
    Field("accountability.outcomes_owner", "choice", choices=OUTCOMES_OWNERS),
    Field("accountability.conflict_resolver", "choice", choices=CONFLICT_RESOLVERS),
    *(
        _scale(dimension_code(key, which), dimension=key)
        for key in DIMENSION_KEYS
        for which in ("today", "needed")
    ),
    *(Field(f"overlap.{key}", "choice", choices=OVERLAP_ANSWERS) for key in OVERLAP_KEYS),
    Field("context.concerns", "text", required=False, max_length=CONCERNS_MAX_LENGTH),
)

# Every code of §1, in the order the questionnaire asks them.
FIELDS: dict[str, Field] = {field.code: field for field in _FIELDS}
REQUIRED_CODES: tuple[str, ...] = tuple(code for code, f in FIELDS.items() if f.required)
