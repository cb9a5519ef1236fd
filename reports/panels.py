"""What the engagement page shows about the memo (filled in by the memo work)."""

from __future__ import annotations

from advisory.models import Engagement


def memo_panel(engagement: Engagement) -> dict[str, object]:
    return {}
