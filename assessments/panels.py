"""What the engagement page shows about the questionnaire (filled in by the questionnaire work)."""

from __future__ import annotations

from advisory.models import Engagement


def assessment_panel(engagement: Engagement) -> dict[str, object]:
    return {}
