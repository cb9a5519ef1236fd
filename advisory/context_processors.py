from __future__ import annotations

from django.http import HttpRequest

from advisory.access import firm_for


def firm(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_firm": firm_for(user)}
