"""What the engagement page shows about the questionnaire: the link, how far the CEO got."""

from __future__ import annotations

from advisory.links import LinkState
from advisory.models import Engagement, Person
from assessments.forms import InviteForm
from assessments.models import Assessment, Invitation


def assessment_panel(engagement: Engagement) -> dict[str, object]:
    assessment = Assessment.objects.filter(engagement=engagement).first()
    invitation = (
        Invitation.objects.filter(engagement=engagement)
        .select_related("person", "engagement__client")
        .first()
    )
    has_ceo = Person.objects.filter(client_id=engagement.client_id).ceos().exists()
    submitted = assessment is not None and assessment.is_submitted
    state = invitation.link_state if invitation is not None else None
    return {
        "questionnaire": {
            "assessment": assessment,
            "invitation": invitation,
            "invitation_state": state,
            "invitation_usable": state == LinkState.USABLE,
            "submitted": submitted,
            "can_invite": not submitted and not engagement.archived_at and has_ceo,
            "has_ceo": has_ceo,
            "invite_form": InviteForm(engagement=engagement),
        }
    }
