"""Exporting a device's footage over a window as one MP4 file, for masking and release (R25, R49).

The stored segments (live ones, and held copies of those whose day key is destroyed — R18: a hold
exists because the footage is still needed) are decrypted and authenticated exactly as for playback
(vault.playback.segment_plaintext), then remuxed into one MP4 without re-encoding: the packets are
copied as they are, so the export is the footage bit for bit. A segment that straddles an edge of the
window is cut at keyframes (from the last keyframe at or before the window's start, to the window's
end), as playback cuts it. Gaps in wall-clock time vanish from the file's timeline; they are reported.

Every export is in the audit chain with its reason and case (R39, R41): a plaintext copy of personal
video leaves the encrypted store. The file is written where the caller says (a temporary directory of
a masking job); the caller keeps it no longer than it needs it and never serves it unmasked.

A long export (an hour of footage is minutes of decrypting and writing) calls the caller's `progress`
between segments, between packets and between chunks of the hash: a worker holding its job under a lease
renews it there (disclosure.actions.job_leases.Heartbeat), and a callback that raises (the lease was lost)
stops the export at once — the file is removed and nothing recorded, as for any failure.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from jikimi.audit.context import Actor
from jikimi.inventory.models import Device
from jikimi.vault.actions.export import record_export
from jikimi.vault.models import Viewing
from jikimi.vault.playback import Footage, segment_plaintext, viewing_footage

MAX_EXPORT_RANGE = timedelta(hours=24)
MIN_REASON_LENGTH = 4

Gap = tuple[datetime, datetime]


class ExportRefused(ValueError):
    """An export that cannot be made as asked; the message (Korean) names what is wrong."""


@dataclass(frozen=True)
class ExportedWindow:
    path: Path
    sha256: str
    seconds: float  # of footage in the file (the gaps are not in it)
    segments: int
    gaps: tuple[Gap, ...]


def _check(device: Device, start: datetime, end: datetime, reason: str, case_reference: str) -> None:
    if len(reason) < MIN_REASON_LENGTH:
        # R41: an export, like a viewing, records why; one word says nothing.
        raise ExportRefused(f"반출 사유를 {MIN_REASON_LENGTH}자 이상 구체적으로 적으세요")
    if not case_reference:
        raise ExportRefused("반출 근거(청구 접수번호 등 사건 번호)를 적으세요")
    if end <= start:
        raise ExportRefused("반출 구간의 끝이 시작보다 늦어야 합니다")
    if end - start > MAX_EXPORT_RANGE:
        raise ExportRefused("한 번에 반출할 수 있는 구간은 24시간 이하입니다")


def window_footage(device: Device, start: datetime, end: datetime) -> list[Footage]:
    """The footage over [start, end) in time order, chosen as a viewing of that range would play it."""
    # An unsaved Viewing is only the (device, range) the playback queries take; nothing is stored.
    return viewing_footage(Viewing(device=device, start=start, end=end))


def _gaps(footage: list[Footage], start: datetime, end: datetime) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    cursor = start
    for part in footage:
        if part.start > cursor:
            gaps.append((cursor, min(part.start, end)))
        cursor = max(cursor, part.end)
    if cursor < end:
        gaps.append((cursor, end))
    return tuple(gaps)


def _packets(data: bytes, local_start: float, local_end: float) -> tuple[av.VideoStream, list[Any]]:
    """The segment's video packets over [local_start, local_end) seconds, from the keyframe before."""
    container = av.open(io.BytesIO(data), mode="r")
    stream = container.streams.video[0]
    base = stream.time_base or Fraction(1, 90000)
    packets: list[Any] = []
    for packet in container.demux(stream):
        if packet.size == 0 or packet.pts is None:
            continue
        at = float(packet.pts * base)
        if at >= local_end:
            break
        if packet.is_keyframe and at <= local_start:
            packets = []  # a later keyframe still at or before the start: begin there
        if packets or packet.is_keyframe:
            packets.append(packet)
    return stream, packets


Progress = Callable[[], None]  # a sign of life during a long export; raises to stop it


def _nothing() -> None:
    return None


def _remux(
    footage: list[Footage], start: datetime, end: datetime, destination: Path, progress: Progress
) -> float:
    """Write the packets of all segments, one after the other, into `destination`; its seconds."""
    offset = 0  # in the output stream's time base
    seconds = 0.0
    with av.open(str(destination), mode="w", format="mp4") as out:
        video: Any = None
        for part in footage:
            progress()
            local_start = max(0.0, (start - part.start).total_seconds())
            local_end = (end - part.start).total_seconds()
            source, packets = _packets(segment_plaintext(part), local_start, local_end)
            if not packets:
                continue
            if video is None:
                # 법 제25조⑤ / R13: the segments hold video only; only video is carried over.
                video = out.add_stream_from_template(source)
                if source.codec_context.name == "hevc":
                    video.codec_tag = "hvc1"
            base = min(int(p.dts if p.dts is not None else p.pts) for p in packets)
            scale = Fraction(source.time_base or 1) / Fraction(video.time_base or 1)
            last = 0
            for packet in packets:
                pts = int((int(packet.pts) - base) * scale) + offset
                dts = int((int(packet.dts if packet.dts is not None else packet.pts) - base) * scale) + offset
                duration = int((packet.duration or 0) * scale)
                packet.pts, packet.dts, packet.stream = pts, dts, video
                last = max(last, pts + max(duration, 1))
                out.mux(packet)
                progress()
            seconds += float((last - offset) * Fraction(video.time_base or Fraction(1, 90000)))
            offset = last
        if video is None:
            raise ExportRefused("반출 구간에 재생할 수 있는 영상이 없습니다")
    return seconds


def _sha256(path: Path, progress: Progress) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            progress()
    return digest.hexdigest()


def export_window(
    actor: Actor,
    device: Device,
    start: datetime,
    end: datetime,
    destination: Path,
    *,
    reason: str,
    case_reference: str,
    progress: Progress = _nothing,
) -> ExportedWindow:
    """Decrypt the device's footage over [start, end) into one MP4 at `destination`, audited.

    Raises ExportRefused (bad input, or no footage), FootageDamaged (a segment fails authentication:
    nothing is exported) or keyring.FootageRefused (a key destroyed meanwhile). On any failure no file
    is left at `destination` and nothing is recorded — also when `progress` raises (see the module's
    docstring), which stops the export at its next segment, packet or chunk.
    """
    reason = " ".join(reason.split())
    case_reference = " ".join(case_reference.split())
    _check(device, start, end, reason, case_reference)
    footage = window_footage(device, start, end)
    if not footage:
        raise ExportRefused("반출 구간에 저장된 영상이 없습니다")
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        seconds = _remux(footage, start, end, destination, progress)
        sha256 = _sha256(destination, progress)
        exported = ExportedWindow(
            destination, sha256, round(seconds, 3), len(footage), _gaps(footage, start, end)
        )
        record_export(
            actor,
            device,
            start,
            end,
            reason=reason,
            case_reference=case_reference,
            segments=exported.segments,
            seconds=exported.seconds,
            sha256=sha256,
        )
    except Exception:
        destination.unlink(missing_ok=True)
        raise
    return exported
