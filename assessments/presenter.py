"""A scored result in words: the one thing the results page and the memo both show.

Everything here is read from the :class:`Result` (what fired, what the method counted) and
the answers it was scored from, worded by :mod:`assessments.explanations`; so the advice the
advisor reads on screen and the board reads on paper can never drift from the score, or from
each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from assessments.explanations import (
    CONFIDENCE_LABELS,
    RECOMMENDATION_LABELS,
    REPORTING_LINE_LABELS,
    AccountabilityNote,
    Explanation,
    accountability_notes,
    decision_sentence,
    explain,
    recommendation_sentence,
)
from assessments.methodology import Result
from assessments.methodology.result import DimensionScore
from assessments.options import DatedStep, Option, next_steps, options_for
from assessments.perspectives import PerceptionInWords, perception_in_words
from assessments.questionnaire import (
    DIMENSIONS_BY_KEY,
    OVERLAP_AREAS,
    SCALE_LABELS,
    SCALE_MIN,
    Dimension,
    OverlapArea,
    choice_label,
)


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    score: DimensionScore
    today_words: str
    needed_words: str

    @property
    def name(self) -> str:
        return self.dimension.name

    @property
    def spread(self) -> str:
        """Where the leaders' answers spread: "today 1–3", "in 24 months 3–5", or "agreed"."""
        parts = []
        for when, span in (
            ("today", self.score.today_range),
            ("in 24 months", self.score.needed_range),
        ):
            if span and span[0] != span[1]:
                parts.append(f"{when} {span[0]}–{span[1]}")
        return "; ".join(parts) or "agreed"


@dataclass(frozen=True)
class OverlapRow:
    area: OverlapArea
    answer: str
    needs_governance: bool


@dataclass(frozen=True)
class Departure:
    """The advisor's own recommendation where professional judgement departs from the
    method's, with the reason the memo prints beside the method's result."""

    recommendation: str
    reporting_line: str
    reason: str


@dataclass(frozen=True)
class Decision:
    """What the board is asked to decide: the method's result, or the advisor's."""

    recommendation: str
    reporting_line: str
    sentence: str
    # The method's own result, in words, when the advisor departs from it.
    departure: Departure | None
    method_sentence: str

    @property
    def departs(self) -> bool:
        return self.departure is not None

    @property
    def structure(self) -> str:
        return RECOMMENDATION_LABELS[self.recommendation]

    @property
    def reporting(self) -> str:
        return REPORTING_LINE_LABELS[self.reporting_line]


@dataclass(frozen=True)
class ResultInWords:
    result: Result
    client_name: str
    recommendation: str
    reporting_line: str
    confidence: str
    sentence: str
    explanation: Explanation
    accountability: list[AccountabilityNote]
    dimensions: list[DimensionRow]
    overlap: list[OverlapRow]
    # Where the leaders see it differently (2026.2); None for a version without perspectives.
    perception: PerceptionInWords | None
    decision: Decision
    options: list[Option]
    steps: list[DatedStep]

    @property
    def reporting_phrase(self) -> str:
        """The reporting line mid-sentence: "reports to the CEO"."""
        return self.reporting_line[:1].lower() + self.reporting_line[1:]

    @property
    def overlap_actions(self) -> list[OverlapRow]:
        return [row for row in self.overlap if row.needs_governance]

    @property
    def settled_overlap(self) -> list[OverlapRow]:
        return [row for row in self.overlap if not row.needs_governance]


def ceo_answers(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The CEO's answers of an assessment: the envelope's ``answers``, or the flat object."""
    inner = document.get("answers")
    return inner if isinstance(inner, Mapping) else document


def decide(result: Result, client_name: str, departure: Departure | None) -> Decision:
    method_sentence = recommendation_sentence(result, client_name)
    if departure is None:
        return Decision(
            recommendation=result.recommendation,
            reporting_line=result.reporting_line,
            sentence=method_sentence,
            departure=None,
            method_sentence=method_sentence,
        )
    return Decision(
        recommendation=departure.recommendation,
        reporting_line=departure.reporting_line,
        sentence=decision_sentence(client_name, departure.recommendation, departure.reporting_line),
        departure=departure,
        method_sentence=method_sentence,
    )


def present(
    result: Result,
    document: Mapping[str, Any],
    *,
    client_name: str,
    departure: Departure | None = None,
    meeting: date | None = None,
) -> ResultInWords:
    """The result in words, for ``document``: the assessment it was scored from. With a
    ``departure`` the decision is the advisor's; ``meeting`` dates the next steps."""
    answers = ceo_answers(document)
    decision = decide(result, client_name, departure)
    reporting = REPORTING_LINE_LABELS[decision.reporting_line]
    return ResultInWords(
        result=result,
        client_name=client_name,
        recommendation=RECOMMENDATION_LABELS[result.recommendation],
        reporting_line=REPORTING_LINE_LABELS[result.reporting_line],
        confidence=CONFIDENCE_LABELS[result.confidence],
        sentence=recommendation_sentence(result, client_name),
        explanation=explain(result, answers),
        accountability=accountability_notes(result, answers),
        dimensions=[
            DimensionRow(
                dimension=DIMENSIONS_BY_KEY[d.key],
                score=d,
                today_words=SCALE_LABELS[d.today - SCALE_MIN],
                needed_words=SCALE_LABELS[d.needed - SCALE_MIN],
            )
            for d in result.dimensions
        ],
        overlap=[
            OverlapRow(
                area=area,
                answer=choice_label(f"overlap.{area.key}", result.overlap[area.key]),
                needs_governance=area.key in result.overlap_actions,
            )
            for area in OVERLAP_AREAS
        ],
        perception=perception_in_words(result, document),
        decision=decision,
        options=options_for(result, answers, recommended=decision.recommendation),
        steps=next_steps(
            recommendation=decision.recommendation,
            reporting_phrase=reporting[:1].lower() + reporting[1:],
            result=result,
            meeting=meeting,
        ),
    )


def result_changes(before: Result, after: Result) -> list[tuple[str, str, str]]:
    """What differs between two results of the same answers, in words: (what, before,
    after) for the recommendation, the reporting line and the confidence."""
    pairs = [
        ("Structure", RECOMMENDATION_LABELS, before.recommendation, after.recommendation),
        ("Reporting line", REPORTING_LINE_LABELS, before.reporting_line, after.reporting_line),
        ("Confidence", CONFIDENCE_LABELS, before.confidence, after.confidence),
    ]
    return [(what, labels[old], labels[new]) for what, labels, old, new in pairs if old != new]
