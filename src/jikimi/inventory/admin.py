"""The Django admin shows the register read-only, locations inline with their group.

A change of the register must pass the law's checks that the actions apply (retention, hours,
purposes: jikimi.inventory.checks) and be audited in the same transaction, so staff edit groups
through the audited pages (inventory:group_edit) and whole registers through `jikimi import_register`;
the admin only shows (jikimi.lib.readonly_admin).
"""

from __future__ import annotations

from django.contrib import admin

from jikimi.inventory import models
from jikimi.inventory.register_file.fields import LOCATION_FIELDS
from jikimi.lib.readonly_admin import ReadOnlyAdmin, ReadOnlyInline


class LocationInline(ReadOnlyInline):
    model = models.Location
    fields = ("position", "key", *LOCATION_FIELDS)


class DepartmentInline(ReadOnlyInline):
    model = models.Department
    fields = ("position", "key", "name", "parent", "phone")


class PolicyRevisionInline(ReadOnlyInline):
    model = models.PolicyRevision


@admin.register(models.Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "phone", "website")
    search_fields = ("name", "slug")
    inlines = [DepartmentInline, PolicyRevisionInline]


@admin.register(models.Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "institution", "parent", "phone")
    list_filter = ("institution",)
    search_fields = ("name",)


@admin.register(models.Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ("key", "position", "name", "department", "phone", "email", "institution")
    list_filter = ("institution",)
    search_fields = ("key", "name", "position", "phone")


@admin.register(models.Contractor)
class ContractorAdmin(ReadOnlyAdmin):
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
class DeviceGroupAdmin(ReadOnlyAdmin):
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
class LocationAdmin(ReadOnlyAdmin):
    list_display = ("name", "device_group", "count", "space_type", "building")
    list_filter = ("space_type",)
    search_fields = ("name", "device_group__name")


@admin.register(models.DeclaredTotal)
class DeclaredTotalAdmin(ReadOnlyAdmin):
    list_display = ("label", "count", "institution", "kind", "department", "site", "legal_basis")
    list_filter = ("institution",)


@admin.register(models.PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyAdmin):
    list_display = ("institution", "title", "kind", "announced_on", "effective_on")


@admin.register(models.PolicyRevision)
class PolicyRevisionAdmin(ReadOnlyAdmin):
    list_display = ("institution", "label", "valid_from", "valid_until")
    list_filter = ("institution",)
