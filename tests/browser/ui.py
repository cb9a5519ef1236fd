"""Answering the questionnaire the way a person does: typing, ticking and clicking."""

from __future__ import annotations

from assessments.forms import field_name
from assessments.questionnaire import QUESTIONS, Section
from tests.assessments.helpers import form_raw


def answer_question(page, code: str, value: object) -> None:
    question = QUESTIONS[code]
    name = field_name(code)
    raw = form_raw(code, value)
    if question.kind in ("integer", "number", "text"):
        page.fill(f"#id_{name}", str(raw))
        page.locator(f"#id_{name}").blur()
    elif question.kind == "multi":
        boxes = page.locator(f"input[name='{name}']")
        for index in range(boxes.count()):
            box = boxes.nth(index)
            if box.get_attribute("value") in raw:
                box.check()
            else:
                box.uncheck()
    else:
        page.check(f"input[name='{name}'][value='{raw}']")


def answer_section(page, section: Section, answers: dict[str, object]) -> None:
    for question in section.questions:
        condition = question.shown_when
        if condition and not condition.shows(answers.get(condition.code)):
            continue  # not asked: the page hides it and stores the implied answer
        if question.code in answers:
            answer_question(page, question.code, answers[question.code])


def wait_saved(page, code: str) -> None:
    page.locator(f"[data-status-for='{field_name(code)}'].is-saved").wait_for()
