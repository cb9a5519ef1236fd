"""The records of firms, their people, clients and engagements, for operators to look up.

Read-mostly: the app's own pages and services make every change, because they keep the rules
(the audit trail, a firm's last owner, the contrast of an accent colour). Here an operator can
find and read anything, and change only what is safe outside those rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisory.models import AuditEvent, Client, Engagement, Firm, Membership, User

# django-otp's own admin pages show authenticator keys and recovery codes: secrets no
# operator needs to read.
# Groups and permissions play no part in the app: roles are the firm's (Membership.role).
for _model in (TOTPDevice, StaticDevice, Group):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class ReadMostlyAdmin(admin.ModelAdmin):
    """No adding or deleting; every field read-only except those named in ``editable``."""

    editable: tuple[str, ...] = ()
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.editable) and super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name not in self.editable]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "deactivated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Firm)
class FirmAdmin(ReadMostlyAdmin):
    list_display = ["name", "paper_size", "require_two_factor", "created_at"]
    list_filter = ["paper_size", "require_two_factor"]
    search_fields = ["name"]
    # An operator may help a firm with its name and its links' lifetimes; the logo, colour
    # and two-factor switch stay with the firm's owners, whose pages check them.
    editable = ("name", "ceo_link_days", "board_link_days")
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(ReadMostlyAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "membership__role"]
    search_fields = ["email", "first_name", "last_name", "membership__firm__name"]
    ordering = ["email"]
    # Never the password hash or the session salt; no account is edited here but its access.
    exclude = ["password", "session_salt", "user_permissions", "groups"]
    editable = ("is_active", "is_staff")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        hidden = {"password", "session_salt"}
        return [f for f in super().get_readonly_fields(request, obj) if f not in hidden]


@admin.register(Membership)
class MembershipAdmin(ReadMostlyAdmin):
    list_display = ["user", "firm", "role", "deactivated_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "firm__name"]
    list_select_related = ["user", "firm"]


@admin.register(Client)
class ClientAdmin(ReadMostlyAdmin):
    list_display = ["name", "firm", "sector", "country", "archived_at", "created_at"]
    list_filter = ["archived_at"]
    search_fields = ["name", "sector", "country", "firm__name"]
    list_select_related = ["firm"]


@admin.register(Engagement)
class EngagementAdmin(ReadMostlyAdmin):
    list_display = ["title", "client", "firm", "lead_advisor", "state", "updated_at"]
    list_filter = ["state", "archived_at"]
    search_fields = ["title", "client__name", "firm__name", "lead_advisor__email"]
    list_select_related = ["client", "firm", "lead_advisor"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadMostlyAdmin):
    list_display = ["created_at", "firm", "who", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "actor__email", "actor_label", "firm__name"]
    list_select_related = ["firm", "actor"]
