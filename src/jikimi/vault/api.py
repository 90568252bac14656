"""The vault's JSON API: the existence check (존재확인) for devices, whole groups and a window.

GET /api/vault/coverage?device=ID&group=ID&site=NAME&start=…&end=… — each may repeat (a site is an
installation location: the devices in scope whose location is NAME); times are
ISO 8601, read as Korea time when they carry no offset (as the staff page's fields). Only devices in
the caller's scope (VIEW_FOOTAGE on their group) are answered; one outside it makes the whole answer 403.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from jikimi.accounts.permissions import Permission, ensure_permission
from jikimi.inventory.models import Device
from jikimi.rules.coverage import COVERAGE_LABELS
from jikimi.vault import queries
from jikimi.vault.forms import parse_window
from jikimi.vault.models import SEOUL

router = Router(tags=["vault"])


class Error(Schema):
    error: str


class IntervalOut(Schema):
    start: datetime
    end: datetime
    coverage: str  # footage | destroyed | not_scheduled | camera_down | not_recording
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
        outages=[OutageOut(start=_kst(o.start), end=_kst(o.end), reason=o.reason) for o in result.outages],
    )


@router.get("/coverage", response={200: CoverageOut, 400: Error, 403: Error})
def coverage(
    request: HttpRequest,
    start: str,
    end: str,
    device: list[int] = Query([]),  # noqa: B008 — django-ninja declares repeated query parameters so
    group: list[int] = Query([]),  # noqa: B008
    site: list[str] = Query([]),  # noqa: B008
) -> Status[CoverageOut | Error]:
    """Which intervals of the window have footage, and why the others have none (R20: 존재확인)."""
    ensure_permission(request.user, Permission.VIEW_FOOTAGE)
    if not device and not group and not site:
        return Status(400, Error(error="device, group 또는 site(설치 위치)를 하나 이상 지정하세요"))
    try:
        since, until = parse_window({"start": start, "end": end})
        devices = queries.requested_devices(request.user, device, group, site)
        results = [queries.device_coverage(d, since, until) for d in devices]
    except Device.DoesNotExist as missing:
        return Status(400, Error(error=str(missing)))
    except ValueError as problem:
        return Status(400, Error(error=str(problem)))
    return Status(200, CoverageOut(start=_kst(since), end=_kst(until), devices=[_answer(r) for r in results]))
