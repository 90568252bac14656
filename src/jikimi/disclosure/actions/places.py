"""Giving a typed 설치장소 its sites (R18, R20; issue 13: the place is "chosen on the institution's own
list of sites or typed").

A request whose place was only typed ("시청 후문 주차장 입구 쪽") names no device: intake could place no
legal hold and the desk can check no footage, so the footage would expire with its retention while the
request waits. An officer who knows the institution's sites reads the typed place (and the sketch, if
one came) and says which sites it means. That one action, in one transaction with its audit entry:
adds the sites to the request (the typed text is kept as it was), places the legal hold on their
footage — the request's window widened by the intake margin, until the same end (actions.intake.
place_holds) — and records who did it, when and why. From then on the existence check, the masked copy
and the scope of the request read those sites as if the requester had chosen them.

Least privilege (R36): an officer gives only sites of the device groups they handle requests for; the
other department's sites are given by that department, or by someone with an institution-wide grant.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import RequestError, checked_text
from jikimi.disclosure.actions.intake import delete_held, place_holds
from jikimi.disclosure.models import PlaceResolution, SubjectRequest
from jikimi.inventory.models import Location

MAX_NOTE = 300
FIELD = "locations"


def may_give(user: object, location: Location) -> bool:
    """The officer handles requests on the site's device group (or the whole institution)."""
    return has_permission(user, Permission.HANDLE_REQUESTS, device_group=location.device_group)


def resolve_place(
    actor: Actor, request: SubjectRequest, locations: Sequence[Location], note: str = ""
) -> PlaceResolution:
    """Give the request's typed place the sites `locations`, hold their footage; audited, all or nothing."""
    note = checked_text(note, "note", "지정 근거", MAX_NOTE, required=False)
    if actor.user is None:
        raise RequestError("설치장소는 지정한 담당자의 계정으로만 기록할 수 있습니다")
    chosen = list(dict.fromkeys(locations))
    if not chosen:
        raise RequestError("설치장소: 직접 입력한 장소에 해당하는 설치장소를 하나 이상 고르세요", FIELD)
    held: list[str] = []
    try:
        with transaction.atomic():
            request = (
                SubjectRequest.objects.select_for_update().select_related("institution").get(pk=request.pk)
            )
            _check(actor, request, chosen)
            resolution = PlaceResolution.objects.create(
                request=request,
                place_text=request.place_text,
                note=note,
                resolved_by=actor.user,
                resolved_by_label=actor.label,
                resolved_at=timezone.now(),
            )
            resolution.locations.set(chosen)
            request.locations.add(*chosen)
            resolution.holds = place_holds(actor, request, chosen, held)
            resolution.save(update_fields=["holds"])
            record(
                actor,
                AuditEvent.DISCLOSURE_RESOLVE_PLACE,
                request,
                reason=note or f"직접 입력한 설치장소 지정: {request.place_text}"[:300],
                details={
                    "receipt_number": request.receipt_number,
                    "place_text": request.place_text,
                    "locations": [location.name for location in chosen],
                    "holds": resolution.holds,
                },
            )
    except BaseException:
        delete_held(held)
        raise
    return resolution


def _check(actor: Actor, request: SubjectRequest, chosen: list[Location]) -> None:
    if not request.is_open:
        raise RequestError(
            f"청구 {request.receipt_number}은(는) '{request.get_state_display()}' 상태라 설치장소를 지정할 수 "
            "없습니다"
        )
    if not request.place_text:
        raise RequestError(
            f"청구 {request.receipt_number}에는 직접 입력한 설치장소가 없습니다: 지정할 것이 없습니다"
        )
    for location in chosen:
        if location.device_group.institution_id != request.institution_id:
            raise RequestError(f"설치장소: '{location.name}'은(는) 이 기관의 설치장소가 아닙니다", FIELD)
    named = set(request.locations.values_list("pk", flat=True))
    for location in chosen:
        if location.pk in named:
            raise RequestError(f"설치장소: '{location.name}'은(는) 이미 이 청구의 설치장소입니다", FIELD)
        if not may_give(actor.user, location):
            raise RequestError(
                f"설치장소: '{location.name}'({location.device_group.name})은(는) 담당 범위 밖입니다 — "
                "그 부서의 담당자나 기관 전체를 맡은 담당자(개인정보 보호책임자)가 지정하세요",
                FIELD,
            )
