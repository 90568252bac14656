"""The Django admin for administrators: every model of the register, locations inline with their group.

Staff edit groups through the audited pages (inventory:group_edit) and whole registers through
`jikimi import_register`; the admin is for administrators repairing data by hand.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.register_file.importing import LOCATION_FIELDS


class AuditedAdmin(admin.ModelAdmin):
    """Every change made here is written to the audit log in the admin's own transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = "inventory.admin_change" if change else "inventory.admin_add"
        record(
            Actor.from_request(request),
            action,
            obj,
            reason="관리자 화면",
            details={"fields": list(form.changed_data)},
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            record(
                Actor.from_request(request),
                "inventory.admin_change",
                form.instance,
                reason="관리자 화면",
                details={"inline": formset.model._meta.verbose_name, "rows": len(formset.forms)},
            )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        record(Actor.from_request(request), "inventory.admin_delete", obj, reason="관리자 화면")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record(Actor.from_request(request), "inventory.admin_delete", obj, reason="관리자 화면")
        super().delete_queryset(request, queryset)


class LocationInline(admin.TabularInline):
    model = models.Location
    extra = 0
    fields = ("position", "key", *LOCATION_FIELDS)


class DepartmentInline(admin.TabularInline):
    model = models.Department
    extra = 0
    fields = ("position", "key", "name", "parent", "phone")


class PolicyRevisionInline(admin.TabularInline):
    model = models.PolicyRevision
    extra = 0


@admin.register(models.Institution)
class InstitutionAdmin(AuditedAdmin):
    list_display = ("name", "slug", "phone", "website")
    search_fields = ("name", "slug")
    inlines = [DepartmentInline, PolicyRevisionInline]


@admin.register(models.Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "institution", "parent", "phone")
    list_filter = ("institution",)
    search_fields = ("name",)


@admin.register(models.Officer)
class OfficerAdmin(AuditedAdmin):
    list_display = ("key", "position", "name", "department", "phone", "email", "institution")
    list_filter = ("institution",)
    search_fields = ("key", "name", "position", "phone")


@admin.register(models.Contractor)
class ContractorAdmin(AuditedAdmin):
    list_display = (
        "company",
        "task",
        "contact",
        "period_start",
        "period_end",
        "supervising_department",
        "institution",
    )
    list_filter = ("institution",)
    search_fields = ("company", "task")


@admin.register(models.DeviceGroup)
class DeviceGroupAdmin(AuditedAdmin):
    list_display = (
        "name",
        "institution",
        "department",
        "kind",
        "count",
        "site",
        "recording_hours",
        "retention",
        "status",
    )
    list_filter = ("institution", "kind", "status", "department")
    search_fields = ("name", "key", "purpose", "site", "locations__name")
    filter_horizontal = ("managers", "staff", "contractors")
    inlines = [LocationInline]


@admin.register(models.Location)
class LocationAdmin(AuditedAdmin):
    list_display = ("name", "device_group", "count", "space_type", "building")
    list_filter = ("space_type",)
    search_fields = ("name", "device_group__name")


@admin.register(models.DeclaredTotal)
class DeclaredTotalAdmin(AuditedAdmin):
    list_display = ("label", "count", "institution", "kind", "department", "site", "legal_basis")
    list_filter = ("institution",)


@admin.register(models.PolicyDocument)
class PolicyDocumentAdmin(AuditedAdmin):
    list_display = ("institution", "title", "kind", "announced_on", "effective_on")


@admin.register(models.PolicyRevision)
class PolicyRevisionAdmin(AuditedAdmin):
    list_display = ("institution", "label", "valid_from", "valid_until")
    list_filter = ("institution",)
