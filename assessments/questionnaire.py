"""The CTO–CAIO mandate questionnaires, version 2, as data: the words for every answer code.

Two questionnaires: the CEO's (every code of methodology §1, in six steps) and the shorter
one other leaders answer to give their perspective (the codes of §7, in three steps).
The codes, their kinds and what each allows are the methodology's
(:mod:`assessments.methodology.answers`); this module gives each one its question, help text
and choice labels, and orders them into steps. The browser form, the results page and the
memo appendix read it; none of them restates a label by hand, and a question cannot allow
what the methodology does not (checked as this module loads).

Version 2 added the perspective questionnaire, and shows "who does the AI leader report to?"
only when there is a dedicated AI leader (stored as "none" otherwise: methodology 2026.2 §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from assessments.methodology.answers import (
    CONCERNS_MAX_LENGTH,
    DIMENSION_KEYS,
    FIELDS,
    OVERLAP_KEYS,
    SCALE_MAX,
    SCALE_MIN,
    Field,
    dimension_code,
)

__all__ = ["CONCERNS_MAX_LENGTH", "DIMENSION_KEYS", "OVERLAP_KEYS", "dimension_code"]

QUESTIONNAIRE_VERSION = 2


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ShownWhen:
    """A question asked only when another answer allows it; otherwise it holds ``hidden``."""

    code: str
    values: tuple[str, ...]
    hidden: str

    def shows(self, controlling: object) -> bool:
        return controlling in self.values


@dataclass(frozen=True)
class Question:
    field: Field
    label: str
    help: str
    choices: tuple[Choice, ...] = ()
    # Words for each point of a "scale" question, from 1 to 5.
    scale_labels: tuple[str, ...] = ()
    shown_when: ShownWhen | None = None
    # For a figure: what it is, mid-sentence, so a message can name it ("the number of
    # employees cannot be negative").
    noun: str = ""

    def __post_init__(self) -> None:
        if tuple(c.value for c in self.choices) != self.field.choices:
            raise ValueError(f"{self.code}: the choices must be exactly the methodology's")
        if self.kind in ("integer", "number") and not self.noun:
            raise ValueError(f"{self.code}: a figure needs a noun for its messages")

    @property
    def code(self) -> str:
        return self.field.code

    @property
    def kind(self) -> str:
        return self.field.kind

    @property
    def required(self) -> bool:
        return self.field.required

    @property
    def minimum(self) -> int | None:
        return self.field.minimum

    @property
    def maximum(self) -> int | None:
        return self.field.maximum

    @property
    def max_length(self) -> int | None:
        return self.field.max_length

    @property
    def unit(self) -> str | None:
        """ "usd" marks an amount of money, shown as "$6.2M" rather than a bare number."""
        return self.field.unit

    @property
    def dimension(self) -> str | None:
        """For the dimension questions: the dimension's key, so the form shows both poles."""
        return self.field.dimension

    @property
    def choice_values(self) -> tuple[str, ...]:
        return self.field.choices

    @property
    def offered_choices(self) -> tuple[Choice, ...]:
        """The choices a person picks from: the hidden value is implied, never offered."""
        hidden = self.shown_when.hidden if self.shown_when else None
        return tuple(c for c in self.choices if c.value != hidden)


def _ask(code: str, label: str, help: str, **words: object) -> Question:
    return Question(field=FIELDS[code], label=label, help=help, **words)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    cto_pole: str
    caio_pole: str


@dataclass(frozen=True)
class OverlapArea:
    key: str
    name: str
    help: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]


# --- The seven dimensions (methodology §2), in contract order. ------------------------------

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        key="primary_focus",
        name="Primary focus",
        cto_pole=(
            "Leadership time goes to the technology plan, how the systems are designed, "
            "and getting engineering work delivered."
        ),
        caio_pole=(
            "Leadership time goes to deciding where AI should be used, how it is governed, "
            "and how it is built into the way the whole company works."
        ),
    ),
    Dimension(
        key="orientation",
        name="Orientation",
        cto_pole="The first duty is to keep the company's systems steady, dependable and running.",
        caio_pole="The first duty is to keep putting AI to work in more parts of the company.",
    ),
    Dimension(
        key="data_approach",
        name="Data approach",
        cto_pole=(
            "Data lives in conventional databases and warehouses and moves through "
            "scheduled, well-structured feeds."
        ),
        caio_pole=(
            "Data is prepared for machine learning: feeds built for training and running "
            "models, and stores that let AI look things up by meaning (embeddings, vector "
            "search)."
        ),
    ),
    Dimension(
        key="operations_model",
        name="Operations model",
        cto_pole=(
            "Day-to-day running is about automated build-and-release of software and "
            "keeping systems up."
        ),
        caio_pole=(
            "Day-to-day running is about looking after models for their whole life: "
            "releasing them, spotting when they drift as the data changes, and retraining."
        ),
    ),
    Dimension(
        key="risk_lens",
        name="Risk lens",
        cto_pole="The risks that matter most are breaches, outages and problems with suppliers.",
        caio_pole=(
            "The risks that matter most are models that are wrong or unfair, decisions "
            "nobody can trace, and falling foul of AI rules."
        ),
    ),
    Dimension(
        key="success_metrics",
        name="Success metrics",
        cto_pole="Success is counted in uptime, speed of delivery and cost.",
        caio_pole=(
            "Success is counted in how widely AI is used, whether decisions get better, "
            "and whether business results move."
        ),
    ),
    Dimension(
        key="stakeholder_relationship",
        name="Stakeholder relationship",
        cto_pole="The leader's main partners are the engineering teams and IT operations.",
        caio_pole=(
            "The leader works across the company: product, operations, compliance and "
            "the executive team."
        ),
    ),
)

assert tuple(d.key for d in DIMENSIONS) == DIMENSION_KEYS
DIMENSIONS_BY_KEY: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}

# --- The four overlap areas (methodology §4), in contract order. -----------------------------

OVERLAP_AREAS: tuple[OverlapArea, ...] = (
    OverlapArea(
        key="data_infrastructure",
        name="Data infrastructure quality",
        help="The AI work depends on it; the technology team builds and runs it.",
    ),
    OverlapArea(
        key="cloud_compute",
        name="Cloud and compute allocation",
        help="Who decides how cloud budget and computing capacity are split between AI and "
        "everything else.",
    ),
    OverlapArea(
        key="talent_pipeline",
        name="Technical talent pipeline",
        help="Hiring and growing engineers, data people and AI specialists.",
    ),
    OverlapArea(
        key="ai_security",
        name="Security of AI models and data",
        help="Protecting models, the data they learn from and what they produce.",
    ),
)

assert tuple(a.key for a in OVERLAP_AREAS) == OVERLAP_KEYS

# --- Scale wording. ----------------------------------------------------------------------------

# Where the company sits between the two mandates on one dimension.
SCALE_LABELS: tuple[str, ...] = (
    "Entirely technology-led",
    "Mostly technology-led",
    "Evenly balanced",
    "Mostly AI-led",
    "Entirely AI-led",
)

# How full the CTO's plate is.
CAPACITY_LABELS: tuple[str, ...] = (
    "Plenty of room",
    "Some room",
    "About full",
    "Stretched",
    "Over-subscribed",
)

# --- Choices. --------------------------------------------------------------------------------

AI_ROLE_CHOICES = (
    Choice("internal", "Internal tools only"),
    Choice("feature", "A feature of our product"),
    Choice("core", "A core part of our product"),
)

AI_FUNCTION_CHOICES = (
    Choice("sales", "Sales"),
    Choice("support", "Customer support"),
    Choice("operations", "Operations"),
    Choice("finance", "Finance"),
    Choice("product", "Product"),
    Choice("marketing", "Marketing"),
    Choice("hr", "People and HR"),
    Choice("legal", "Legal"),
)

REGULATORY_CHOICES = (
    Choice("minimal", "Minimal"),
    Choice("moderate", "Moderate"),
    Choice("significant", "Significant"),
)

CTO_SCOPE_CHOICES = (
    Choice("infrastructure", "Cloud infrastructure"),
    Choice("security", "Security"),
    Choice("product_engineering", "Product engineering"),
    Choice("data_platform", "Data platform"),
    Choice("it", "Internal IT"),
)

SHIPPED_AI_CHOICES = (
    Choice("yes", "Yes"),
    Choice("no", "No"),
    Choice("unsure", "Not sure"),
)

AI_LEADER_CHOICES = (
    Choice("none", "No one"),
    Choice("fractional", "A part-time or fractional leader"),
    Choice("full_time", "A full-time leader"),
)

AI_LEADER_REPORTS_TO_CHOICES = (
    Choice("ceo", "The CEO"),
    Choice("cto", "The CTO"),
    Choice("other", "Another executive"),
    Choice("none", "Not applicable: there is no AI leader"),
)

OUTCOMES_OWNER_CHOICES = (
    Choice("nobody", "Nobody, if we are honest"),
    Choice("cto", "The CTO"),
    Choice("ai_leader", "Our AI leader"),
    Choice("product", "The head of product"),
    Choice("business_units", "The heads of the business units"),
    Choice("ceo", "The CEO"),
)

CONFLICT_RESOLVER_CHOICES = (
    Choice("nobody", "Nobody: it is settled case by case, or not at all"),
    Choice("cto", "The CTO"),
    Choice("ceo", "The CEO"),
    Choice("ai_leader", "Our AI leader"),
    Choice("joint_forum", "A standing forum where both sides decide together"),
)

OVERLAP_CHOICES = (
    Choice("clear_owner", "One clear owner"),
    Choice("shared_governance", "Shared, under agreed rules"),
    Choice("contested", "Contested: both sides claim it"),
    Choice("undefined", "Never decided"),
)

# --- Questions, by section. --------------------------------------------------------------------

_PROFILE = (
    _ask(
        code="profile.employees",
        label="How many people does the company employ?",
        help="Everyone on the payroll, full-time equivalent. A close estimate is fine.",
        noun="the number of employees",
    ),
    _ask(
        code="profile.products",
        label="How many distinct products do you sell?",
        help="Count products a customer could buy on their own, not editions of one product.",
        noun="the number of products",
    ),
    _ask(
        code="profile.engineering_headcount",
        label="How many people work in engineering?",
        help="Software, infrastructure and data engineers, including contractors you rely on.",
        noun="the number of people in engineering",
    ),
    _ask(
        code="profile.ai_spend_usd",
        label="What does the company spend on AI in a year, in US dollars?",
        help="People, tools, cloud and vendors for AI work together. Write it as you like: "
        "2,500,000, $2.5M or 750k.",
        noun="the yearly AI spend",
    ),
    _ask(
        code="profile.ai_headcount",
        label="How many people work on AI-related projects?",
        help="Anyone who spends a real share of their time on AI work, in any department.",
        noun="the number of people working on AI",
    ),
    _ask(
        code="profile.ai_use_cases",
        label="How many AI use cases are live or funded?",
        help="Distinct uses of AI that are running in production or have a budget to get there.",
        noun="the number of AI use cases",
    ),
    _ask(
        code="profile.ai_role",
        label="What part does AI play in what you sell?",
        help="Pick the answer that is closest today.",
        choices=AI_ROLE_CHOICES,
    ),
    _ask(
        code="profile.ai_functions",
        label="In which functions must AI be working within the next 12 months?",
        help="Tick every function that applies, or none.",
        choices=AI_FUNCTION_CHOICES,
    ),
    _ask(
        code="profile.regulatory_exposure",
        label="How exposed is the company to laws and regulators that deal with AI?",
        help="Think of AI-specific rules in your markets and sector, not regulation in general.",
        choices=REGULATORY_CHOICES,
    ),
    _ask(
        code="profile.compliance_needs_executive",
        label="Does meeting AI rules need an executive's dedicated attention?",
        help="Answer yes if AI compliance is too big or too risky to be a side duty.",
    ),
)

_LEADERSHIP = (
    _ask(
        code="leadership.cto_scope",
        label="Which areas does the CTO run today?",
        help="Tick every area the CTO is accountable for, or none.",
        choices=CTO_SCOPE_CHOICES,
    ),
    _ask(
        code="leadership.cto_capacity",
        label="How full is the CTO's plate?",
        help="1 means plenty of room for new work; 5 means there is already more work than "
        "the CTO can take on.",
        scale_labels=CAPACITY_LABELS,
    ),
    _ask(
        code="leadership.cto_shipped_production_ai",
        label="Has the CTO personally shipped AI systems that run in production?",
        help="Delivered and operated real AI systems, not trials, demos or courses.",
        choices=SHIPPED_AI_CHOICES,
    ),
    _ask(
        code="leadership.ai_leader",
        label="Is there a dedicated AI leader today?",
        help="Someone whose main job is leading AI across the company.",
        choices=AI_LEADER_CHOICES,
    ),
    _ask(
        code="leadership.ai_leader_reports_to",
        label="Who does the AI leader report to?",
        help="Asked only when there is a dedicated AI leader.",
        choices=AI_LEADER_REPORTS_TO_CHOICES,
        shown_when=ShownWhen(
            code="leadership.ai_leader", values=("fractional", "full_time"), hidden="none"
        ),
    ),
)

_ACCOUNTABILITY = (
    _ask(
        code="accountability.outcomes_owner",
        label="Who is answerable for what AI does for the business?",
        help="Not for building AI, but for the results it should bring: customers kept, margin "
        "gained, deals closed faster.",
        choices=OUTCOMES_OWNER_CHOICES,
    ),
    _ask(
        code="accountability.conflict_resolver",
        label="When AI plans and platform plans compete, who settles it?",
        help="For example over infrastructure cost, engineering time or a compliance review.",
        choices=CONFLICT_RESOLVER_CHOICES,
    ),
)


def _dimension_questions(dimension: Dimension) -> tuple[Question, Question]:
    poles = f"1: {dimension.cto_pole} 5: {dimension.caio_pole}"
    return (
        _ask(
            code=f"dimension.{dimension.key}.today",
            label=f"{dimension.name}: where is the company today?",
            help=poles,
            scale_labels=SCALE_LABELS,
        ),
        _ask(
            code=f"dimension.{dimension.key}.needed",
            label=f"{dimension.name}: where must it be in 24 months?",
            help=poles,
            scale_labels=SCALE_LABELS,
        ),
    )


_DIMENSION_QUESTIONS = tuple(q for d in DIMENSIONS for q in _dimension_questions(d))

_OVERLAP = tuple(
    _ask(
        code=f"overlap.{area.key}",
        label=f"{area.name}: how is it run today?",
        help=area.help,
        choices=OVERLAP_CHOICES,
    )
    for area in OVERLAP_AREAS
)

_CONTEXT = (
    _ask(
        code="context.concerns",
        label="Anything else your advisor should know?",
        help="Optional. Worries, recent events or plans that the questions above miss.",
    ),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        key="profile",
        title="Your company",
        intro="A few facts about size, products and how far AI has got. Estimates are fine.",
        questions=_PROFILE,
    ),
    Section(
        key="leadership",
        title="Technology and AI leadership",
        intro="Who leads technology and AI today, and how much room they have.",
        questions=_LEADERSHIP,
    ),
    Section(
        key="accountability",
        title="Accountability",
        intro="Two questions about who answers for AI results and who breaks ties.",
        questions=_ACCOUNTABILITY,
    ),
    Section(
        key="dimensions",
        title="The seven dimensions",
        intro=(
            "Each dimension runs from 1, where technology leadership sets the agenda, to 5, "
            "where AI leadership does. Place the company where it is today and where it has "
            "to be in 24 months."
        ),
        questions=_DIMENSION_QUESTIONS,
    ),
    Section(
        key="overlap",
        title="Shared ground",
        intro="Four areas both technology and AI leadership depend on. How is each one run?",
        questions=_OVERLAP,
    ),
    Section(
        key="context",
        title="Anything else",
        intro="Add context in your own words if you wish.",
        questions=_CONTEXT,
    ),
)

# --- The perspective questionnaire (methodology 2026.2 §7): the same questions, fewer. ----

_PERSPECTIVE_VIEW = (
    _ask(
        code="leadership.cto_capacity",
        label="How full is the CTO's plate?",
        help="If you are the CTO, rate your own roadmap. 1 means plenty of room for new work; 5 "
        "means there is already more work than the CTO can take on.",
        scale_labels=CAPACITY_LABELS,
    ),
    *_ACCOUNTABILITY,
)

PERSPECTIVE_SECTIONS: tuple[Section, ...] = (
    Section(
        key="view",
        title="The CTO and accountability",
        intro="How much room the CTO has, who answers for AI results and who breaks ties.",
        questions=_PERSPECTIVE_VIEW,
    ),
    Section(
        key="dimensions",
        title="The seven dimensions",
        intro=SECTIONS[3].intro,
        questions=_DIMENSION_QUESTIONS,
    ),
    Section(
        key="overlap",
        title="Shared ground, and anything else",
        intro="Four areas both technology and AI leadership depend on, then room for your own "
        "words.",
        questions=(*_OVERLAP, *_CONTEXT),
    ),
)


@dataclass(frozen=True)
class Questionnaire:
    """One questionnaire: its steps, and its questions by code in the order they are asked."""

    key: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> dict[str, Question]:
        return {q.code: q for s in self.sections for q in s.questions}

    @property
    def step_count(self) -> int:
        """The steps of questions, as the welcome page counts them and the progress bar
        numbers them; the page that checks every answer comes after them, unnumbered."""
        return len(self.sections)

    @property
    def required_codes(self) -> tuple[str, ...]:
        return tuple(code for code, q in self.questions.items() if q.required)

    @property
    def section_of(self) -> dict[str, str]:
        return {q.code: s.key for s in self.sections for q in s.questions}

    def section_index(self, key: str) -> int | None:
        for index, section in enumerate(self.sections):
            if section.key == key:
                return index
        return None

    @property
    def dependents(self) -> dict[str, list[Question]]:
        """For each answer that decides whether other questions are asked, those questions."""
        found: dict[str, list[Question]] = {}
        for question in self.questions.values():
            if question.shown_when is not None:
                found.setdefault(question.shown_when.code, []).append(question)
        return found


CEO_QUESTIONNAIRE = Questionnaire("ceo", SECTIONS)
PERSPECTIVE_QUESTIONNAIRE = Questionnaire("perspective", PERSPECTIVE_SECTIONS)


def questionnaire_for(respondent: str) -> Questionnaire:
    """The CEO answers the whole questionnaire; every other leader the perspective one."""
    return CEO_QUESTIONNAIRE if respondent == "ceo" else PERSPECTIVE_QUESTIONNAIRE


QUESTIONS: dict[str, Question] = CEO_QUESTIONNAIRE.questions
if list(QUESTIONS) != list(FIELDS):
    raise ValueError("the questionnaire must ask every code of the methodology, in its order")
REQUIRED_CODES: tuple[str, ...] = CEO_QUESTIONNAIRE.required_codes
SECTION_OF: dict[str, str] = CEO_QUESTIONNAIRE.section_of

_CHOICE_LABELS: dict[str, dict[str, str]] = {
    code: {c.value: c.label for c in q.choices} for code, q in QUESTIONS.items() if q.choices
}


def mid_sentence(text: str) -> str:
    """A label as it reads inside a sentence: "People and HR" becomes "people and HR", the
    letters of AI, HR and IT staying capitals."""
    first, _, rest = text.partition(" ")
    if len(first) > 1 and first[1:].islower():
        first = first.lower()
    return f"{first} {rest}" if rest else first


def choice_label(code: str, value: object) -> str:
    """The label a person reads for a stored choice; unknown values are shown as given."""
    if isinstance(value, str):
        return _CHOICE_LABELS.get(code, {}).get(value, value)
    return str(value)


# --- Human-readable values. ------------------------------------------------------------------


def _decimal(amount: int | float) -> Decimal:
    # Decimal keeps huge integers exact where float() would overflow.
    return Decimal(amount) if isinstance(amount, int) else Decimal(repr(float(amount)))


def _quantize(value: Decimal, step: str) -> Decimal:
    # Enough precision for any amount: the default 28 digits cannot hold 10**400.
    with localcontext() as context:
        context.prec = max(28, value.adjusted() + 4)
        return value.quantize(Decimal(step), rounding=ROUND_HALF_UP)


def format_usd_exact(amount: int | float) -> str:
    """A dollar amount in full: ``$6,234,567``, with cents only when there are any."""
    value = _decimal(amount)
    if not value.is_finite():
        return f"${amount}"
    sign, value = ("-", -value) if value < 0 else ("", value)
    if value == value.to_integral_value():
        return f"{sign}${int(value):,}"
    cents = _quantize(value, "0.01")
    return f"{sign}${cents:,.2f}"


# Largest unit first; each entry is (size, suffix).
_UNITS = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K"))


def format_usd(amount: int | float) -> str:
    """A dollar amount as a board reads it: ``$6.2M``, ``$750K``, ``$5M``, ``$1.3B``.

    Rounded to one decimal place of its unit, so approximate; use :func:`format_usd_exact`
    where the exact figure matters.
    """
    value = _decimal(amount)
    if not value.is_finite() or abs(value) < 1000:
        return format_usd_exact(amount)
    sign, value = ("-", -value) if value < 0 else ("", value)
    for index, (size, suffix) in enumerate(_UNITS):
        if value < size:
            continue
        scaled = _quantize(value.scaleb(-size.adjusted()), "0.1")
        # 999,960 would round to "1,000K": say "$1M" instead.
        if scaled >= 1000 and index > 0:
            size, suffix = _UNITS[index - 1]
            scaled = _quantize(value.scaleb(-size.adjusted()), "0.1")
        return f"{sign}${scaled:,.1f}".removesuffix(".0") + suffix
    return format_usd_exact(amount)  # pragma: no cover - value >= 1000 always has a unit


def format_count(number: int) -> str:
    return f"{number:,}"


def figure_text(number: int | float) -> str:
    """A figure as a form field shows it back: ``2,500,000``, or ``6,200,000.50`` with cents."""
    return format_usd_exact(number).replace("$", "", 1)


def display_value(code: str, value: object) -> str:
    """An answer in words, for the results page and the memo appendix.

    Money shows as ``$6.2M`` when that is exact and in full otherwise, since the appendix
    records the answers as given.
    """
    question = QUESTIONS.get(code)
    if value is None:
        return "Not answered"
    if question is None:
        return str(value)
    kind = question.kind
    if kind == "boolean" and isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "number" and _is_plain_number(value):
        if question.unit == "usd":
            return usd_as_given(value)  # type: ignore[arg-type]
        return f"{value:,}"
    if kind == "integer" and _is_plain_number(value):
        return f"{value:,}"
    if kind == "scale" and isinstance(value, int) and not isinstance(value, bool):
        labels = question.scale_labels
        if SCALE_MIN <= value <= SCALE_MAX and len(labels) == SCALE_MAX:
            return f"{value} – {labels[value - SCALE_MIN]}"
        return str(value)
    if kind == "choice":
        return choice_label(code, value)
    if kind == "multi" and isinstance(value, list | tuple):
        if not value:
            return "None"
        return ", ".join(choice_label(code, item) for item in value)
    if kind == "text" and isinstance(value, str):
        return value if value.strip() else "Not answered"
    return str(value)


def _is_plain_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def usd_as_given(amount: int | float) -> str:
    """``$6.2M`` when that short form is exact, else the full amount (``$6,234,567``)."""
    compact = format_usd(amount)
    if compact != format_usd_exact(amount) and _parse_compact(compact) != _decimal(amount):
        return format_usd_exact(amount)
    return compact


def _parse_compact(text: str) -> Decimal:
    body = text.replace("$", "").replace(",", "")
    for size, suffix in _UNITS:
        if body.endswith(suffix):
            return Decimal(body[: -len(suffix)]).scaleb(size.adjusted())
    return Decimal(body)
