from __future__ import annotations

from django.http import HttpRequest

from advisory.models import Membership


def firm(request: HttpRequest) -> dict[str, object]:
    """The signed-in person's firm and membership. ``brand_firm`` is the firm whose name and
    colour the page header wears: theirs, or one a view names (a set-password link's)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"brand_firm": None}
    # An account without a firm (an operator's, say) sees pages without firm branding; the
    # views themselves answer it with 404.
    try:
        membership = user.membership  # cached on the user for the views
    except Membership.DoesNotExist:
        return {"brand_firm": None}
    firm = membership.firm
    return {"current_firm": firm, "current_membership": membership, "brand_firm": firm}
