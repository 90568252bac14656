"""The vault's JSON API: the existence check (존재확인) for devices, whole groups and a window.

GET /api/vault/coverage?device=ID&group=ID&site=NAME&start=…&end=… — each may repeat (a site is an
installation location: the devices in scope whose location is NAME); times are
ISO 8601, read as Korea time when they carry no offset (as the staff page's fields). Only devices in
the caller's scope (VIEW_FOOTAGE on their group) are answered; one outside it makes the whole answer 403.

POST /api/vault/recording/start and /api/vault/recording/stop {"group": KEY or name, "device": ID or
null, "reason": "…"} — an external signal (a rain sensor, a control room's system, signed in as an
account holding MANAGE_DEVICES for the group) opens or closes the recording window of an event-driven
schedule (강우시에만, 필요시: R9), as an officer does on the device page; each is audited with its reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator

from jikimi.accounts.permissions import Permission, ensure_permission
from jikimi.audit.context import Actor
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.lib.input_limits import MAX_ID, MAX_SEARCH_LENGTH, check_printable
from jikimi.rules.coverage import COVERAGE_LABELS
from jikimi.vault import queries
from jikimi.vault.actions.existence import check_existence
from jikimi.vault.actions.recording_triggers import TriggerError, start_recording, stop_recording
from jikimi.vault.forms import parse_window
from jikimi.vault.models import RecordingTrigger

router = Router(tags=["vault"])

# Inputs have limits: an id is a BIGINT, a time is short text (its range is checked by parse_window),
# and a request names a bounded number of devices, groups and sites.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Printable = Annotated[str, AfterValidator(check_printable)]
SiteName = Annotated[Printable, Field(min_length=1, max_length=MAX_SEARCH_LENGTH)]
MAX_NAMED = 100


class Error(Schema):
    error: str


class IntervalOut(Schema):
    start: datetime
    end: datetime
    coverage: str  # footage | destroyed | deleted | not_scheduled | camera_down | not_recording
    label: str


class OutageOut(Schema):
    start: datetime
    end: datetime
    reason: str


class DeviceCoverageOut(Schema):
    id: int
    name: str
    device_group: str
    schedule_note: str
    intervals: list[IntervalOut]
    outages: list[OutageOut]


class CoverageOut(Schema):
    start: datetime
    end: datetime
    devices: list[DeviceCoverageOut]


def _kst(value: datetime) -> datetime:
    return value.astimezone(SEOUL)


def _answer(result: queries.DeviceCoverage) -> DeviceCoverageOut:
    return DeviceCoverageOut(
        id=result.device.pk,
        name=result.device.name,
        device_group=result.device.device_group.key,
        schedule_note=result.schedule_note,
        intervals=[
            IntervalOut(
                start=_kst(i.start),
                end=_kst(i.end),
                coverage=i.coverage.value,
                label=COVERAGE_LABELS[i.coverage],
            )
            for i in result.intervals
        ],
        outages=[
            OutageOut(start=_kst(o.start), end=_kst(o.end), reason=o.shown_reason) for o in result.outages
        ],
    )


@router.get("/coverage", response={200: CoverageOut, 400: Error, 403: Error})
def coverage(
    request: HttpRequest,
    start: str = Query(..., max_length=40),  # type: ignore[type-arg]  # noqa: B008
    end: str = Query(..., max_length=40),  # type: ignore[type-arg]  # noqa: B008
    device: list[Id] = Query([], max_length=MAX_NAMED),  # type: ignore[type-arg]  # noqa: B008 — django-ninja declares repeated query parameters so
    group: list[Id] = Query([], max_length=MAX_NAMED),  # type: ignore[type-arg]  # noqa: B008
    site: list[SiteName] = Query([], max_length=MAX_NAMED),  # type: ignore[type-arg]  # noqa: B008
) -> Status[CoverageOut | Error]:
    """Which intervals of the window have footage, and why the others have none (R20: 존재확인)."""
    ensure_permission(request.user, Permission.VIEW_FOOTAGE)
    if not device and not group and not site:
        return Status(400, Error(error="device, group 또는 site(설치 위치)를 하나 이상 지정하세요"))
    try:
        since, until = parse_window({"start": start, "end": end})
        devices = queries.requested_devices(request.user, device, group, site)
        results = check_existence(Actor.from_request(request), devices, since, until, via="api")
    except Device.DoesNotExist as missing:
        return Status(400, Error(error=str(missing)))
    except ValueError as problem:
        return Status(400, Error(error=str(problem)))
    return Status(200, CoverageOut(start=_kst(since), end=_kst(until), devices=[_answer(r) for r in results]))


class TriggerIn(Schema):
    group: Printable = Field(
        min_length=1, max_length=200
    )  # the device group's key or name, as in the register
    device: Id | None = None  # one device of the group; none: every device of the group
    reason: Printable = Field(max_length=300)  # as the device page's form


class TriggerOut(Schema):
    id: int
    device_group: str
    device: int | None
    start: datetime
    end: datetime | None
    start_reason: str
    stop_reason: str


def _trigger_out(trigger: RecordingTrigger) -> TriggerOut:
    return TriggerOut(
        id=trigger.pk,
        device_group=trigger.device_group.key,
        device=trigger.device_id,
        start=_kst(trigger.start),
        end=_kst(trigger.end) if trigger.end else None,
        start_reason=trigger.start_reason,
        stop_reason=trigger.stop_reason,
    )


def _signal(request: HttpRequest, body: TriggerIn, action: Any) -> Status[TriggerOut | Error]:
    # R36: authorize before answering. The group is looked up among the caller's own groups, so that
    # neither an answer nor its list of choices tells anything of other departments or institutions,
    # and a key that two institutions share (bus-lane) still names the caller's own group.
    ensure_permission(request.user, Permission.MANAGE_DEVICES)
    try:
        group = queries.resolve_group(
            body.group, among=queries.groups_for(request.user, Permission.MANAGE_DEVICES)
        )
    except queries.GroupNotFound as missing:
        raise PermissionDenied(
            "기기 관리 권한이 있는 기기 묶음 중에 요청한 이름·식별자(group)가 없습니다"
            f" (권한이 있는 기기 묶음: {missing.choices or '없음'})"
        ) from missing
    except queries.GroupLookupError as problem:
        return Status(400, Error(error=str(problem)))
    ensure_permission(request.user, Permission.MANAGE_DEVICES, device_group=group)
    device = None
    if body.device is not None:
        device = Device.objects.filter(pk=body.device, device_group=group).first()
        if device is None:
            return Status(400, Error(error=f"'{group.name}'에 기기 {body.device}번이 없습니다"))
    try:
        trigger = action(Actor.from_request(request), group, device=device, reason=body.reason)
    except TriggerError as problem:
        return Status(400, Error(error=str(problem)))
    return Status(200, _trigger_out(trigger))


@router.post("/recording/start", response={200: TriggerOut, 400: Error, 403: Error})
def recording_start(request: HttpRequest, body: TriggerIn) -> Status[TriggerOut | Error]:
    """Start recording an event-driven device or group (강우시, 필요시: R9), with the reason; audited."""
    return _signal(request, body, start_recording)


@router.post("/recording/stop", response={200: TriggerOut, 400: Error, 403: Error})
def recording_stop(request: HttpRequest, body: TriggerIn) -> Status[TriggerOut | Error]:
    """Stop the recording started for that device or group, with the reason; audited."""
    return _signal(request, body, stop_recording)
