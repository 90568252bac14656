"""Legal holds (법 제21조③, R18): keep footage another law requires, apart and under its own key.

Placing a hold re-encrypts every live segment it covers under a new hold key into the hold store
(engine.footage.holds), so that the day keys can still be destroyed on time (R17) while the held copies
survive. Segments indexed later (a late upload) are copied by the retention sweep before it destroys
their day key (`secure_held_segments`). Releasing a hold destroys its key — crypto-shredding the copies:
footage whose day is still within retention lives on under its day key ("returns to normal retention");
footage already past retention is thereby destroyed at once — unless another active hold covers it:
the copies it lacks are first handed over to it (`_hand_over`), so one hold's end never destroys
what another still requires.

A hold ends in one of three ways, each audited with its reason: an officer releases it
(`release_hold`), its end date comes (`end_due_holds`, run by the daily retention sweep), or the case
it was placed for ends (`end_holds_for_case`, called by the request workflow). Until then an officer
may extend it with a reason (`extend_hold`).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.engine.footage import DataKey, FootageError, hold_key_id, hold_segment
from jikimi.inventory.models import Device
from jikimi.lib.clock import today
from jikimi.vault import keyring
from jikimi.vault.actions.collection import collect_garbage
from jikimi.vault.models import Destruction, HeldSegment, LegalHold, Segment


class HoldError(ValueError):
    """A hold that cannot be placed or released as asked; the message says why."""


@dataclass(frozen=True)
class HoldEnding:
    """A hold that ended, and the destruction of its key (R19)."""

    hold: LegalHold
    destruction: Destruction


@dataclass(frozen=True)
class Copy:
    segment: Segment
    object_name: str
    location: str
    stored_bytes: int
    plaintext_sha256: str


def _copy(hold_token: str, hold_key: DataKey, segments: list[Segment]) -> list[Copy]:
    """Re-encrypt `segments` under the hold key into the hold store; all or nothing."""
    source, target = keyring.footage_store(), keyring.hold_store()
    copies: list[Copy] = []
    try:
        for segment in segments:
            day_key = keyring.unwrap(segment.day_key.wrapped_key, segment.day_key.key_id)
            name = f"{keyring.HOLD_PREFIX}{hold_token}/{segment.object_name.rsplit('/', 1)[-1]}"
            held = hold_segment(
                source,
                segment.object_name,
                day_key,
                hold_key,
                target,
                name,
                expected_plaintext_sha256=segment.plaintext_sha256,
            )
            copies.append(Copy(segment, held.name, held.location, held.size, held.plaintext_sha256))
    except BaseException:
        _delete_objects([c.object_name for c in copies])
        raise
    return copies


def _delete_objects(names: list[str]) -> None:
    store = keyring.hold_store()
    for name in names:
        with contextlib.suppress(FootageError):
            store.delete(name)


def _live_segments(device: Device, start: datetime, end: datetime) -> QuerySet[Segment]:
    return Segment.objects.filter(
        device=device, start__lt=end, end__gt=start, day_key__wrapped_key__isnull=False
    ).select_related("day_key")


def _held_rows(hold: LegalHold, copies: list[Copy]) -> list[HeldSegment]:
    return [
        HeldSegment(
            hold=hold,
            device=hold.device,
            day=c.segment.day_key.day,
            start=c.segment.start,
            end=c.segment.end,
            source_object=c.segment.object_name,
            object_name=c.object_name,
            location=c.location,
            stored_bytes=c.stored_bytes,
            plaintext_sha256=c.plaintext_sha256,
        )
        for c in copies
    ]


def place_hold(
    actor: Actor,
    device: Device,
    start: datetime,
    end: datetime,
    *,
    basis: str,
    requester: str,
    ends_on: date,
    case_reference: str = "",
) -> LegalHold:
    """Hold `device`'s footage in [start, end) until `ends_on`, or the case `case_reference` ends, or
    an officer releases it (R18); copies it under a hold key."""
    if not basis.strip():
        raise HoldError("보존 근거를 입력하세요 (예: 수사기관 보존 요청 공문 번호)")
    if not requester.strip():
        raise HoldError("요청자를 입력하세요")
    if end <= start:
        raise HoldError("보존 구간의 끝이 시작보다 늦어야 합니다")
    if ends_on <= today():
        raise HoldError(f"보존 종료일({ends_on:%Y-%m-%d})은 오늘 이후여야 합니다")
    token = f"{device.storage_name}-{secrets.token_hex(8)}"
    hold_key = DataKey.generate(hold_key_id(token))
    segments = list(_live_segments(device, start, end))
    copies = _copy(token, hold_key, segments)
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(
                device=device,
                start=start,
                end=end,
                basis=basis.strip(),
                requester=requester.strip(),
                ends_on=ends_on,
                case_reference=case_reference.strip(),
                placed_by=actor.user,
                key_id=hold_key.key_id,
                wrapped_key=keyring.master_key().wrap(hold_key),
            )
            HeldSegment.objects.bulk_create(_held_rows(hold, copies))
            record(
                actor,
                AuditEvent.VAULT_PLACE_HOLD,
                hold,
                reason=basis.strip(),
                details={
                    "device": device.pk,
                    "start": start,
                    "end": end,
                    "requester": requester.strip(),
                    "ends_on": ends_on,
                    "case_reference": case_reference.strip(),
                    "segments": len(copies),
                },
            )
    except BaseException:
        _delete_objects([c.object_name for c in copies])
        raise
    return hold


def active_holds_over(spans: Iterable[tuple[int, datetime, datetime]]) -> dict[int, list[LegalHold]]:
    """Active holds overlapping any of `spans` (device id, start, end), by device id: one query.

    The retention sweep asks this once per batch of day keys, so that a key no hold covers costs
    nothing more; `secure_held_segments` then runs only for the keys that have a hold.
    """
    spans = list(spans)
    if not spans:
        return {}
    holds = LegalHold.objects.filter(
        device_id__in={device for device, _start, _end in spans},
        released_at__isnull=True,
        start__lt=max(end for _device, _start, end in spans),
        end__gt=min(start for _device, start, _end in spans),
    )
    found: dict[int, list[LegalHold]] = {}
    for hold in holds:
        found.setdefault(hold.device_id, []).append(hold)
    return found


def secure_held_segments(
    device: Device, start: datetime, end: datetime, holds: Iterable[LegalHold] | None = None
) -> int:
    """Copy into their holds the live segments in [start, end) that an active hold covers but lacks.

    Called before a day key is destroyed, so held footage never depends on it. Returns copies made.
    `holds`: the device's active holds if the caller already has them (`active_holds_over`).
    """
    made = 0
    if holds is None:
        holds = LegalHold.objects.filter(
            device=device, released_at__isnull=True, start__lt=end, end__gt=start
        )
    for hold in holds:
        if not (hold.released_at is None and hold.start < end and hold.end > start):
            continue
        have = set(hold.copies.values_list("source_object", flat=True))
        missing = [
            s
            for s in _live_segments(device, max(start, hold.start), min(end, hold.end))
            if s.object_name not in have
        ]
        if not missing:
            continue
        hold_key = keyring.unwrap(hold.wrapped_key, hold.key_id)
        copies = _copy(hold.key_id.removeprefix("hold/"), hold_key, missing)
        try:
            with transaction.atomic():
                HeldSegment.objects.bulk_create(_held_rows(hold, copies))
        except BaseException:
            _delete_objects([c.object_name for c in copies])
            raise
        made += len(copies)
    return made


def _hand_over(hold: LegalHold) -> int:
    """Copy into the other active holds of the device the copies of `hold` they cover but lack.

    Run before `hold`'s key is destroyed: footage whose day key is already gone lives only in the
    hold copies, and another hold that still covers it must keep it (R18). Returns copies made.
    """
    others = LegalHold.objects.filter(
        device_id=hold.device_id, released_at__isnull=True, start__lt=hold.end, end__gt=hold.start
    ).exclude(pk=hold.pk)
    copies = list(hold.copies.all())
    if not copies:
        return 0
    made = 0
    source_key = keyring.unwrap(hold.wrapped_key, hold.key_id)
    store = keyring.hold_store()
    for other in others:
        have = set(other.copies.values_list("source_object", flat=True))
        missing = [
            c for c in copies if other.start < c.end and c.start < other.end and c.source_object not in have
        ]
        if not missing:
            continue
        other_key = keyring.unwrap(other.wrapped_key, other.key_id)
        token = other.key_id.removeprefix("hold/")
        rows: list[HeldSegment] = []
        try:
            for copy in missing:
                name = f"{keyring.HOLD_PREFIX}{token}/{copy.source_object.rsplit('/', 1)[-1]}"
                held = hold_segment(
                    store,
                    copy.object_name,
                    source_key,
                    other_key,
                    store,
                    name,
                    expected_plaintext_sha256=copy.plaintext_sha256,
                )
                rows.append(
                    HeldSegment(
                        hold=other,
                        device_id=hold.device_id,
                        day=copy.day,
                        start=copy.start,
                        end=copy.end,
                        source_object=copy.source_object,
                        object_name=held.name,
                        location=held.location,
                        stored_bytes=held.size,
                        plaintext_sha256=held.plaintext_sha256,
                    )
                )
            with transaction.atomic():
                HeldSegment.objects.bulk_create(rows)
        except BaseException:
            _delete_objects([r.object_name for r in rows])
            raise
        made += len(rows)
    return made


def release_hold(actor: Actor, hold: LegalHold, *, reason: str) -> Destruction:
    """An officer ends a hold (R18): its key is destroyed, its copies with it (see `_end`)."""
    return _end(actor, hold, reason=reason, event=AuditEvent.VAULT_RELEASE_HOLD)


def end_due_holds(actor: Actor, today: date) -> list[HoldEnding]:
    """End every active hold whose end date (`ends_on`) is today or past; the daily sweep runs this.

    The hold ends on its 보존 종료일: from that day its footage is kept only as long as the device's
    retention allows, and what is past retention is destroyed by the same sweep (its copies die with
    the hold key; the day keys were already destroyed on time).
    """
    ended = []
    for hold in LegalHold.objects.filter(released_at__isnull=True, ends_on__lte=today).order_by(
        "ends_on", "pk"
    ):
        destruction = _end(
            actor,
            hold,
            reason=f"보존 종료일({hold.ends_on:%Y-%m-%d}) 도래",
            event=AuditEvent.VAULT_END_HOLD_AT_END_DATE,
        )
        ended.append(HoldEnding(hold, destruction))
    return ended


def end_holds_for_case(actor: Actor, case_reference: str, *, reason: str) -> list[HoldEnding]:
    """End every active hold placed for the case `case_reference`, because the case ended (R18).

    Called by the request workflow when a case (수사·재판, a provision request) is closed; `reason`
    says how it ended. A case without active holds ends none and is not an error.
    """
    reference = case_reference.strip()
    if not reference:
        raise HoldError("사건·요청 번호를 입력하세요")
    if not reason.strip():
        raise HoldError("사건 종료 사유를 입력하세요")
    ended = []
    for hold in LegalHold.objects.filter(released_at__isnull=True, case_reference=reference).order_by("pk"):
        destruction = _end(
            actor,
            hold,
            reason=f"사건 종료({reference}): {reason.strip()}",
            event=AuditEvent.VAULT_END_HOLD_FOR_CASE,
        )
        ended.append(HoldEnding(hold, destruction))
    return ended


def extend_hold(actor: Actor, hold: LegalHold, *, ends_on: date, reason: str) -> LegalHold:
    """Move an active hold's end date later, with the reason (e.g. a renewed 보존 요청); audited."""
    if not reason.strip():
        raise HoldError("연장 사유를 입력하세요")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise HoldError("이미 끝난 분리 보관은 연장할 수 없습니다")
        if ends_on <= hold.ends_on:
            raise HoldError(
                f"새 보존 종료일({ends_on:%Y-%m-%d})은 지금의 종료일({hold.ends_on:%Y-%m-%d})보다 늦어야 합니다"
            )
        previous = hold.ends_on
        hold.ends_on = ends_on
        hold.save(update_fields=["ends_on"])
        record(
            actor,
            AuditEvent.VAULT_EXTEND_HOLD,
            hold,
            reason=reason.strip(),
            details={"device": hold.device_id, "ends_on": ends_on, "previous_ends_on": previous},
        )
    return hold


def _end(actor: Actor, hold: LegalHold, *, reason: str, event: AuditEvent) -> Destruction:
    """End a hold: hand over what other holds still need, destroy its key (its copies become noise),
    record the destruction (R19), then collect."""
    if not reason.strip():
        raise HoldError("해제 사유를 입력하세요")
    if hold.released_at is None:
        _hand_over(hold)
    now = timezone.now()
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise HoldError(
                f"이미 {timezone.localtime(hold.released_at):%Y-%m-%d %H:%M}에 해제된 분리 보관입니다"
            )
        copies = list(hold.copies.all())
        hold.released_at = now
        hold.released_by = actor.user
        hold.release_reason = reason.strip()
        hold.wrapped_key = None
        hold.save(update_fields=["released_at", "released_by", "release_reason", "wrapped_key"])
        destruction = Destruction.objects.create(
            kind=Destruction.Kind.HOLD,
            device=hold.device,
            hold=hold,
            key_id=hold.key_id,
            covers_start=hold.start,
            covers_end=hold.end,
            segments=len(copies),
            stored_bytes=sum(c.stored_bytes for c in copies),
            object_names=[c.object_name for c in copies],
            method="보존 키 파기(암호 키 삭제) 후 암호문 삭제 — 보관기간 안의 영상은 원본이 일반 보관으로 남음",
            destroyed_at=now,
            actor_label=actor.label,
        )
        record(
            actor,
            event,
            hold,
            reason=reason.strip(),
            details={
                "type": "파기",
                "key_id": hold.key_id,
                "segments": len(copies),
                "destruction": destruction.pk,
            },
        )
    collect_garbage()
    return destruction
