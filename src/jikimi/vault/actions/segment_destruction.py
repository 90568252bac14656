"""Destroy a device's footage of one window, keep the rest of its days (법 제36조, R24; R18, R19).

A data subject's deletion request names a window, not a day; but a day key seals a whole day
(crypto-shredding per day, DESIGN "Keys and destruction"). So for each day the window touches, the
rest of the day is re-encrypted under a fresh key for that day, and in one transaction the index is
moved to the new key and the new objects, the window's segments are dropped from it, and the old key is
replaced: the window's ciphertext — and the old copies of the rest — are noise from then on, and are
deleted after the commit. A segment that only overlaps the window is destroyed whole (it holds footage
of the window). Each day gets its Destruction record (R19: 파일명, 파기일시, 담당자) and the vault's
own audit entry, VAULT_DESTROY_SEGMENTS.

Refused: footage under an active legal hold (R18: never destroyed while held; the caller ends the hold
it owns first), and footage of today or later (the recorder may still be sealing that day's segments
with the day key that is being replaced). A segment indexed while the rest was being re-encrypted makes
the run fail without a change; running it again picks it up.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.engine.footage import DataKey, FootageError, day_key_id, hold_segment
from jikimi.engine.footage.ingest import object_name
from jikimi.inventory.models import Device
from jikimi.lib.clock import today
from jikimi.vault import keyring
from jikimi.vault.actions.collection import names_sha256
from jikimi.vault.models import DayKey, Destruction, HeldSegment, LegalHold, Segment

METHOD = (
    "청구 구간의 영상 조각 파기: 같은 날 나머지 영상은 새 키로 다시 암호화해 보존하고, 기존 일별 키 파기 후 "
    "암호문 삭제 — 복구 불가"
)


class SegmentDestructionRefused(ValueError):
    """The window's footage cannot be destroyed now; the message says why. Nothing was changed."""


@dataclass
class _Day:
    day_key: DayKey
    doomed: list[Segment]
    kept: list[Segment]
    new_key: DataKey | None = None
    copies: dict[int, tuple[str, str, int, str]] | None = None  # segment pk → (name, location, size, sha)


def _held(device: Device, start: datetime, end: datetime) -> list[LegalHold]:
    return list(
        LegalHold.objects.filter(device=device, released_at__isnull=True, start__lt=end, end__gt=start)
    )


def _plan(device: Device, start: datetime, end: datetime) -> list[_Day]:
    doomed = list(
        Segment.objects.filter(
            device=device, start__lt=end, end__gt=start, day_key__wrapped_key__isnull=False
        ).select_related("day_key")
    )
    by_key: dict[int, list[Segment]] = defaultdict(list)
    for segment in doomed:
        by_key[segment.day_key_id].append(segment)
    days = []
    for key_pk, segments in sorted(by_key.items()):
        ids = {s.pk for s in segments}
        kept = [s for s in Segment.objects.filter(day_key_id=key_pk).order_by("start") if s.pk not in ids]
        days.append(_Day(segments[0].day_key, sorted(segments, key=lambda s: s.start), kept))
    return days


def _reencrypt(device: Device, day: _Day) -> None:
    """Copy the rest of the day under a new key for the day (outside the transaction: it is I/O)."""
    store = keyring.footage_store()
    old_key = keyring.unwrap(day.day_key.wrapped_key, day.day_key.key_id)
    new_key = DataKey.generate(
        f"{day_key_id(device.storage_name, day.day_key.day)}/r{timezone.now():%Y%m%dT%H%M%S%f}"
    )
    copies: dict[int, tuple[str, str, int, str]] = {}
    try:
        for segment in day.kept:
            name = object_name(keyring.DAY_PREFIX, device.storage_name, day.day_key.day, segment.start)
            copy = hold_segment(
                store,
                segment.object_name,
                old_key,
                new_key,
                store,
                name,
                expected_plaintext_sha256=segment.plaintext_sha256,
            )
            copies[segment.pk] = (copy.name, copy.location, copy.size, copy.ciphertext_sha256)
    except BaseException:
        _delete([c[0] for c in copies.values()])
        raise
    day.new_key, day.copies = new_key, copies


def _delete(names: list[str]) -> None:
    store = keyring.footage_store()
    for name in names:
        with contextlib.suppress(FootageError):
            store.delete(name)


def destroy_segments(
    actor: Actor, device: Device, start: datetime, end: datetime, *, reason: str
) -> list[Destruction]:
    """Destroy `device`'s footage overlapping [start, end) and keep the rest of its days; one
    Destruction per day. Runs in (or as) one transaction; the old objects are deleted after commit."""
    if end <= start:
        raise SegmentDestructionRefused("파기 구간의 끝이 시작보다 늦어야 합니다")
    if not reason.strip():
        raise SegmentDestructionRefused("파기 사유를 입력하세요")
    if _held(device, start, end):
        raise SegmentDestructionRefused(
            f"{device.name}의 이 구간 영상은 분리 보관 중이라 파기할 수 없습니다 (R18)"
        )
    days = _plan(device, start, end)
    for day in days:
        if day.day_key.day >= today():
            raise SegmentDestructionRefused(
                f"{day.day_key.day:%Y-%m-%d} 영상은 아직 녹화 중인 날의 영상이라 다음 날부터 파기할 수 있습니다"
            )
    new_names: list[str] = []
    try:
        for day in days:
            _reencrypt(device, day)
            new_names += [c[0] for c in (day.copies or {}).values()]
        with transaction.atomic():
            destructions = [_swap(actor, device, day, reason.strip()) for day in days]
            if _held(device, start, end):
                raise SegmentDestructionRefused(
                    f"{device.name}의 이 구간 영상이 방금 분리 보관되어 파기하지 않았습니다 (R18)"
                )
    except BaseException:
        _delete(new_names)
        raise
    old = [s.object_name for day in days for s in day.doomed + day.kept]
    pks = [d.pk for d in destructions]
    transaction.on_commit(lambda: _collect(old, pks))
    return destructions


def _swap(actor: Actor, device: Device, day: _Day, reason: str) -> Destruction:
    key = DayKey.objects.select_for_update().get(pk=day.day_key.pk)
    live = set(Segment.objects.filter(day_key=key).values_list("pk", flat=True))
    if (
        key.key_id != day.day_key.key_id
        or key.wrapped_key is None
        or live != {s.pk for s in day.doomed + day.kept}
    ):
        raise SegmentDestructionRefused(
            f"{key.day:%Y-%m-%d} 영상이 처리하는 동안 바뀌었습니다. 다시 시도하세요"
        )
    assert day.new_key is not None and day.copies is not None
    old_key_id = key.key_id
    for segment in day.kept:
        name, location, size, sha = day.copies[segment.pk]
        HeldSegment.objects.filter(device=device, source_object=segment.object_name).update(
            source_object=name
        )
        Segment.objects.filter(pk=segment.pk).update(
            object_name=name,
            location=keyring.recorded_location(name, location),
            stored_bytes=size,
            ciphertext_sha256=sha,
        )
    key.key_id = day.new_key.key_id
    key.wrapped_key = keyring.master_key().wrap(day.new_key)
    key.segment_count = len(day.kept)  # the doomed rows go below
    key.save(update_fields=["key_id", "wrapped_key", "segment_count"])
    Segment.objects.filter(pk__in=[s.pk for s in day.doomed]).delete()
    now = timezone.now()
    names = [s.object_name for s in day.doomed]
    destruction = Destruction.objects.create(
        kind=Destruction.Kind.SEGMENTS,
        device=device,
        key_id=old_key_id,
        covers_start=day.doomed[0].start,
        covers_end=max(s.end for s in day.doomed),
        segments=len(day.doomed),
        stored_bytes=sum(s.stored_bytes for s in day.doomed),
        object_names=names,
        method=METHOD,
        destroyed_at=now,
        actor_label=actor.label,
    )
    record(
        actor,
        AuditEvent.VAULT_DESTROY_SEGMENTS,
        destruction,
        reason=reason[:300],
        details={
            "type": "파기",
            "device": device.pk,
            "day": key.day,
            "start": destruction.covers_start,
            "end": destruction.covers_end,
            "files": {"count": len(names), "sha256": names_sha256(names)},
            "kept": len(day.kept),
            "key_id": old_key_id,
            "destroyed_at": now,
            "officer": actor.label,
            "method": METHOD,
            "destruction": destruction.pk,
        },
    )
    return destruction


def _collect(names: list[str], destruction_pks: list[int]) -> None:
    """After commit: delete the old objects (noise without their key). A crash here leaves them under
    the day's prefix, which the retention sweep's collection deletes with the day."""
    _delete(names)
    Destruction.objects.filter(pk__in=destruction_pks).update(ciphertext_deleted_at=timezone.now())
