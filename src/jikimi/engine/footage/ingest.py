"""The encrypting writer: segmenter → envelope → store, one durable object per segment.

`ingest_file` is what the vault calls for an uploaded or exported file. It probes the file (a refused
file stores nothing), cuts it into video-only segments (법 제25조⑤), encrypts each under the day key
of the day it was recorded (DESIGN "Keys and destruction"), stores it atomically, and returns one
index row per segment. The vault inserts the rows — and writes its audit entry — only after this
returns: every row then names an object that is durable and complete.

All or nothing: if anything fails part-way (the store is full, the remux fails, a key cannot be had),
the objects already stored for this file are deleted before the error propagates, so a retried ingest
starts clean and no unindexed ciphertext is left behind.

Recording hours (R9): with `keep`, the caller's recording windows for a stretch of wall-clock time,
each segment is cut down to the parts inside them (`segmenter.keep_within`) before it is encrypted:
footage outside the hours is never stored, and the report lists what was left out (`dropped`).

Object names: ``{prefix}{device}/{YYYY-MM-DD}/{YYYYMMDDTHHMMSSffffff}Z-{random 8 hex}.mp4.jkv``, the day
being the day key's day, the time the segment's UTC start. The random part means a re-ingested file
never replaces an object another index row already points to.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from jikimi.engine.footage.envelope import DEFAULT_CHUNK_SIZE, encrypt_bytes
from jikimi.engine.footage.errors import FootageError, IngestError, StorageConfigError
from jikimi.engine.footage.keys import DataKey
from jikimi.engine.footage.probe import DEFAULT_MAX_BYTES, probe
from jikimi.engine.footage.segmenter import (
    DEFAULT_SEGMENT_SECONDS,
    SEGMENT_EXTENSION,
    Segment,
    Span,
    iter_segments,
    keep_within,
)
from jikimi.engine.footage.storage.base import FootageStore, check_prefix

OBJECT_SUFFIX = f".{SEGMENT_EXTENSION}.jkv"
_DEVICE = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9._\-]{0,127}$")

KeyForDay = Callable[[date], DataKey]
"""The vault's day-key lookup: the (device's) data key for a calendar day, created and wrapped on first use."""

KeepSpans = Callable[[datetime, datetime], Sequence[Span]]
"""The vault's recording windows: the wall-clock spans inside [start, end) whose footage may be kept."""


@dataclass(frozen=True)
class IndexRow:
    """One stored segment, as the vault's index records it."""

    device: str
    day: date  # the day key's day, in the ingest's day_zone
    start: datetime  # UTC
    end: datetime  # UTC
    frames: int
    plaintext_size: int
    plaintext_sha256: str
    size: int  # bytes stored (ciphertext)
    ciphertext_sha256: str
    key_id: str
    name: str  # object name in the store
    location: str  # URL of the object


@dataclass(frozen=True)
class IngestReport:
    source: str
    rows: tuple[IndexRow, ...]
    had_audio: bool  # the source had audio, which was dropped: the vault raises a health warning (R13)
    dropped_streams: tuple[str, ...]
    frames: int
    dropped: tuple[Span, ...] = ()  # wall-clock parts of the file not stored: outside the recording hours


def object_name(prefix: str, device: str, day: date, start: datetime) -> str:
    stamp = start.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{prefix}{device}/{day.isoformat()}/{stamp}Z-{secrets.token_hex(4)}{OBJECT_SUFFIX}"


def ingest_file(
    path: str | Path,
    store: FootageStore,
    *,
    device: str,
    recording_start: datetime,
    key_for_day: KeyForDay,
    segment_seconds: float = DEFAULT_SEGMENT_SECONDS,
    day_zone: tzinfo = UTC,
    max_bytes: int = DEFAULT_MAX_BYTES,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    prefix: str = "",
    keep: KeepSpans | None = None,
) -> IngestReport:
    """Store a footage file as encrypted segments; return the index rows (see the module docstring)."""
    if not _DEVICE.match(device):
        raise StorageConfigError(
            f"device id {device!r} cannot name objects: use letters, digits, '.', '_', '-'"
        )
    check_prefix(prefix)
    info = probe(path, max_bytes=max_bytes)
    # Refuse up front when the whole file clearly cannot fit, rather than half-way (the remuxed
    # segments are about the size of the source's video; the envelope adds 16 bytes per chunk).
    store.check_free_space(info.size, str(path))
    rows: list[IndexRow] = []
    dropped: list[Span] = []
    try:
        for segment in iter_segments(
            path, recording_start, segment_seconds=segment_seconds, day_zone=day_zone, probed=info
        ):
            parts = [segment] if keep is None else keep_within(segment, keep(segment.start, segment.end))
            dropped += _left_out(segment, parts)
            for part in parts:
                row = store_segment(
                    store,
                    part,
                    device=device,
                    key_for_day=key_for_day,
                    day_zone=day_zone,
                    chunk_size=chunk_size,
                    prefix=prefix,
                )
                rows.append(row)
    except BaseException as exc:
        for row in rows:
            with contextlib.suppress(FootageError):
                store.delete(row.name)
        if isinstance(exc, FootageError | ValueError) or not isinstance(exc, Exception):
            raise
        raise IngestError(
            f"{path}: ingest failed after {len(rows)} segments ({exc}); nothing was kept"
        ) from exc
    return IngestReport(
        source=str(path),
        rows=tuple(rows),
        had_audio=info.has_audio,
        dropped_streams=info.dropped_streams,
        frames=sum(row.frames for row in rows),
        dropped=tuple(_joined(dropped)),
    )


def _left_out(segment: Segment, parts: list[Segment]) -> list[Span]:
    """The stretches of `segment` that none of `parts` keeps."""
    out: list[Span] = []
    cursor = segment.start
    for part in parts:
        if part.start > cursor:
            out.append((cursor, part.start))
        cursor = max(cursor, part.end)
    if cursor < segment.end:
        out.append((cursor, segment.end))
    return out


def _joined(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def store_segment(
    store: FootageStore,
    segment: Segment,
    *,
    device: str,
    key_for_day: KeyForDay,
    day_zone: tzinfo = UTC,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    prefix: str = "",
) -> IndexRow:
    """Encrypt one segment under its day key and store it atomically (also the live recorder's step)."""
    day = segment.start.astimezone(day_zone).date()
    key = key_for_day(day)
    ciphertext, envelope = encrypt_bytes(segment.data, key, chunk_size=chunk_size)
    name = object_name(prefix, device, day, segment.start)
    stored = store.put(name, ciphertext)
    return IndexRow(
        device=device,
        day=day,
        start=segment.start,
        end=segment.end,
        frames=segment.frames,
        plaintext_size=envelope.plaintext_size,
        plaintext_sha256=envelope.plaintext_sha256,
        size=stored.size,
        ciphertext_sha256=envelope.ciphertext_sha256,
        key_id=key.key_id,
        name=name,
        location=stored.location,
    )
