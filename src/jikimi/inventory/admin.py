"""The Django admin shows the register read-only, locations inline with their group.

A change of the register must pass the law's checks that the actions apply (retention, hours,
purposes: jikimi.inventory.checks) and be audited in the same transaction, so staff edit groups
through the audited pages (inventory:group_edit) and whole registers through `jikimi import_register`;
the admin only shows (jikimi.lib.readonly_admin) — and only institutions where the user holds
VIEW_REGISTER for the whole institution (R36: a superuser is no back door; jikimi.accounts.admin).
Devices are shown without their camera credentials (R42): the URL with *** for them.
"""

from __future__ import annotations

from django.contrib import admin

from jikimi.accounts.admin import InstitutionScopedAdmin
from jikimi.inventory import models
from jikimi.inventory.register_file.fields import LOCATION_FIELDS
from jikimi.lib.readonly_admin import ReadOnlyInline


class LocationInline(ReadOnlyInline):
    model = models.Location
    fields = ("position", "key", *LOCATION_FIELDS)


class DepartmentInline(ReadOnlyInline):
    model = models.Department
    fields = ("position", "key", "name", "parent", "phone")


class PolicyRevisionInline(ReadOnlyInline):
    model = models.PolicyRevision


@admin.register(models.Institution)
class InstitutionAdmin(InstitutionScopedAdmin):
    institution_field = "id"
    list_display = ("name", "slug", "phone", "website")
    search_fields = ("name", "slug")
    inlines = [DepartmentInline, PolicyRevisionInline]


@admin.register(models.Department)
class DepartmentAdmin(InstitutionScopedAdmin):
    list_display = ("name", "institution", "parent", "phone")
    list_filter = ("institution",)
    search_fields = ("name",)


@admin.register(models.Officer)
class OfficerAdmin(InstitutionScopedAdmin):
    list_display = ("key", "position", "name", "department", "phone", "email", "institution")
    list_filter = ("institution",)
    search_fields = ("key", "name", "position", "phone")


@admin.register(models.Contractor)
class ContractorAdmin(InstitutionScopedAdmin):
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
class DeviceGroupAdmin(InstitutionScopedAdmin):
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
class LocationAdmin(InstitutionScopedAdmin):
    institution_field = "device_group__institution"
    list_display = ("name", "device_group", "count", "space_type", "building")
    list_filter = ("space_type",)
    search_fields = ("name", "device_group__name")


@admin.register(models.DeclaredTotal)
class DeclaredTotalAdmin(InstitutionScopedAdmin):
    list_display = ("label", "count", "institution", "kind", "department", "site", "legal_basis")
    list_filter = ("institution",)


@admin.register(models.PolicyDocument)
class PolicyDocumentAdmin(InstitutionScopedAdmin):
    list_display = ("institution", "title", "kind", "announced_on", "effective_on")


@admin.register(models.PolicyRevision)
class PolicyRevisionAdmin(InstitutionScopedAdmin):
    list_display = ("institution", "label", "valid_from", "valid_until")
    list_filter = ("institution",)


@admin.register(models.RequestFee)
class RequestFeeAdmin(InstitutionScopedAdmin):
    list_display = ("institution", "item", "unit", "amount", "basis")
    list_filter = ("institution",)


@admin.register(models.Device)
class DeviceAdmin(InstitutionScopedAdmin):
    institution_field = "device_group__institution"
    list_display = ("name", "device_group", "location", "shown_source_url", "enabled", "status")
    list_filter = ("status", "enabled")
    search_fields = ("name", "device_group__name")
    # Never the sealed credentials, and the URL only as shown_source_url (credentials as ***).
    fields = (
        "device_group",
        "name",
        "location",
        "shown_source_url",
        "enabled",
        "status",
        "status_changed_at",
        "health_warning",
        "health_warning_at",
    )
    readonly_fields = fields

    @admin.display(description="영상 주소")
    def shown_source_url(self, device: models.Device) -> str:
        return device.shown_source_url
