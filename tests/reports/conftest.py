"""Memo fixtures: a submitted assessment for the shared engagement, and helpers to make
versions in any state without going through a worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from advisory.models import Engagement
from assessments.models import Answer, Assessment
from assessments.questionnaire import QUESTIONNAIRE_VERSION, REQUIRED_CODES
from tests.assessments.factories import valid_answers


def submit_answers(engagement: Engagement, answers: dict[str, Any]) -> Assessment:
    assessment = Assessment.objects.create(
        engagement=engagement,
        questionnaire_version=QUESTIONNAIRE_VERSION,
        answered_count=len(REQUIRED_CODES),
        required_count=len(REQUIRED_CODES),
        submitted_at=timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, code=code, value=value, raw=value)
        for code, value in answers.items()
    )
    Engagement.objects.filter(pk=engagement.pk).update(state=Engagement.State.SUBMITTED)
    engagement.state = Engagement.State.SUBMITTED
    return assessment


@pytest.fixture
def submitted(engagement: Engagement) -> Assessment:
    return submit_answers(engagement, valid_answers())


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
