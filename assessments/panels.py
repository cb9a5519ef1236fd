"""What the engagement page shows about the questionnaire: the link, how far the CEO got."""

from __future__ import annotations

from advisory.models import Engagement, Person
from assessments.forms import InviteForm
from assessments.models import Assessment, Invitation


def assessment_panel(engagement: Engagement) -> dict[str, object]:
    assessment = Assessment.objects.filter(engagement=engagement).first()
    invitation = Invitation.objects.filter(engagement=engagement).select_related("person").first()
    ceos = Person.objects.filter(
        client_id=engagement.client_id, role=Person.Role.CEO, archived_at__isnull=True
    )
    submitted = assessment is not None and assessment.is_submitted
    return {
        "questionnaire": {
            "assessment": assessment,
            "invitation": invitation,
            "invitation_usable": invitation is not None and invitation.is_usable,
            "submitted": submitted,
            "can_invite": not submitted and not engagement.archived_at and ceos.exists(),
            "has_ceo": ceos.exists(),
            "invite_form": InviteForm(engagement=engagement),
        }
    }
