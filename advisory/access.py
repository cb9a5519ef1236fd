"""The one place that scopes object fetches to the signed-in advisor's firm.

Every view fetches through these helpers, so another firm's object is a 404 by construction.
Pages only a firm's owners may use (the team, the firm's settings) fetch the firm through
:func:`owned_firm_for`, so an advisor who is not an owner gets the same 404.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from advisory.models import Firm, User

M = TypeVar("M", bound=Model)


def firm_for(user: User) -> Firm:
    try:
        return user.membership.firm
    except User.membership.RelatedObjectDoesNotExist:
        raise Http404("This account does not belong to a firm.") from None


def owned_firm_for(user: User) -> Firm:
    firm = firm_for(user)
    if not user.membership.is_owner:
        raise Http404("Only the firm's owners can open this page.")
    return firm


def get_for_firm(user: User, queryset: QuerySet[M], **lookup: object) -> M:
    firm = firm_for(user)
    field = "firm" if _has_field(queryset.model, "firm") else _firm_path(queryset.model)
    return get_object_or_404(queryset, **{field: firm}, **lookup)


def _has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _firm_path(model: type[Model]) -> str:
    path = getattr(model, "FIRM_PATH", None)
    if path is None:
        raise TypeError(f"{model.__name__} has no firm and no FIRM_PATH")
    return path
