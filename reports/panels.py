"""What the engagement page shows about the memo: versions, their states and actions, and
the deliveries with their download counts."""

from __future__ import annotations

from advisory.models import Engagement
from assessments.models import Assessment
from reports.forms import CommentaryForm
from reports.models import Delivery, MemoVersion

_PENDING = (MemoVersion.State.QUEUED, MemoVersion.State.RENDERING)


def memo_panel(engagement: Engagement) -> dict[str, object]:
    versions = list(
        engagement.memo_versions.select_related("requested_by", "approved_by").order_by("-number")
    )
    submitted = Assessment.objects.filter(
        engagement=engagement, submitted_at__isnull=False
    ).exists()
    deliveries = list(
        Delivery.objects.filter(memo_version__engagement=engagement)
        .select_related("person", "memo_version")
        .order_by("-sent_at")
    )
    latest = versions[0] if versions else None
    return {
        "memo": {
            "versions": versions,
            "latest": latest,
            "deliveries": deliveries,
            "can_request": submitted,
            "pending": any(v.state in _PENDING for v in versions),
            "request_form": CommentaryForm(
                initial={"commentary": latest.commentary if latest else ""}
            ),
        }
    }
