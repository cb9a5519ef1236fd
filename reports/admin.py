"""Memo versions and their deliveries, for operators to look up; never changed here.

An approved version is immutable, and every version keeps the answers, hashes and branding it
was made from: none of that is editable, and nothing is deleted."""

from __future__ import annotations

from django.contrib import admin

from advisory.admin import ReadMostlyAdmin
from reports.models import Delivery, MemoVersion


@admin.register(MemoVersion)
class MemoVersionAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "state", "page_count", "requested_at", "approved_at"]
    list_filter = ["state", "template_version", "methodology_version"]
    search_fields = ["engagement__client__name", "engagement__title", "answers_sha256"]
    list_select_related = ["engagement__client"]


@admin.register(Delivery)
class DeliveryAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "sent_at", "expires_at", "revoked_at", "download_count"]
    search_fields = ["person__name", "person__email", "memo_version__engagement__client__name"]
    list_select_related = ["memo_version__engagement__client", "person"]
    # The hash of a board member's link is no business of anyone reading this page.
    exclude = ["token_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [f for f in super().get_readonly_fields(request, obj) if f != "token_hash"]
