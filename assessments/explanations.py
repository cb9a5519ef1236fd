"""The sentences that explain a result, written once for the results page and the memo.

Each sign the method reads (its signals and flags) gets one plain sentence that puts the
client's figure next to the line the method draws, whether or not it holds, in board language.
Whether it holds, and what the method counted on the way (the CTO capacity it used, the
functions and dimensions that counted), is read from the :class:`Result`; the lines come from
the thresholds of the result's own version. Nothing here decides a rule again or restates a
number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assessments.methodology import Result, method_for
from assessments.perspectives import ownership_sentence, resolver_sentence
from assessments.questionnaire import (
    DIMENSIONS_BY_KEY,
    QUESTIONS,
    choice_label,
    format_count,
    format_usd,
    format_usd_exact,
    mid_sentence,
)

RECOMMENDATION_LABELS: dict[str, str] = {
    "full_time_caio": "A full-time Chief AI Officer",
    "fractional_caio": "A fractional Chief AI Officer",
    "single_seat": "One seat: the CTO leads AI too",
    "single_seat_fluency_gap": "One seat, once the CTO's AI experience gap is closed",
}

REPORTING_LINE_LABELS: dict[str, str] = {
    "ceo": "Reports to the CEO",
    "cto_then_ceo": "Reports to the CTO at first, then to the CEO",
    "none": "No separate AI seat",
}

CONFIDENCE_LABELS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}

SIGNAL_TITLES: dict[str, str] = {
    "ai_spend": "AI spend",
    "ai_headcount": "People working on AI",
    "regulation": "AI regulation",
    "cto_stretched": "CTO already stretched",
    "ai_in_core_product": "AI at the core of the product",
    "cross_functional": "AI across the business",
    "mandate_shift": "Shift in mandate",
    "few_use_cases": "Few AI use cases",
    "under_500_employees": "Fewer than 500 employees",
    "internal_only": "AI for internal use only",
    "minimal_regulation": "Little AI regulation",
    "single_product_small_team": "One product, small engineering team",
}

FLAG_TITLES: dict[str, str] = {
    "no_outcome_owner": "Nobody owns AI outcomes",
    "overloaded_seat": "One overloaded seat",
    "unresolved_conflicts": "Roadmap conflicts left unresolved",
    "disputed_ownership": "Leaders disagree who owns AI outcomes",
    "disputed_resolver": "Leaders disagree who settles conflicts",
}


@dataclass(frozen=True)
class Reason:
    key: str
    title: str
    fired: bool
    sentence: str


@dataclass(frozen=True)
class Explanation:
    two_seat: list[Reason]
    one_seat: list[Reason]
    flags: list[Reason]

    @property
    def fired_two_seat(self) -> list[Reason]:
        return [r for r in self.two_seat if r.fired]

    @property
    def fired_one_seat(self) -> list[Reason]:
        return [r for r in self.one_seat if r.fired]

    @property
    def fired_flags(self) -> list[Reason]:
        return [r for r in self.flags if r.fired]


# --- Small wording helpers. ------------------------------------------------------------------


def _people(n: int) -> str:
    return f"{format_count(n)} {'person' if n == 1 else 'people'}"


def _join(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _usd_against(amount: int | float, line: int) -> str:
    """The amount in short form, or in full when the short form would look equal to the line."""
    short = format_usd(amount)
    if short == format_usd(line) and amount != line:
        return format_usd_exact(amount)
    return short


def _labels(code: str, values: list[str] | tuple[str, ...]) -> list[str]:
    return [mid_sentence(choice_label(code, v)) for v in values]


def _regulation_words(a: Any) -> str:
    return choice_label("profile.regulatory_exposure", a["profile.regulatory_exposure"]).lower()


# --- Signs that point to a separate AI seat. ---------------------------------------------
#
# Each sentence states the client's figure, and the line the method draws, in words a
# director reads without the method at hand: never "mark", "signal" or "flag".


def _ai_spend(a: Any, r: Result, t: Any) -> str:
    spend = a["profile.ai_spend_usd"]
    line = format_usd(t.ai_spend_usd_above)
    shown = _usd_against(spend, t.ai_spend_usd_above)
    if r.two_seat_signals["ai_spend"]:
        return (
            f"The company spends {shown} a year on AI; above {line}, that budget needs an "
            "executive who answers for it."
        )
    if spend == t.ai_spend_usd_above:
        return f"The company spends exactly {shown} a year on AI; only above {line} does it count."
    return (
        f"The company spends {shown} a year on AI, under the {line} at which AI needs an "
        "executive of its own."
    )


def _ai_headcount(a: Any, r: Result, t: Any) -> str:
    n = a["profile.ai_headcount"]
    line = format_count(t.ai_headcount_above)
    verb = "works" if n == 1 else "work"
    if r.two_seat_signals["ai_headcount"]:
        return (
            f"{_people(n)} {verb} on AI; above {line}, one leader cannot run that team and the "
            "platform at once."
        )
    if n == t.ai_headcount_above:
        return f"{_people(n)} {verb} on AI, exactly {line}; it takes more than {line} to count."
    return f"{_people(n)} {verb} on AI, no more than {line}: a team one leader can still run."


def _regulation(a: Any, r: Result, t: Any) -> str:
    level = _regulation_words(a)
    significant = a["profile.regulatory_exposure"] == "significant"
    needs_exec = a["profile.compliance_needs_executive"] is True
    if significant and needs_exec:
        return (
            "Exposure to AI-specific law is significant and AI compliance needs an executive's "
            "dedicated attention: a regulator will expect a named executive."
        )
    if significant:
        return (
            "Exposure to AI-specific law is significant: a regulator will expect a named "
            "executive for AI."
        )
    if needs_exec:
        return (
            f"Exposure to AI-specific law is {level}, but AI compliance still needs an "
            "executive's dedicated attention."
        )
    return (
        f"Exposure to AI-specific law is {level}, and AI compliance does not need an "
        "executive of its own."
    )


def _cto_stretched(a: Any, r: Result, t: Any) -> str:
    scope = set(a["leadership.cto_scope"])
    capacity = r.facts.cto_capacity_used
    line = t.stretched_cto_capacity_at_least
    areas = _join(_labels("leadership.cto_scope", t.stretched_cto_scope))
    missing = [area for area in t.stretched_cto_scope if area not in scope]
    load = f"a load of {capacity} out of 5"
    if r.two_seat_signals["cto_stretched"]:
        return (
            f"The CTO already runs {areas}, with {load}; from {line}, there is no room left "
            "to lead AI as well."
        )
    if missing:
        running = [area for area in t.stretched_cto_scope if area in scope]
        if not running:
            return f"The CTO runs none of {areas} ({load}), so has room to lead AI as well."
        return (
            f"The CTO runs {_join(_labels('leadership.cto_scope', running))} but not "
            f"{_join(_labels('leadership.cto_scope', missing))} ({load}): short of running "
            f"{areas} all at once."
        )
    return (
        f"The CTO runs {areas} with {load}, under the {line} at which there is no room left for AI."
    )


def _ai_in_core_product(a: Any, r: Result, t: Any) -> str:
    role = a["profile.ai_role"]
    if role == "core":
        return (
            "AI is a core part of what the company sells, so where it goes is a product and "
            "strategy question, not only an engineering one."
        )
    if role == "feature":
        return "AI is one feature of the product rather than its core."
    return "AI serves internal tools only; it is not part of what the company sells."


def _cross_functional(a: Any, r: Result, t: Any) -> str:
    hits = r.facts.cross_functional_hits
    need = t.cross_functional_at_least
    total = len(t.cross_functional_areas)
    key_functions = _join(_labels("profile.ai_functions", t.cross_functional_areas))
    if not hits:
        return (
            f"AI does not have to reach any of {key_functions} within a year; it takes {need} "
            f"of these {total} to make AI a company-wide job."
        )
    named = _join(_labels("profile.ai_functions", hits))
    if r.two_seat_signals["cross_functional"]:
        return (
            f"AI must reach {named} within a year: {len(hits)} of the {total} core functions, "
            f"and from {need} it is a company-wide job."
        )
    return (
        f"AI must reach {named} within a year: {len(hits)} of the {total} core functions, "
        f"fewer than the {need} that make it a company-wide job."
    )


def _mandate_shift(a: Any, r: Result, t: Any) -> str:
    gap = t.mandate_shift_gap_at_least
    need = t.mandate_shift_dimensions_at_least
    shifted = [mid_sentence(DIMENSIONS_BY_KEY[key].name) for key in r.facts.shifted_dimensions]
    count = len(shifted)
    if count == 0:
        return (
            f"No dimension has to move {gap} or more points towards AI leadership within 24 "
            "months: the mandate can stay as it is."
        )
    moves = (
        f"{count} of the 7 dimensions must move {gap} or more points towards AI leadership "
        f"within 24 months ({_join(shifted)})"
    )
    if r.two_seat_signals["mandate_shift"]:
        return f"{_sentence_start(moves)}: a change of mandate, not of tooling."
    return f"{_sentence_start(moves)}; it takes {need} to call for a new mandate."


# --- Signs that point to one seat. ----------------------------------------------------------


def _few_use_cases(a: Any, r: Result, t: Any) -> str:
    n = a["profile.ai_use_cases"]
    most = t.few_use_cases_at_most
    cases = f"{format_count(n)} AI use {'case is' if n == 1 else 'cases are'} live or funded"
    if r.one_seat_signals["few_use_cases"]:
        return f"Only {cases}; up to {most}, one leader can carry them beside the platform."
    return f"{_sentence_start(cases)}, more than the {most} one leader carries beside the platform."


def _under_500_employees(a: Any, r: Result, t: Any) -> str:
    n = a["profile.employees"]
    line = format_count(t.small_company_employees_under)
    if r.one_seat_signals["under_500_employees"]:
        return (
            f"With {format_count(n)} employees the company is under {line}, where a separate AI "
            "executive is usually more than it needs."
        )
    return (
        f"With {format_count(n)} employees the company is larger than a small firm (under "
        f"{line}), where one seat usually suffices."
    )


def _internal_only(a: Any, r: Result, t: Any) -> str:
    role = a["profile.ai_role"]
    if r.one_seat_signals["internal_only"]:
        return "AI serves internal tools only and is not part of what the company sells."
    where = "at the core of" if role == "core" else "one feature of"
    return f"AI is part of what the company sells: it is {where} the product."


def _minimal_regulation(a: Any, r: Result, t: Any) -> str:
    level = _regulation_words(a)
    if r.one_seat_signals["minimal_regulation"]:
        return "AI-specific law barely applies, and AI compliance needs no executive of its own."
    if level == "minimal":
        return (
            "AI-specific law barely applies, yet AI compliance needs an executive's dedicated "
            "attention."
        )
    return f"Exposure to AI-specific law is {level}, not minimal."


def _single_product_small_team(a: Any, r: Result, t: Any) -> str:
    products = a["profile.products"]
    engineers = a["profile.engineering_headcount"]
    team_line = t.small_engineering_team_under
    product_words = f"{format_count(products)} product{'' if products == 1 else 's'}"
    team_words = f"{format_count(engineers)} engineer{'' if engineers == 1 else 's'}"
    if r.one_seat_signals["single_product_small_team"]:
        return (
            f"{_sentence_start(product_words)} and {team_words} (under {team_line}), with AI "
            "neither core nor spreading across the business: one leader can hold both sides."
        )
    reasons = []
    if products > t.single_product_at_most:
        reasons.append(product_words)
    if engineers >= team_line:
        reasons.append(f"{team_words} ({format_count(team_line)} or more)")
    if a["profile.ai_role"] == "core":
        reasons.append("AI at the core of the product")
    if r.two_seat_signals["cross_functional"]:
        reasons.append("AI spreading across the business")
    return f"More than a small single-product company: {_join(reasons)}."


# --- How AI is run today (the two accountability questions). --------------------------------


def _no_outcome_owner(a: Any, r: Result, t: Any) -> str:
    owner = a["accountability.outcomes_owner"]
    if "no_outcome_owner" in r.flags:
        return "Nobody answers for the business results AI should bring."
    who = choice_label("accountability.outcomes_owner", owner)
    return f"{_sentence_start(who)} answers for the business results AI should bring."


def _overloaded_seat(a: Any, r: Result, t: Any) -> str:
    owner = a["accountability.outcomes_owner"]
    resolver = a["accountability.conflict_resolver"]
    capacity = r.facts.cto_capacity_used
    if "overloaded_seat" in r.flags:
        return (
            "The CTO both answers for AI results and settles AI-versus-platform conflicts, "
            f"with a load of {capacity} out of 5: one seat holds everything and has no room."
        )
    if owner == "cto" and resolver == "cto":
        return (
            "The CTO both answers for AI results and settles AI-versus-platform conflicts, "
            f"but with a load of {capacity} out of 5 still has room."
        )
    return "AI results and AI-versus-platform conflicts do not both rest with the CTO."


def _unresolved_conflicts(a: Any, r: Result, t: Any) -> str:
    resolver = a["accountability.conflict_resolver"]
    if "unresolved_conflicts" in r.flags:
        return "Nobody settles conflicts between the AI plans and the platform plans."
    who = choice_label("accountability.conflict_resolver", resolver)
    return (
        f"Conflicts between the AI plans and the platform plans are settled by "
        f"{_lower_article(who)}."
    )


def _disputed_ownership(a: Any, r: Result, t: Any) -> str:
    return ownership_sentence(r.perception.respondents if r.perception else ())


def _disputed_resolver(a: Any, r: Result, t: Any) -> str:
    return resolver_sentence(r.perception.respondents if r.perception else ())


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_article(text: str) -> str:
    # "The CEO" reads as "the CEO" mid-sentence; "A standing forum" as "a standing forum".
    for article in ("The ", "A ", "Our "):
        if text.startswith(article):
            return article.lower() + text[len(article) :]
    return text


Sentence = Callable[[Any, Result, Any], str]

_SIGNAL_SENTENCES: dict[str, Sentence] = {
    "ai_spend": _ai_spend,
    "ai_headcount": _ai_headcount,
    "regulation": _regulation,
    "cto_stretched": _cto_stretched,
    "ai_in_core_product": _ai_in_core_product,
    "cross_functional": _cross_functional,
    "mandate_shift": _mandate_shift,
    "few_use_cases": _few_use_cases,
    "under_500_employees": _under_500_employees,
    "internal_only": _internal_only,
    "minimal_regulation": _minimal_regulation,
    "single_product_small_team": _single_product_small_team,
}

_FLAG_SENTENCES: dict[str, Sentence] = {
    "no_outcome_owner": _no_outcome_owner,
    "overloaded_seat": _overloaded_seat,
    "unresolved_conflicts": _unresolved_conflicts,
    "disputed_ownership": _disputed_ownership,
    "disputed_resolver": _disputed_resolver,
}


def explain(
    result: Result, answers: Mapping[str, object], *, thresholds: Any = None
) -> Explanation:
    """Every signal and flag, fired or not, in the order of the result's version, with its
    sentence. ``answers`` are the CEO's; ``thresholds`` default to the version's own."""
    method = method_for(result.methodology)
    t = thresholds or method.thresholds
    a: Any = answers
    return Explanation(
        two_seat=[
            Reason(
                k, SIGNAL_TITLES[k], result.two_seat_signals[k], _SIGNAL_SENTENCES[k](a, result, t)
            )
            for k in method.two_seat_signals
        ],
        one_seat=[
            Reason(
                k, SIGNAL_TITLES[k], result.one_seat_signals[k], _SIGNAL_SENTENCES[k](a, result, t)
            )
            for k in method.one_seat_signals
        ],
        flags=[
            Reason(f, FLAG_TITLES[f], f in result.flags, _FLAG_SENTENCES[f](a, result, t))
            for f in method.flags
        ],
    )


# --- The recommendation in one sentence. -----------------------------------------------------

_STRUCTURE_PHRASES: dict[str, str] = {
    "full_time_caio": "appoints a full-time Chief AI Officer",
    "fractional_caio": "brings in a fractional Chief AI Officer",
    "single_seat": "keeps AI leadership with the CTO, who has shipped AI systems in production",
    "single_seat_fluency_gap": (
        "keeps AI leadership in one seat with the CTO and closes the gap in hands-on "
        "production AI experience"
    ),
}

_REPORTING_PHRASES: dict[str, str] = {
    "ceo": " reporting directly to the CEO",
    "cto_then_ceo": " reporting to the CTO at first and to the CEO once AI becomes strategic",
    "none": "",
}


def structure_phrase(recommendation: str, reporting_line: str) -> str:
    """The structure and its reporting line mid-sentence: "appoints a full-time Chief AI
    Officer reporting directly to the CEO"."""
    return _STRUCTURE_PHRASES[recommendation] + _REPORTING_PHRASES[reporting_line]


def decision_sentence(
    client_name: str, recommendation: str, reporting_line: str, confidence: str | None = None
) -> str:
    """The decision the board is asked to take, in one sentence a director reads alone."""
    sentence = (
        f"The board is asked to agree that {client_name} "
        f"{structure_phrase(recommendation, reporting_line)}"
    )
    if confidence is None:
        return sentence + "."
    return sentence + f", a recommendation the method makes with {confidence} confidence."


def recommendation_sentence(result: Result, client_name: str) -> str:
    """The method's recommendation, reporting line and confidence as the board's decision."""
    return decision_sentence(
        client_name, result.recommendation, result.reporting_line, result.confidence
    )


# --- What the two accountability answers mean. -----------------------------------------------


@dataclass(frozen=True)
class AccountabilityNote:
    code: str
    question: str
    answer: str
    meaning: str


_OUTCOME_MEANINGS: dict[str, str] = {
    "nobody": (
        "An empty seat: nobody is measured on what AI brings the business, so AI priorities "
        "go to whoever argues loudest."
    ),
    "cto": (
        "The CTO holds it alongside the platform. Business results from AI compete with "
        "reliability, security and hiring for the same attention, and usually lose."
    ),
    "ai_leader": (
        "A dedicated AI leader answers for the results, which is what the second seat is for."
    ),
    "product": (
        "Product owns the results. That works while AI stays inside the product; it strains once "
        "AI must reach sales, operations or finance as well."
    ),
    "business_units": (
        "Each business unit owns its own results. Good for adoption, but nobody sees the whole "
        "picture or sets priorities across units."
    ),
    "ceo": (
        "The CEO owns the results. Clear, but it adds one more duty to the busiest seat in the "
        "company."
    ),
}

_CONFLICT_MEANINGS: dict[str, str] = {
    "nobody": (
        "Unresolved conflicts: when AI plans and platform plans collide, no one decides, so the "
        "clash drags on or is settled by default."
    ),
    "cto": ("The CTO decides, and will reasonably favour the platform work they are measured on."),
    "ceo": "The CEO decides, which keeps it fair but pulls the CEO into every trade-off.",
    "ai_leader": (
        "The AI leader decides, which can leave the platform's own needs without a voice."
    ),
    "joint_forum": (
        "Both sides decide together in a standing forum, the arrangement most likely to keep "
        "the tension productive."
    ),
}

_OVERLOADED_MEANING = (
    "Overloaded seat: both answers point at a CTO who is already stretched, so AI results and "
    "AI trade-offs rest with someone who has no room for them."
)


def accountability_notes(result: Result, answers: Mapping[str, object]) -> list[AccountabilityNote]:
    """The CEO's two accountability answers, each with what it means for the board."""
    a: Any = answers
    owner = a["accountability.outcomes_owner"]
    resolver = a["accountability.conflict_resolver"]
    overloaded = "overloaded_seat" in result.flags
    notes = []
    for code, value, meaning in (
        ("accountability.outcomes_owner", owner, _OUTCOME_MEANINGS[owner]),
        (
            "accountability.conflict_resolver",
            resolver,
            # The overloaded seat shows in the combination, so it is told after the second answer.
            _OVERLOADED_MEANING if overloaded else _CONFLICT_MEANINGS[resolver],
        ),
    ):
        notes.append(
            AccountabilityNote(
                code=code,
                question=QUESTIONS[code].label,
                answer=choice_label(code, value),
                meaning=meaning,
            )
        )
    return notes
