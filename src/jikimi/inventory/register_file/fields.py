"""The register file's fields per entry, in the documented order (docs/register-format.md)."""

from __future__ import annotations

from typing import Any

GROUP_FIELDS = (
    "name", "kind", "mobile_type", "status", "legal_bases", "purpose", "enabling_law", "classification_primary",
    "classification_secondary", "count", "site", "site_count", "coverage", "recording_hours", "recording_schedule",
    "notice_method", "retention", "retention_days", "retention_reason", "storage_place", "processing_method",
    "monitoring_method", "monitoring_place", "off_hours_monitoring", "locations_complete", "attachment", "attachment_date", "notes",
)  # fmt: skip
INSTITUTION_FIELDS = (
    "name",
    "slug",
    "scope_statement",
    "address",
    "phone",
    "website",
    "head_title",
    "source",
    "notes",
    "destruction_grace_days",
    "legal_bases",
    "mobile_legal_bases",
    "mobile_rule",
)
OFFICER_FIELDS = ("name", "position", "grade", "team", "phone", "email")
CONTRACTOR_FIELDS = (
    "task", "company", "contact", "period_start", "period_end", "clause_purpose_scope", "clause_subcontract_limit",
    "clause_access_safety", "clause_inspection", "clause_liability",
)  # fmt: skip
LOCATION_FIELDS = (
    "name",
    "count",
    "coverage",
    "building",
    "space_type",
    "retention",
    "retention_days",
    "recording_hours",
    "recording_schedule",
    "storage_place",
    "latitude",
    "longitude",
)
# Written on export only when set (the machine meaning the officer states where the published words
# have none, issue 16), so that registers without them keep their bytes.
WRITTEN_WHEN_SET = ("recording_schedule", "retention_days", "attachment_date")
FEE_FIELDS = ("item", "unit", "amount", "basis")
POLICY_FIELDS = (
    "title", "kind", "article_style", "preamble", "change_notice_days", "first_enacted_on", "announced_on",
    "effective_on", "content_department", "content_phone",
)  # fmt: skip


def pick(entry: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in names}
