"""Read helpers the respondents' pages and the advisor's results page share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessments.forms import field_name, is_asked
from assessments.methodology import AnswerError
from assessments.models import Answer, Assessment
from assessments.plausibility import Finding
from assessments.questionnaire import Question, Questionnaire, Section, display_value


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


def answer_sections(
    answers: Mapping[str, Answer], questionnaire: Questionnaire
) -> list[AnswerSection]:
    """Every question asked, with its answer in words, section by section, as given."""
    return [
        AnswerSection(
            section=section,
            number=index + 1,
            rows=[_row(q, answers.get(q.code)) for q in section.questions if is_asked(q, answers)],
        )
        for index, section in enumerate(questionnaire.sections)
    ]


def problems_in_words(
    problems: list[AnswerError], answers: Mapping[str, Answer], questionnaire: Questionnaire
) -> list[Problem]:
    """The validator's findings, reworded for the respondent: which question, and what to do."""
    questions = questionnaire.questions
    section_of = questionnaire.section_of
    sections = {section.key: section for section in questionnaire.sections}
    shown: list[Problem] = []
    for problem in problems:
        question = questions.get(problem.code)
        if question is None:
            continue
        answer = answers.get(problem.code)
        message = answer.error if answer is not None and answer.error else "Not answered yet."
        shown.append(
            Problem(
                code=problem.code,
                label=question.label,
                message=message,
                section=sections[section_of[problem.code]],
                field=field_name(problem.code),
            )
        )
    return shown


@dataclass(frozen=True)
class NoteRow:
    """A "please check" note as the review page lists it: where it is, and what it says."""

    key: str
    label: str
    message: str
    section: Section
    field: str


def notes_in_words(notes: list[Finding], questionnaire: Questionnaire) -> list[NoteRow]:
    questions = questionnaire.questions
    section_of = questionnaire.section_of
    sections = {section.key: section for section in questionnaire.sections}
    return [
        NoteRow(
            key=note.key,
            label=questions[note.code].label,
            message=note.message,
            section=sections[section_of[note.code]],
            field=field_name(note.code),
        )
        for note in notes
    ]


def first_open_section(answers: Mapping[str, Answer], questionnaire: Questionnaire) -> Section:
    """Where a returning respondent picks up: the first step with a question still open."""
    for section in questionnaire.sections:
        for question in section.questions:
            answer = answers.get(question.code)
            if answer is not None and answer.error:
                return section
            if (
                question.required
                and is_asked(question, answers)
                and (answer is None or answer.value is None)
            ):
                return section
    return questionnaire.sections[-1]
