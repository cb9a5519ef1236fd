"""Read helpers the CEO's pages and the advisor's results page share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessments.forms import field_name
from assessments.methodology import AnswerError
from assessments.models import Answer, Assessment
from assessments.questionnaire import (
    QUESTIONS,
    SECTION_OF,
    SECTIONS,
    Question,
    Section,
    display_value,
)

SECTION_INDEX: dict[str, int] = {section.key: index for index, section in enumerate(SECTIONS)}


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    text: str
    error: str
    answered: bool


@dataclass(frozen=True)
class AnswerSection:
    section: Section
    number: int
    rows: list[AnswerRow]


@dataclass(frozen=True)
class Problem:
    code: str
    label: str
    message: str
    section: Section
    field: str


def answers_by_code(assessment: Assessment) -> dict[str, Answer]:
    return {answer.code: answer for answer in assessment.answers.all()}


def _row(question: Question, answer: Answer | None) -> AnswerRow:
    if answer is None:
        return AnswerRow(question, display_value(question.code, None), "", False)
    if answer.error:
        shown = answer.raw if isinstance(answer.raw, str) else ", ".join(answer.raw or [])
        return AnswerRow(question, shown, answer.error, False)
    return AnswerRow(
        question, display_value(question.code, answer.value), "", answer.value is not None
    )


def answer_sections(answers: Mapping[str, Answer]) -> list[AnswerSection]:
    """Every question with its answer in words, section by section, as the CEO gave them."""
    return [
        AnswerSection(
            section=section,
            number=index + 1,
            rows=[_row(q, answers.get(q.code)) for q in section.questions],
        )
        for index, section in enumerate(SECTIONS)
    ]


def problems_in_words(problems: list[AnswerError], answers: Mapping[str, Answer]) -> list[Problem]:
    """The validator's findings, reworded for the CEO: which question, and what to do."""
    shown: list[Problem] = []
    for problem in problems:
        question = QUESTIONS.get(problem.code)
        if question is None:
            continue
        answer = answers.get(problem.code)
        message = answer.error if answer is not None and answer.error else "Not answered yet."
        shown.append(
            Problem(
                code=problem.code,
                label=question.label,
                message=message,
                section=SECTIONS[SECTION_INDEX[SECTION_OF[problem.code]]],
                field=field_name(problem.code),
            )
        )
    return shown


def first_open_section(answers: Mapping[str, Answer]) -> Section:
    """Where a returning CEO picks up: the first step with a required question still open."""
    for section in SECTIONS:
        for question in section.questions:
            answer = answers.get(question.code)
            if answer is not None and answer.error:
                return section
            if question.required and (answer is None or answer.value is None):
                return section
    return SECTIONS[-1]
