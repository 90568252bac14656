"""Store a footage file (NVR export, mobile-device upload) for a device and a start time.

Order matters (R41: stored files are protected and accounted for): the engine probes the file first (a
refused file stores nothing), encrypts and stores every segment; only when the store reported all of
them durable are the index rows inserted — together with the audit entry, in one transaction. If that
transaction fails, the stored objects are removed again, so no ciphertext is left unindexed.

Recording hours (촬영시간, R9): footage outside the device's published hours (vault.hours: its
schedule, public holidays, the windows opened for event-driven hours) is never stored. A file is cut
down to the parts inside them — at keyframes, by remuxing (engine.footage.segmenter.keep_within) —
and what was left out is returned (`IngestResult.dropped`) and written in the audit entry, for the
officer to see; the live recorder's segments are cut the same way (`store_live_segment`).

One minute, one footage (R41): a file whose footage overlaps footage the device already has (the same
clip twice, an NVR export over what the recorder recorded) is refused — naming the device, the stored
segment's times and the file — and nothing of it is kept; a viewing must never play two versions of
the same minute, and merging them silently would hide which is the original. Overlaps of up to a
frame at a boundary (segments are cut at keyframes: rules.coverage.overlapping) are one recording.
The recorder's own consecutive segments are not checked (they abut by construction).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.db.models import F

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.engine.footage import FootageError, IndexRow, IngestReport, Span, ingest_file, keep_within
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.engine.footage import store_segment as engine_store_segment
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.lib.intervals import format_interval
from jikimi.rules.coverage import overlapping
from jikimi.vault import keyring
from jikimi.vault.actions.devices import warn_health
from jikimi.vault.hours import recording_windows
from jikimi.vault.models import DayKey, Segment
from jikimi.vault.terms import device_terms

AUDIO_WARNING = (
    "원본 영상에 음성이 있어 제거하고 저장했습니다. 기기의 음성 녹음 설정을 끄세요 (법 제25조⑤, R13)"
)


class FootageOverlaps(keyring.FootageRefused):
    """The file's footage overlaps footage the device already has (R41); nothing was kept."""


def _check_no_overlap(device: Device, rows: tuple[IndexRow, ...], source: str) -> None:
    """Refuse rows that overlap the device's stored footage (live or damaged alike: its time is taken)."""
    if not rows:
        return
    first, last = min(r.start for r in rows), max(r.end for r in rows)
    stored = list(
        Segment.objects.filter(
            device=device, day_key__wrapped_key__isnull=False, start__lt=last, end__gt=first
        )
        .order_by("start")
        .values_list("start", "end")
    )
    clashes = overlapping([(r.start, r.end) for r in rows], stored)
    if not clashes:
        return
    (new_start, new_end), (old_start, old_end) = clashes[0]
    more = f" 외 {len(clashes) - 1}곳" if len(clashes) > 1 else ""

    raise FootageOverlaps(
        f"기기 '{device.name}'에는 이미 {format_interval(old_start, old_end)} 영상이 저장되어 있어, 파일 '{source}'의 "
        f"{format_interval(new_start, new_end)} 구간과 겹칩니다{more}. 같은 시간의 영상을 두 번 저장하지 않습니다 — "
        f"촬영 시작 시각이 맞는지 확인하세요"
    )


@dataclass(frozen=True)
class IngestResult:
    device: Device
    segments: int
    start: datetime | None
    end: datetime | None
    stored_bytes: int
    had_audio: bool
    dropped: tuple[Span, ...] = ()  # parts of the file outside the recording hours, not stored (R9)
    hours: str = ""  # the recording hours that decided it

    def left_out(self) -> str:
        """R9: what was not stored and why, for the officer ("" when everything was stored)."""
        if not self.dropped:
            return ""
        spans = ", ".join(format_interval(s, e) for s, e in self.dropped)
        return f"촬영 시간({self.hours})이 아닌 구간은 저장하지 않았습니다: {spans}"


def _segment(device: Device, key: DayKey, row: IndexRow, had_audio: bool) -> Segment:
    """The index row of one stored segment (not yet saved)."""
    return Segment(
        device=device,
        day_key=key,
        start=row.start,
        end=row.end,
        frames=row.frames,
        plaintext_bytes=row.plaintext_size,
        plaintext_sha256=row.plaintext_sha256,
        stored_bytes=row.size,
        ciphertext_sha256=row.ciphertext_sha256,
        object_name=row.name,
        location=keyring.recorded_location(row.name, row.location),
        had_audio=had_audio,
    )


def _count(key: DayKey, added: int) -> None:
    """The key's segments counted as they are indexed, in the indexing transaction (DayKey.segment_count)."""
    DayKey.objects.filter(pk=key.pk).update(segment_count=F("segment_count") + added)


def _index(actor: Actor, device: Device, report: IngestReport, source: str, hours: str) -> None:
    """Insert the index rows and the audit entry in one transaction (the objects are already durable)."""
    rows, had_audio = report.rows, report.had_audio
    with transaction.atomic():
        # One ingest of a device at a time past this point, so two uploads cannot both pass the check.
        Device.objects.select_for_update().filter(pk=device.pk).first()
        _check_no_overlap(device, rows, source)
        # The keys locked: a destruction of one of them waits, or has happened and is seen below.
        keys = {
            k.key_id: k
            for k in DayKey.objects.select_for_update()
            .filter(key_id__in={r.key_id for r in rows})
            .order_by("pk")
        }
        for row in rows:
            key = keys.get(row.key_id)
            if key is None or key.wrapped_key is None:
                # The day was destroyed while this file was being stored: do not index dead ciphertext.
                raise keyring.FootageRefused(
                    f"{row.day:%Y-%m-%d}의 데이터 키가 이미 파기되어 저장할 수 없습니다"
                )
        Segment.objects.bulk_create(_segment(device, keys[row.key_id], row, had_audio) for row in rows)
        for key_id, added in Counter(row.key_id for row in rows).items():
            _count(keys[key_id], added)
        if had_audio:
            warn_health(actor, device, AUDIO_WARNING)
        record(
            actor,
            AuditEvent.VAULT_INGEST_FILE,
            device,
            details={
                "source": source,
                "segments": len(rows),
                "start": rows[0].start if rows else None,
                "end": rows[-1].end if rows else None,
                "bytes": sum(r.size for r in rows),
                "audio_dropped": had_audio,
                # R9: what was left out because it lies outside the recording hours
                "recording_hours": hours,
                "outside_hours": [{"start": s, "end": e} for s, e in report.dropped],
            },
        )


def _remove(rows: tuple[IndexRow, ...]) -> None:
    store = keyring.footage_store()
    for row in rows:
        with contextlib.suppress(FootageError):
            store.delete(row.name)


def ingest(
    actor: Actor, device: Device, path: str | Path, start: datetime, *, source_label: str = ""
) -> IngestResult:
    """Store `path` as encrypted segments of `device` starting at `start` (aware; UTC is stored).

    Raises FootageRejected (not a video, truncated, too large), FootageRefused (미보유, past retention)
    or FootageError (storage); in every case nothing is stored or indexed.
    """
    if start.tzinfo is None:
        raise ValueError("시작 시각에 시간대가 없습니다 (예: 2026-11-23T09:00:00+09:00)")
    keyring.check_may_store(device)
    hours = device_terms(device).recording_hours
    report: IngestReport = ingest_file(
        path,
        keyring.footage_store(),
        device=device.storage_name,
        recording_start=start,
        key_for_day=lambda day: keyring.day_key(device, day),
        day_zone=SEOUL,
        prefix=keyring.DAY_PREFIX,
        keep=lambda first, last: recording_windows(device, first, last).spans,
    )
    try:
        _index(actor, device, report, source_label or Path(path).name, hours)
    except BaseException:
        _remove(report.rows)
        raise
    return IngestResult(
        device=device,
        segments=len(report.rows),
        start=report.rows[0].start if report.rows else None,
        end=report.rows[-1].end if report.rows else None,
        stored_bytes=sum(r.size for r in report.rows),
        had_audio=report.had_audio,
        dropped=report.dropped,
        hours=hours,
    )


def store_live_segment(actor: Actor, device: Device, segment: EngineSegment) -> list[Segment]:
    """Store and index the parts of a recorder's segment inside the recording hours (R9); each part
    in the same order as a file. A segment wholly outside them stores nothing."""
    keyring.check_may_store(device)
    parts = keep_within(segment, recording_windows(device, segment.start, segment.end).spans)
    return [_store_part(actor, device, part) for part in parts]


def _store_part(actor: Actor, device: Device, segment: EngineSegment) -> Segment:
    row = engine_store_segment(
        keyring.footage_store(),
        segment,
        device=device.storage_name,
        key_for_day=lambda day: keyring.day_key(device, day),
        day_zone=SEOUL,
        prefix=keyring.DAY_PREFIX,
    )
    try:
        with transaction.atomic():
            # Locked: a destruction of the key waits for this segment's count, or came first (refused).
            key = DayKey.objects.select_for_update().get(key_id=row.key_id)
            if key.wrapped_key is None:
                raise keyring.FootageRefused(f"{row.day:%Y-%m-%d}의 데이터 키가 이미 파기되었습니다")
            indexed = _segment(device, key, row, segment.had_audio)
            indexed.save()
            _count(key, 1)
            if segment.had_audio and not device.health_warning:
                warn_health(actor, device, AUDIO_WARNING)
    except BaseException:
        _remove((row,))
        raise
    return indexed
