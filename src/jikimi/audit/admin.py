"""The Django admin shows the audit log read-only: nobody adds, changes or deletes entries (R40).

Reading it needs READ_AUDIT like the auditor's page (a superuser is no back door), shows only the
entries of the reader's READ_AUDIT scope (R36, jikimi.audit.access.readable_entries), and is recorded.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from jikimi.audit import actions
from jikimi.audit.access import may_read_log, readable_entries
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.lib.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "at", "actor_label", "action", "target_label", "client_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_label", "reason"]
    ordering = ["-sequence"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return readable_entries(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not may_read_log(request.user):
            return False
        return obj is None or readable_entries(request.user).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if self.has_view_permission(request):
            actions.read_log(
                Actor.from_request(request), details={"via": "admin", "query": request.GET.urlencode()}
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.has_view_permission(request):
            actions.read_log(Actor.from_request(request), details={"via": "admin", "entry": object_id})
        return response
