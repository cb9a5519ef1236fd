"""Shared set-up for the questionnaire tests: an invited engagement and its link token."""

from __future__ import annotations

from urllib.parse import urlsplit

from advisory.models import Engagement, Person, User
from assessments.forms import field_name
from assessments.models import Assessment
from assessments.services.answers import answer_save, assessment_for
from assessments.services.invitations import invitation_send


def invite(engagement: Engagement, ceo: Person, advisor: User) -> str:
    """Sends an invitation and returns the token from its link."""
    link = invitation_send(engagement=engagement, person=ceo, actor=advisor)
    return token_of(link)


def token_of(link: str) -> str:
    return urlsplit(link).path.rstrip("/").split("/")[-1]


def form_raw(code: str, value: object) -> str | list[str]:
    """A typed answer as a browser form would post it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [str(v) for v in value] or [""]  # the "None of these" box
    return str(value)


def answer_all(assessment: Assessment, answers: dict[str, object]) -> None:
    for code, value in answers.items():
        answer_save(assessment=assessment, code=code, raw=form_raw(code, value))


def step_post(answers: dict[str, object], codes: list[str], action: str = "next") -> dict:
    data: dict[str, object] = {"action": action}
    for code in codes:
        data[field_name(code)] = form_raw(code, answers[code])
    return data


__all__ = [
    "answer_all",
    "assessment_for",
    "form_raw",
    "invite",
    "invite_leader",
    "step_post",
    "token_of",
]


def invite_leader(engagement: Engagement, person: Person, advisor: User) -> str:
    """Invites a leader of the client to give a perspective; returns the token of the link."""
    from assessments.services.invitations import perspective_invite

    return token_of(perspective_invite(engagement=engagement, person=person, actor=advisor))
