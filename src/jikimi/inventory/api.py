"""The register's JSON API: reconciliation of the published register against the devices in jikimi.

GET /api/inventory/reconciliation[?institution=SLUG] — every group the caller may see (VIEW_REGISTER,
scoped exactly as the register pages), each with its locations, and the declared totals whose groups
the caller all sees. GET /api/inventory/groups/{id}/reconciliation — one group (403 outside scope).
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import AfterValidator

from jikimi.accounts.permissions import Permission, ensure_permission
from jikimi.inventory import models
from jikimi.inventory.reconciliation import GroupTally, Tally, reconcile, reconcile_for
from jikimi.lib.input_limits import MAX_ID, check_printable

router = Router(tags=["inventory"])


class Error(Schema):
    error: str


class DeviceOut(Schema):
    id: int
    name: str
    location: str  # the location's key ("" when none)


class TallyOut(Schema):
    stated: int | None  # what the published register says; null: not published
    registered: int  # devices registered in jikimi
    connected: int  # of them, with a live source and enabled
    difference: int | None  # registered − stated; null when the count is not published
    never_delivered: list[DeviceOut]  # devices whose recorder has never delivered footage


class LocationOut(Schema):
    key: str
    name: str
    retention: str  # the location's own ("" = the group's)
    recording_hours: str
    tally: TallyOut


class GroupOut(Schema):
    id: int
    institution: str
    key: str
    name: str
    department: str
    kind: str
    tally: TallyOut
    locations: list[LocationOut]
    unlocated: TallyOut  # devices without a location


class TotalOut(Schema):
    institution: str
    label: str
    groups: list[str]
    tally: TallyOut


class ReconciliationOut(Schema):
    stated: int
    registered: int
    connected: int
    never_delivered: int
    totals: list[TotalOut]
    groups: list[GroupOut]


def _tally(tally: Tally) -> TallyOut:
    return TallyOut(
        stated=tally.stated,
        registered=tally.registered,
        connected=tally.connected,
        difference=tally.difference,
        never_delivered=[
            DeviceOut(id=d.pk, name=d.name, location=d.location.key if d.location else "")
            for d in tally.never_delivered
        ],
    )


def _group(row: GroupTally) -> GroupOut:
    group = row.group
    return GroupOut(
        id=group.pk,
        institution=group.institution.slug,
        key=group.key,
        name=group.name,
        department=group.department_name,  # "" where the published text gives none (issue 16)
        kind=group.kind,
        tally=_tally(row.tally),
        locations=[
            LocationOut(
                key=place.location.key,
                name=place.location.name,
                retention=place.location.retention,
                recording_hours=place.location.recording_hours,
                tally=_tally(place.tally),
            )
            for place in row.locations
        ],
        unlocated=_tally(row.unlocated),
    )


@router.get("/reconciliation", response={200: ReconciliationOut, 400: Error, 403: Error})
def reconciliation(
    request: HttpRequest,
    institution: Annotated[str, AfterValidator(check_printable)] = Query("", max_length=60),  # type: ignore[type-arg]  # noqa: B008 — an institution's slug
) -> Status[ReconciliationOut | Error]:
    """Per group and location: the register's count against the devices registered and connected."""
    ensure_permission(request.user, Permission.VIEW_REGISTER)
    chosen = None
    if institution:
        chosen = models.Institution.objects.filter(slug=institution).first()
        if chosen is None:
            return Status(400, Error(error=f"기관 '{institution}'이(가) 없습니다 (식별자 slug로 지정하세요)"))
    result = reconcile_for(request.user, chosen)
    return Status(
        200,
        ReconciliationOut(
            stated=result.stated,
            registered=result.registered,
            connected=result.connected,
            never_delivered=result.never_delivered,
            totals=[
                TotalOut(
                    institution=row.total.institution.slug,
                    label=row.total.label,
                    groups=row.groups,
                    tally=_tally(row.tally),
                )
                for row in result.totals
            ],
            groups=[_group(row) for row in result.groups],
        ),
    )


@router.get("/groups/{group_id}/reconciliation", response={200: GroupOut, 400: Error, 403: Error, 404: Error})
def group_reconciliation(
    request: HttpRequest, group_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Status[GroupOut | Error]:
    """One group's reconciliation; 403 for a group outside the caller's scope, as the group page."""
    group = models.DeviceGroup.objects.filter(pk=group_id).first()
    if group is None:
        return Status(404, Error(error=f"기기 묶음 {group_id}번이 없습니다"))
    ensure_permission(request.user, Permission.VIEW_REGISTER, device_group=group)
    return Status(200, _group(reconcile(models.DeviceGroup.objects.filter(pk=group.pk))[0]))
