from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.views.generic import ListView

from advisory.access import firm_for
from advisory.forms import DashboardFilterForm
from advisory.models import Engagement


class DashboardView(LoginRequiredMixin, ListView):
    template_name = "advisory/dashboard.html"
    context_object_name = "engagements"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Engagement]:
        self.filters = DashboardFilterForm(self.request.GET or None)
        engagements = Engagement.objects.for_firm(firm_for(self.request.user))
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        if not data.get("archived"):
            engagements = engagements.active()
        if query := (data.get("q") or "").strip():
            engagements = engagements.filter(
                Q(client__name__icontains=query) | Q(title__icontains=query)
            )
        if state := data.get("state"):
            engagements = engagements.filter(state=state)
        self.matching = engagements
        return engagements.for_dashboard()

    def get_paginator(self, queryset: QuerySet[Engagement], *args: Any, **kwargs: Any) -> Paginator:
        paginator = super().get_paginator(queryset, *args, **kwargs)
        # Counted without the columns and progress each row reads: the same rows, cheaper.
        paginator.count = self.matching.count()
        return paginator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        chosen = self.filters.cleaned_data if self.filters.is_valid() else {}
        context.update(
            filters=self.filters,
            # What the filter boxes show: the search as typed, the choices as understood.
            search=self.request.GET.get("q", ""),
            chosen=chosen,
            query_string=query.urlencode(),
        )
        return context
