"""The control centre in the Django admin: read-only and scoped like every jikimi admin page
(jikimi.accounts.admin: superusers only, and only rows of institutions where they hold the permission
for the whole institution, R36). Maintenance tickets and the checks of normal operation (오산시 지침
제27조, 제31조④) are shown; changes go through the health pages' audited actions. Live viewings are
not in the admin (like the vault's viewings), nor are incidents, visits and the committee, which name
people: their own pages show them to those whose grants cover them.
"""

from __future__ import annotations

from django.contrib import admin

from jikimi.accounts.admin import InstitutionScopedAdmin
from jikimi.accounts.permissions import Permission
from jikimi.control.models import InspectionCheck, MaintenanceTicket


@admin.register(MaintenanceTicket)
class MaintenanceTicketAdmin(InstitutionScopedAdmin):
    permission = Permission.VIEW_HEALTH
    list_display = ["fault", "device", "recorder", "fault_since", "opened_at", "closed_at", "institution"]
    list_filter = ["fault", "institution"]
    search_fields = ["description", "repair", "repaired_by", "device__name"]


@admin.register(InspectionCheck)
class InspectionCheckAdmin(InstitutionScopedAdmin):
    permission = Permission.VIEW_HEALTH
    list_display = ["checked_on", "device", "result", "items", "checked_by", "institution"]
    list_filter = ["result", "institution"]
    search_fields = ["items", "note", "device__name"]
