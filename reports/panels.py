"""What the engagement page shows about the memo: versions, their states and actions, and
the deliveries with their download counts."""

from __future__ import annotations

from advisory.models import Email, Engagement
from assessments.models import Assessment
from assessments.services.scoring import NotScorable, engagement_result
from reports.forms import MemoForm
from reports.models import Delivery, MemoVersion
from reports.services.memos import version_departure

_PENDING = (MemoVersion.State.QUEUED, MemoVersion.State.RENDERING)


def memo_panel(engagement: Engagement, ceo: Assessment) -> dict[str, object]:
    versions = list(
        engagement.memo_versions.select_related("requested_by", "approved_by")
        .defer("answers")
        .order_by("-number")
    )
    try:
        result = engagement_result(engagement, ceo=ceo).result
    except NotScorable:
        result = None
    deliveries = list(
        Delivery.objects.filter(memo_version__engagement=engagement)
        .select_related("person", "memo_version", "email")
        .defer(*(f"email__{name}" for name in Email.CONTENT_FIELDS), "memo_version__answers")
        .order_by("-sent_at")
    )
    for delivery in deliveries:
        # A link's state reads whether the engagement and its client were archived.
        delivery.memo_version.engagement = engagement
    latest = versions[0] if versions else None
    return {
        "memo": {
            "versions": versions,
            "latest": latest,
            "deliveries": deliveries,
            "can_request": result is not None,
            "pending": any(v.state in _PENDING for v in versions),
            "request_form": MemoForm(
                result=result,
                departure=version_departure(latest) if latest else None,
                initial={"commentary": latest.commentary if latest else ""},
            )
            if result is not None
            else None,
        }
    }
