"""Django's admin, for the people who operate an installation (staff accounts) only.

It has no sign-in form of its own: anyone not signed in is sent to the app's sign-in page
(and, with two-factor, through its second step), and a signed-in advisor who is not staff
gets a 404, as if there were no admin at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.common import no_append_slash


class AdvisoryAdminSite(admin.AdminSite):
    site_header = "AI leadership assessments: operators"
    site_title = "Operators"
    index_title = "Records"

    def _refuse(self, request: HttpRequest, next_path: str) -> HttpResponse:
        if request.user.is_authenticated:
            raise Http404("No such page.")
        return redirect_to_login(next_path)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        inner = super().admin_view(view, cacheable)

        def staff_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not self.has_permission(request):
                return self._refuse(request, request.get_full_path())
            return inner(request, *args, **kwargs)

        return staff_only

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if self.has_permission(request):
            return redirect("admin:index")
        return self._refuse(request, request.GET.get("next") or reverse("admin:index"))

    @no_append_slash
    def catch_all_view(self, request: HttpRequest, url: str) -> HttpResponse:
        if not self.has_permission(request):
            return self._refuse(request, request.get_full_path())
        return super().catch_all_view(request, url)
