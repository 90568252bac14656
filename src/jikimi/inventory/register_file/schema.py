"""The register file's shape, as pydantic models: a key is a model field name, unknown keys are errors.

Titles come from the Django models' verbose names, so an error can say "설치 대수" and not only
"count". Types are strict (a count written as "23" in quotes is refused, not guessed); dates are
read from `YYYY-MM-DD` text. Empty values (`phone:`) are read as empty text.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.db import models as django_models
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jikimi.inventory import models
from jikimi.rules.ptz import DEFAULT_TOLERANCE, PAN_TILT_RANGE, ZOOM_RANGE
from jikimi.rules.retention import STANDARD_DESTRUCTION_GRACE_DAYS

FORMAT = "jikimi-register/1"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def _empty_text(value: Any) -> Any:
    return "" if value is None else value


def _printable(value: str) -> str:
    # Control characters (NUL among them: PostgreSQL cannot store it) have no place in a register;
    # line breaks and tabs do.
    bad = sorted({c for c in value if (ord(c) < 32 and c not in "\n\t") or ord(c) == 127})
    if bad:
        codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
        raise ValueError(f"제어 문자({codes})는 쓸 수 없습니다")
    return value


# Inputs have limits: far above any real register (the largest seed has 23 groups, 23 locations in
# one group), low enough that a malformed file is refused before it costs minutes of work.
MAX_GROUPS = 2_000
MAX_LOCATIONS = 10_000  # in one group
MAX_ENTRIES = 1_000  # departments, officers, contractors, totals, sections, revisions; names in a list
MAX_TEXT = 50_000  # characters of one text without a column limit (a policy section's body)

Text = Annotated[str, BeforeValidator(_empty_text), AfterValidator(_printable), Field(max_length=MAX_TEXT)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1)]
Count = Annotated[int, Field(ge=0)]
Day = Annotated[date, Field(strict=False)]


# A field of one line (a name, a phone number, a reference): a line break there would be printed as
# two lines in the policy's tables and fail the next import — refused, naming the field.
ONE_LINE: dict[str, Any] = {"one_line": True}
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"


def f(model: type[django_models.Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """A pydantic field titled with the Django field's verbose name (and its max_length)."""
    field = model._meta.get_field(name)
    title = str(getattr(field, "verbose_name", name))
    max_length = getattr(field, "max_length", None)
    if max_length and "max_length" not in kwargs and isinstance(field, django_models.CharField):
        kwargs["max_length"] = max_length
    if isinstance(field, django_models.CharField):
        kwargs.setdefault("json_schema_extra", ONE_LINE)
    if "default_factory" in kwargs:
        return Field(title=title, **kwargs)
    return Field(default, title=title, **kwargs)


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _one_line(cls, value: Any, info: ValidationInfo) -> Any:
        extra = cls.model_fields[info.field_name].json_schema_extra if info.field_name else None
        one_line = isinstance(extra, dict) and extra.get("one_line")
        if one_line and isinstance(value, str) and any(c in _LINE_BREAKS for c in value):
            raise ValueError("한 줄로 적어야 합니다 (줄바꿈을 쓸 수 없는 항목입니다)")
        return value


class InstitutionEntry(Entry):
    name: Text = f(models.Institution, "name", min_length=1)
    slug: Slug = f(models.Institution, "slug")
    scope_statement: Text = f(models.Institution, "scope_statement", "")
    address: Text = f(models.Institution, "address", "")
    phone: Text = f(models.Institution, "phone", "")
    website: Text = f(models.Institution, "website", "")
    head_title: Text = f(models.Institution, "head_title", "")
    source: Text = f(models.Institution, "source", "")
    notes: Text = f(models.Institution, "notes", "")
    destruction_grace_days: int = f(
        models.Institution, "destruction_grace_days", STANDARD_DESTRUCTION_GRACE_DAYS, ge=0, le=30
    )
    # R1: the bases the policy states once for all its fixed (법 제25조①) and mobile (법 제25조의2①)
    # devices; a group that states none rests on these (issue 16).
    legal_bases: list[str] = f(
        models.Institution, "legal_bases", default_factory=list, max_length=MAX_ENTRIES
    )
    mobile_legal_bases: list[str] = f(
        models.Institution, "mobile_legal_bases", default_factory=list, max_length=MAX_ENTRIES
    )
    mobile_rule: Text = f(models.Institution, "mobile_rule", "")


class DepartmentEntry(Entry):
    key: Slug = f(models.Department, "key")
    name: Text = f(models.Department, "name", min_length=1)
    parent: Text = Field("", title="상위 부서", json_schema_extra=ONE_LINE)
    phone: Text = f(models.Department, "phone", "")
    # As published: own (자체) or outsourced (위탁) operation; empty = the policy does not say.
    operation: Literal["", "own", "outsourced"] = f(models.Department, "operation", "")
    operator: Text = Field("", title="운영 수탁자", json_schema_extra=ONE_LINE)  # a contractor's key


class OfficerEntry(Entry):
    key: Slug = f(models.Officer, "key")
    department: Text = Field("", title="소속 부서", json_schema_extra=ONE_LINE)
    name: Text = f(models.Officer, "name", "")
    position: Text = f(models.Officer, "position", "")
    grade: Text = f(models.Officer, "grade", "")
    team: Text = f(models.Officer, "team", "")
    phone: Text = f(models.Officer, "phone", "")
    email: Text = f(models.Officer, "email", "")


class ContractorEntry(Entry):
    key: Slug = f(models.Contractor, "key")
    task: Text = f(models.Contractor, "task", min_length=1)
    company: Text = f(models.Contractor, "company", min_length=1)
    contact: Text = f(models.Contractor, "contact", "")
    period_start: Day | None = f(models.Contractor, "period_start", None)
    period_end: Day | None = f(models.Contractor, "period_end", None)
    supervising_department: Text = Field("", title="감독부서", json_schema_extra=ONE_LINE)
    clause_purpose_scope: bool = f(models.Contractor, "clause_purpose_scope", False)
    clause_subcontract_limit: bool = f(models.Contractor, "clause_subcontract_limit", False)
    clause_access_safety: bool = f(models.Contractor, "clause_access_safety", False)
    clause_inspection: bool = f(models.Contractor, "clause_inspection", False)
    clause_liability: bool = f(models.Contractor, "clause_liability", False)


def _location_needs_a_key(value: Any) -> Any:
    # A location is known by its key across imports (devices point at it), so a bare name is not enough.
    if isinstance(value, str):
        raise ValueError(
            f"위치 '{value}'에 식별자(key)가 없습니다 — {{key: 영문-식별자, name: {value}}}처럼 적으세요"
        )
    return value


SpaceType = Literal["general", "bathroom", "toilet", "sweating_room", "changing_room"]


class LocationEntry(Entry):
    key: Slug = f(models.Location, "key")
    name: Text = f(models.Location, "name", min_length=1)
    # null or omitted: the published register does not say how many of the group's devices are here
    # (no silent 1: a number the institution did not publish would be printed as its fact).
    count: Annotated[int, Field(ge=1)] | None = f(models.Location, "count", None)
    coverage: Text = f(models.Location, "coverage", "")
    building: Text = f(models.Location, "building", "")
    space_type: SpaceType = f(models.Location, "space_type", "general")
    retention: Text = f(models.Location, "retention", "")
    retention_days: Annotated[int, Field(ge=1)] | None = f(models.Location, "retention_days", None)
    recording_hours: Text = f(models.Location, "recording_hours", "")
    recording_schedule: Text = f(models.Location, "recording_schedule", "")
    storage_place: Text = f(models.Location, "storage_place", "")
    # WGS84 degrees as the institution publishes them; omitted or null: not published (never a guess).
    # Korea's bounds and "both or neither" are the model's (Location.clean), checked with the file's line.
    latitude: float | None = f(models.Location, "latitude", None)
    longitude: float | None = f(models.Location, "longitude", None)
    # Devices to move here on this import: "group-key/location-key" (a location, of this group or
    # another), or "group-key" (that group's devices that have no location). Without it, an import that
    # removes a location or group that still has devices is refused. Not exported: it is an instruction.
    devices_from: list[Text] = Field(default_factory=list, title="기기를 옮겨 올 곳", max_length=MAX_ENTRIES)


class DeviceGroupEntry(Entry):
    key: Slug = f(models.DeviceGroup, "key")
    name: Text = f(models.DeviceGroup, "name", min_length=1)
    # null: the published text names no department for these devices (issue 16: not published, never
    # made up); R36 then scopes the group to the whole institution (DeviceGroup.department).
    department: (
        Annotated[str, AfterValidator(_printable), Field(min_length=1, max_length=MAX_TEXT)] | None
    ) = Field(title="관리부서", json_schema_extra=ONE_LINE)
    # Omitted: mobile when a mobile type is written (a camera mounted on a vehicle is 이동형 under
    # 법 제25조의2, 영 제3조②), else fixed.
    kind: Literal["fixed", "mobile"] = f(models.DeviceGroup, "kind", "fixed")
    mobile_type: Literal["", "wearable", "handheld", "mounted"] = f(models.DeviceGroup, "mobile_type", "")
    status: Literal["planned", "operating", "retired"] = f(models.DeviceGroup, "status", "operating")
    legal_bases: list[str] = f(
        models.DeviceGroup, "legal_bases", default_factory=list, max_length=MAX_ENTRIES
    )
    purpose: Text = f(models.DeviceGroup, "purpose", min_length=1)
    # R1: the law a 1호 (law_permits) basis rests on. null: the published text cites 1호 but names no
    # law — not published is a value (issue 16), never a sentence written in the institution's name;
    # the import warns and publishing waits until the law is recorded. Omitted or "": none written
    # (refused under 1호).
    enabling_law: Annotated[str, AfterValidator(_printable), Field(max_length=MAX_TEXT)] | None = f(
        models.DeviceGroup, "enabling_law", ""
    )
    classification_primary: Text = f(models.DeviceGroup, "classification_primary", "")
    classification_secondary: Text = f(models.DeviceGroup, "classification_secondary", "")
    # null or omitted: not published (a county that states only its total); the site likewise.
    count: Count | None = f(models.DeviceGroup, "count", None)
    site: Text = f(models.DeviceGroup, "site", "")
    site_count: Count | None = f(models.DeviceGroup, "site_count", None)
    coverage: Text = f(models.DeviceGroup, "coverage", "")
    recording_hours: Text = f(models.DeviceGroup, "recording_hours", "")
    # The machine meaning of published words that have none ("산불기간"): the recorder's schedule.
    recording_schedule: Text = f(models.DeviceGroup, "recording_schedule", "")
    # Omitted: the institution did not publish how it tells people (법 제25조④) — not "안내판" by
    # default, which the policy would print as the institution's word (issue 16, Fidelity).
    notice_method: Text = f(models.DeviceGroup, "notice_method", "")
    retention: Text = f(models.DeviceGroup, "retention", "")
    # The machine meaning of a published retention that has none: days until destruction.
    retention_days: Annotated[int, Field(ge=1)] | None = f(models.DeviceGroup, "retention_days", None)
    # R16: the reason for a retention over 30 days (or 준영구). null: the published text gives none —
    # not published is a value (issue 16), never a sentence written in the institution's name; the
    # import warns and publishing waits until the reason the institution adopted is recorded.
    # Omitted or "": none written (refused where a reason is needed).
    retention_reason: Annotated[str, AfterValidator(_printable), Field(max_length=MAX_TEXT)] | None = f(
        models.DeviceGroup, "retention_reason", ""
    )
    storage_place: Text = f(models.DeviceGroup, "storage_place", "")
    processing_method: Text = f(models.DeviceGroup, "processing_method", "")
    monitoring_method: Text = f(models.DeviceGroup, "monitoring_method", "")
    monitoring_place: Text = f(models.DeviceGroup, "monitoring_place", "")
    # 오산시 지침 제19조②: live monitoring outside the recording hours for public-interest purposes.
    off_hours_monitoring: bool = f(models.DeviceGroup, "off_hours_monitoring", False)
    managers: list[Slug] = f(models.DeviceGroup, "managers", default_factory=list, max_length=MAX_ENTRIES)
    staff: list[Slug] = f(models.DeviceGroup, "staff", default_factory=list, max_length=MAX_ENTRIES)
    contractors: list[Slug] = f(
        models.DeviceGroup, "contractors", default_factory=list, max_length=MAX_ENTRIES
    )
    locations_complete: bool = f(models.DeviceGroup, "locations_complete", False)
    attachment: Text = f(models.DeviceGroup, "attachment", "")
    attachment_date: Day | None = f(models.DeviceGroup, "attachment_date", None)
    notes: Text = f(models.DeviceGroup, "notes", "")
    locations: list[Annotated[LocationEntry, BeforeValidator(_location_needs_a_key)]] = Field(
        default_factory=list, title="설치 위치 목록", max_length=MAX_LOCATIONS
    )
    # R36: the name of the department a group with devices leaves on this import — the group's
    # devices, their footage and holds then belong to `department`, whose officers' grants decide who
    # sees them. Without it such a change is refused. Not exported: it is an instruction.
    department_from: Text = Field("", title="이전 관리부서", json_schema_extra=ONE_LINE)

    @model_validator(mode="before")
    @classmethod
    def _kind_follows_mobile_type(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data and data.get("mobile_type"):
            return {**data, "kind": "mobile"}
        return data


class DeclaredTotalEntry(Entry):
    key: Slug = f(models.DeclaredTotal, "key")
    label: Text = f(models.DeclaredTotal, "label", min_length=1)
    count: Count = f(models.DeclaredTotal, "count")
    kind: Literal["", "fixed", "mobile"] = f(models.DeclaredTotal, "kind", "")
    department: Text = Field("", title="부서", json_schema_extra=ONE_LINE)
    site: Text = f(models.DeclaredTotal, "site", "")
    legal_basis: Text = f(models.DeclaredTotal, "legal_basis", "")


class RequestFeeEntry(Entry):
    """A row of the institution's fee table (R27). `amount` must be written: a number of won, or null
    when the institution does not publish it — never a guess."""

    key: Slug = f(models.RequestFee, "key")
    item: Text = f(models.RequestFee, "item", min_length=1)
    unit: Text = f(models.RequestFee, "unit", "")
    amount: Count | None = f(models.RequestFee, "amount")
    basis: Text = f(models.RequestFee, "basis", min_length=1)


class SectionEntry(Entry):
    title: Text = Field(title="제목", min_length=1, json_schema_extra=ONE_LINE)
    generated: Text = Field("", title="생성 항목", json_schema_extra=ONE_LINE)
    body: Text = Field("", title="본문")
    # 시행령 제25조① items this section carries under a title of its own (generated keys, e.g.
    # viewing_method_place), so the generator appends no duplicate section (R4).
    covers: list[Text] = Field(default_factory=list, title="다루는 방침 항목", max_length=MAX_ENTRIES)
    # A wording the institution adopted for an item of 시행령 제25조① its 방침 lacked (issue 16): who
    # adopted it and when (YYYY-MM-DD); the audit log keeps the adoption. Printed as an ordinary section.
    adopted_by: Text = Field("", title="채택한 사람", json_schema_extra=ONE_LINE)
    adopted_on: Text = Field("", title="채택일", json_schema_extra=ONE_LINE)
    # request_form only: the seed form's boxes (R20) and its examples.
    choices: list[Text] = Field(default_factory=list, title="청구서 선택 항목", max_length=MAX_ENTRIES)
    example_period: Text = Field("", title="기록기간 예시", json_schema_extra=ONE_LINE)
    example_place: Text = Field("", title="설치장소 예시", json_schema_extra=ONE_LINE)
    policy_name: Text = Field("", title="청구서에 적힌 방침 이름", json_schema_extra=ONE_LINE)

    @field_validator("generated")
    @classmethod
    def _known_section(cls, value: str) -> str:
        if value and value not in models.PolicyDocument.GENERATED_SECTIONS:
            raise ValueError(
                f"알 수 없는 생성 항목입니다 (가능: {', '.join(models.PolicyDocument.GENERATED_SECTIONS)})"
            )
        return value


class RevisionEntry(Entry):
    key: Slug = f(models.PolicyRevision, "key")
    label: Text = f(models.PolicyRevision, "label", min_length=1)
    valid_from: Day = f(models.PolicyRevision, "valid_from")
    valid_until: Day | None = f(models.PolicyRevision, "valid_until", None)
    note: Text = f(models.PolicyRevision, "note", "")


class PolicyEntry(Entry):
    title: Text = f(models.PolicyDocument, "title", "영상정보처리기기 운영·관리방침")
    kind: Literal["standalone", "within_privacy_policy", "guideline"] = f(
        models.PolicyDocument, "kind", "standalone"
    )
    article_style: Literal["article", "numbered", "heading"] = f(
        models.PolicyDocument, "article_style", "article"
    )
    preamble: Text = f(models.PolicyDocument, "preamble", "")
    sections: list[SectionEntry] = f(
        models.PolicyDocument, "sections", default_factory=list, max_length=MAX_ENTRIES
    )
    change_notice_days: Count = f(models.PolicyDocument, "change_notice_days", 7)
    first_enacted_on: Day | None = f(models.PolicyDocument, "first_enacted_on", None)
    announced_on: Day | None = f(models.PolicyDocument, "announced_on", None)
    effective_on: Day | None = f(models.PolicyDocument, "effective_on", None)
    content_department: Text = f(models.PolicyDocument, "content_department", "")
    content_phone: Text = f(models.PolicyDocument, "content_phone", "")
    privacy_officer: Text = f(models.PolicyDocument, "privacy_officer", "")
    privacy_department: Text = f(models.PolicyDocument, "privacy_department", "")
    privacy_contact: Text = f(models.PolicyDocument, "privacy_contact", "")
    scope_department: Text = f(models.PolicyDocument, "scope_department", "")  # a department's name
    revisions: list[RevisionEntry] = Field(default_factory=list, title="제·개정 이력", max_length=MAX_ENTRIES)


# R14 (법 제25조⑤; 오산시 지침 제18조, 제29조①): the views the register approves for the PTZ cameras at a
# location, and the areas they must not look into. ONVIF generic spaces: pan, tilt -1…1, zoom 0…1.
PanTilt = Annotated[float, Field(ge=PAN_TILT_RANGE[0], le=PAN_TILT_RANGE[1])]
Zoom = Annotated[float, Field(ge=ZOOM_RANGE[0], le=ZOOM_RANGE[1])]


class PtzPresetEntry(Entry):
    key: Slug = f(models.PtzPreset, "key")
    name: Text = f(models.PtzPreset, "name", min_length=1)
    pan: PanTilt = f(models.PtzPreset, "pan")
    tilt: PanTilt = f(models.PtzPreset, "tilt")
    zoom: Zoom = f(models.PtzPreset, "zoom")
    tolerance: Annotated[float, Field(ge=0.0, le=0.5)] = f(models.PtzPreset, "tolerance", DEFAULT_TOLERANCE)
    camera_preset: Text = f(models.PtzPreset, "camera_preset", "")


class PrivacyZoneEntry(Entry):
    key: Slug = f(models.PrivacyZone, "key")
    name: Text = f(models.PrivacyZone, "name", min_length=1)
    # [from, to]; a pan range from > to wraps around behind the camera (0.9 → 1 = -1 → -0.9).
    pan: list[PanTilt] = Field(title="팬 범위", min_length=2, max_length=2)
    tilt: list[PanTilt] = Field(title="틸트 범위", min_length=2, max_length=2)
    zoom_min: Zoom = f(models.PrivacyZone, "zoom_min", 0.0)

    @field_validator("tilt")
    @classmethod
    def _tilt_ascending(cls, value: list[float]) -> list[float]:
        if value[0] > value[1]:
            raise ValueError(f"틸트 범위는 [아래, 위] 순서로 적습니다 (적힌 값: {value[0]}, {value[1]})")
        return value


class PtzEntry(Entry):
    location: Text = Field(
        title="위치 (기기 묶음 식별자/위치 식별자)", min_length=1, json_schema_extra=ONE_LINE
    )
    presets: list[PtzPresetEntry] = Field(title="승인 프리셋", min_length=1, max_length=MAX_ENTRIES)
    privacy_zones: list[PrivacyZoneEntry] = Field(
        default_factory=list, title="사생활 보호 구역", max_length=MAX_ENTRIES
    )


class RegisterEntry(Entry):
    format: Literal["jikimi-register/1"] = Field(title="형식")
    institution: InstitutionEntry = Field(title="기관")
    departments: list[DepartmentEntry] = Field(default_factory=list, title="부서", max_length=MAX_ENTRIES)
    officers: list[OfficerEntry] = Field(default_factory=list, title="담당자", max_length=MAX_ENTRIES)
    contractors: list[ContractorEntry] = Field(default_factory=list, title="위탁", max_length=MAX_ENTRIES)
    device_groups: list[DeviceGroupEntry] = Field(
        default_factory=list, title="설치·운영 현황", max_length=MAX_GROUPS
    )
    declared_totals: list[DeclaredTotalEntry] = Field(
        default_factory=list, title="공표 합계", max_length=MAX_ENTRIES
    )
    request_fees: list[RequestFeeEntry] = Field(
        default_factory=list, title="열람 등 수수료", max_length=MAX_ENTRIES
    )
    policy: PolicyEntry | None = Field(None, title="운영·관리방침")
    # Written only when the register has PTZ cameras, so that registers without them keep their bytes.
    ptz: list[PtzEntry] = Field(default_factory=list, title="PTZ 승인 범위", max_length=MAX_ENTRIES)


__all__ = ["FORMAT", "RegisterEntry"]
