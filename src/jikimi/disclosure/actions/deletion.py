"""A deletion request carried out (법 제36조, R24): the request's footage destroyed, unless it is needed.

The footage concerned is that of the devices at the request's sites over its window (without the
margin of the intake hold). It is not destroyed — the request is to be refused with the ground named
here (R23) — when another legal hold needs it (an investigation, a court, another person's request), or
another person's open request names the same sites and time. The hold placed by this very request
(case reference `request.hold_reference`) is ended first: its copies are the request's own footage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.disclosure.models import SubjectRequest
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL, today
from jikimi.rules.refusal_grounds import (
    HELD_FOR_INVESTIGATION,
    NEEDED_BY_ANOTHER_REQUEST,
    grounds_for,
)
from jikimi.vault.actions.holds import end_holds_for_case
from jikimi.vault.actions.segment_destruction import destroy_segments
from jikimi.vault.models import Destruction, LegalHold


@dataclass(frozen=True)
class Blocker:
    """Why the footage cannot be deleted, and the refusal ground to give (R23)."""

    message: str
    ground: str


class DeletionBlocked(ValueError):
    def __init__(self, blockers: list[Blocker]) -> None:
        self.blockers = blockers
        super().__init__(
            "삭제할 수 없습니다: "
            + "; ".join(b.message for b in blockers)
            + ". 거부로 결정하고 해당 사유를 고르세요"
        )


def devices_of(request: SubjectRequest) -> list[Device]:
    return list(Device.objects.filter(location__in=request.locations.all()).order_by("pk"))


def blockers(request: SubjectRequest) -> list[Blocker]:
    """Everything that keeps the request's footage from being deleted now (empty: it may be)."""
    devices = devices_of(request)
    if not devices:
        ground = (
            "osan_deletion_difficult"
            if any(g.code == "osan_deletion_difficult" for g in grounds_for(request.institution.slug))
            else "just_cause"
        )
        return [
            Blocker(
                "청구서의 설치장소가 대장의 위치로 정해지지 않아 삭제할 영상을 특정할 수 없습니다", ground
            )
        ]
    found: list[Blocker] = []
    holds = LegalHold.objects.filter(
        device__in=devices,
        released_at__isnull=True,
        start__lt=request.period_end,
        end__gt=request.period_start,
    ).exclude(case_reference=request.hold_reference)
    for hold in holds.select_related("device"):
        if hold.case_reference.startswith("disclosure:"):
            found.append(
                Blocker(
                    f"{hold.device.name}의 영상을 다른 청구가 보존하고 있습니다", NEEDED_BY_ANOTHER_REQUEST
                )
            )
        else:
            found.append(
                Blocker(
                    f"{hold.device.name}의 영상이 분리 보관 중입니다 ({hold.basis})", HELD_FOR_INVESTIGATION
                )
            )
    others = (
        SubjectRequest.objects.filter(
            institution=request.institution,
            locations__in=request.locations.all(),
            period_start__lt=request.period_end,
            period_end__gt=request.period_start,
        )
        .exclude(pk=request.pk)
        .exclude(state__in=[SubjectRequest.State.CLOSED, SubjectRequest.State.WITHDRAWN])
        .distinct()
    )
    for other in others:
        found.append(
            Blocker(
                f"다른 사람의 청구({other.receipt_number})가 같은 영상을 대상으로 진행 중입니다",
                NEEDED_BY_ANOTHER_REQUEST,
            )
        )
    return found


def not_yet(request: SubjectRequest) -> str:
    """Why the footage cannot be deleted today (its last day is still being recorded), or "".

    Checked before the request's own hold is ended: the vault destroys no footage of a day still
    being recorded (vault.actions.segment_destruction).
    """
    last_day = timezone.localtime(request.period_end - timedelta(microseconds=1), SEOUL).date()
    if last_day >= today():
        return f"기록기간이 {last_day:%Y-%m-%d}까지라 그날의 녹화가 끝난 다음 날부터 삭제할 수 있습니다"
    return ""


def end_own_holds(actor: Actor, request: SubjectRequest) -> list[Destruction]:
    """End the hold placed for `request` (its copies are the footage to delete); vault audits it."""
    endings = end_holds_for_case(actor, request.hold_reference, reason="삭제 청구에 따른 삭제")
    return [e.destruction for e in endings]


def destroy_request_footage(actor: Actor, request: SubjectRequest) -> list[Destruction]:
    """Destroy the request's footage on every device at its sites (in the caller's transaction)."""
    destroyed: list[Destruction] = []
    for device in devices_of(request):
        destroyed += destroy_segments(
            actor,
            device,
            request.period_start,
            request.period_end,
            reason=f"삭제 청구 {request.receipt_number} (개인정보 보호법 제36조)",
        )
    return destroyed
