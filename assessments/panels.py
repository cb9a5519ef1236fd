"""What the engagement page shows about the questionnaires: the CEO's link and progress, and
each leader invited to give a perspective."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from advisory.links import LinkState
from advisory.models import Engagement
from assessments.forms import InviteForm, LeaderInviteForm
from assessments.methodology import method_for
from assessments.models import Assessment, Invitation


@dataclass(frozen=True)
class PerspectiveRow:
    assessment: Assessment
    invitation: Invitation | None

    @property
    def state(self) -> str | None:
        return self.invitation.link_state if self.invitation is not None else None


def _latest_invitation(assessment: Assessment) -> Invitation | None:
    invitations = assessment.latest_invitations  # prefetched, newest first
    return invitations[0] if invitations else None


def assessment_panel(engagement: Engagement, ceo: Assessment) -> dict[str, object]:
    """The two questionnaire panels, with the invitation forms' choices read once each."""
    invitations = Invitation.objects.select_related("person", "email").order_by("-created_at")
    assessments = list(
        engagement.assessments.select_related("person").prefetch_related(
            Prefetch("invitations", queryset=invitations, to_attr="latest_invitations")
        )
    )
    ceo = next(a for a in assessments if a.pk == ceo.pk)
    for assessment in assessments:
        for invitation in assessment.latest_invitations:
            invitation.engagement = engagement  # the link's state reads the client's archiving
    invitation = _latest_invitation(ceo)
    invite_form = InviteForm(engagement=engagement)
    leader_form = LeaderInviteForm(engagement=engagement)
    # The forms' own choices, read once each for the page to draw (posting checks them again).
    ceos = list(invite_form.fields["person"].queryset)
    leaders = list(leader_form.fields["person"].queryset)
    state = invitation.link_state if invitation is not None else None
    reads_perspectives = method_for(ceo.methodology_version).perspectives
    return {
        "questionnaire": {
            "assessment": ceo,
            "invitation": invitation,
            "invitation_state": state,
            "invitation_usable": state == LinkState.USABLE,
            "submitted": ceo.is_submitted,
            "can_invite": not ceo.is_submitted and not engagement.archived_at and bool(ceos),
            "has_ceo": bool(ceos),
            "ceos": ceos,
            "invite_form": invite_form,
            "methodology": ceo.methodology_version,
        },
        "perspectives": {
            "rows": [
                PerspectiveRow(assessment=a, invitation=_latest_invitation(a))
                for a in assessments
                if not a.is_ceo
            ],
            "reads_perspectives": reads_perspectives,
            "can_invite": reads_perspectives and not engagement.archived_at and bool(leaders),
            "leaders": leaders,
            "form": leader_form,
        },
    }
