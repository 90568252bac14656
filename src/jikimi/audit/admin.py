"""The Django admin shows the audit log read-only: nobody adds, changes or deletes entries (R40)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["sequence", "at", "actor_label", "action", "target_label", "client_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_label", "reason"]
    ordering = ["-sequence"]
    actions = None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A superuser is not a back door: reading the log needs READ_AUDIT like on the auditor page.
        from jikimi.accounts.permissions import Permission, has_permission

        return has_permission(request.user, Permission.READ_AUDIT)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if self.has_view_permission(request):
            with transaction.atomic():
                record(
                    Actor.from_request(request),
                    "audit.view_log",
                    details={"via": "admin", "query": request.GET.urlencode()},
                )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.has_view_permission(request):
            with transaction.atomic():
                record(
                    Actor.from_request(request),
                    "audit.view_log",
                    details={"via": "admin", "entry": object_id},
                )
        return response

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
