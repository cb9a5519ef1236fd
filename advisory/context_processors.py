from __future__ import annotations

from django.http import HttpRequest

from advisory.models import Membership


def firm(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # An account without a firm (an operator's, say) sees pages without firm branding; the
    # views themselves answer it with 404.
    try:
        membership = user.membership  # cached on the user for the views
    except Membership.DoesNotExist:
        return {}
    return {"current_firm": membership.firm, "current_membership": membership}
