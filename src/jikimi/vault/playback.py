"""Reading footage back for a viewing: decrypt a segment, authenticated chunk by chunk, and serve it
to the browser as one HLS timeline over the viewing's range.

A modified or truncated ciphertext fails authentication (engine.footage.envelope) or does not match the
index's plaintext SHA-256; either way nothing of it is served (R41: stored files are protected).

The HLS playlist of a viewing lists its segments in time order; each is an EXT-X-MAP (the segment's
init part) and one media segment (its moof+mdat fragments). Every segment starts its timestamps at
zero and carries its own init part, so every segment after the first follows an EXT-X-DISCONTINUITY,
not only those after a gap: hls.js then re-anchors each one at its place in the playlist, and gaps in
wall-clock time simply vanish from the media timeline (EXT-X-PROGRAM-DATE-TIME gives each segment its
real start, which the page shows). What is served is what the viewing recorded (R41): a segment that
straddles the viewing's start or end is cut to the fragments (keyframe to keyframe) that overlap it.

Held footage (R18) plays like any other: a held copy (under its hold's key, in the hold store) stands in
for its source segment once the day key is destroyed — the reason a hold exists is that the footage is
still needed. While the day key lives, the segment itself is served; copies of one segment under several
holds are served once.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from jikimi.engine.footage import (
    DataKey,
    EnvelopeError,
    EnvelopeReader,
    Fmp4Error,
    Fmp4Layout,
    FootageStore,
    Fragment,
    KeyUnwrapError,
    ObjectNotFound,
    decrypt_stream,
    fmp4_layout,
    init_length,
    media_bytes,
)
from jikimi.lib.clock import SEOUL
from jikimi.lib.intervals import format_interval
from jikimi.rules.coverage import COVERAGE_LABELS, Coverage, Interval
from jikimi.vault import keyring
from jikimi.vault.models import HeldSegment, Segment, Viewing

logger = logging.getLogger(__name__)


class FootageDamaged(ValueError):
    """The stored segment is not what was stored; it is not served.

    str() is what the viewer is told: which footage (its time), never where or how it is stored.
    `detail` — the object name and the engine's reason — is for the log and the operators only.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


# What a viewing plays: a segment under its live day key, or a held copy of one (R18).
Footage = Segment | HeldSegment


def viewing_segments(viewing: Viewing, *, with_damaged: bool = False) -> QuerySet[Segment]:
    segments = Segment.objects.filter(
        device=viewing.device,
        start__lt=viewing.end,
        end__gt=viewing.start,
        day_key__wrapped_key__isnull=False,
    )
    if not with_damaged:
        # R41: a segment found damaged is "손상" on the timeline, not footage: it is not played.
        segments = segments.filter(damaged_at__isnull=True)
    return segments.order_by("start")


def viewing_held_copies(viewing: Viewing) -> QuerySet[HeldSegment]:
    return HeldSegment.objects.filter(
        device=viewing.device,
        start__lt=viewing.end,
        end__gt=viewing.start,
        hold__wrapped_key__isnull=False,
    ).order_by("start", "hold_id")


def viewing_footage(viewing: Viewing) -> list[Footage]:
    """The viewing's footage in time order: live segments, and held copies of the destroyed ones."""
    live: list[Footage] = list(viewing_segments(viewing).select_related("day_key"))
    have = {segment.object_name for segment in live if isinstance(segment, Segment)}
    held: list[Footage] = []
    for copy in viewing_held_copies(viewing).select_related("hold"):
        if copy.source_object not in have:
            have.add(copy.source_object)
            held.append(copy)
    return sorted(live + held, key=lambda footage: footage.start)


def _sealed(footage: Footage) -> tuple[FootageStore, DataKey]:
    """Where the footage is stored and the key that opens it (FootageRefused if that key is gone,
    FootageDamaged if its wrapped key does not open)."""
    try:
        if isinstance(footage, HeldSegment):
            return keyring.hold_store(), keyring.unwrap(footage.hold.wrapped_key, footage.hold.key_id)
        return keyring.footage_store(), keyring.unwrap(footage.day_key.wrapped_key, footage.day_key.key_id)
    except keyring.FootageRefused as refused:
        # The key's id is an internal name: the viewer is told which footage, and why.
        logger.warning("playback refused: %s", refused)
        raise keyring.FootageRefused(
            f"{_span(footage)} 영상은 키가 파기되어(보관기간 만료) 재생할 수 없습니다"
        ) from refused
    except KeyUnwrapError as error:
        raise _damaged(footage, error) from error


def _span(footage: Footage) -> str:
    """The footage as the viewer knows it: its time, in Korea time."""
    return format_interval(footage.start, footage.end)


def viewing_is_open(viewing: Viewing, user: object) -> bool:
    return viewing.user_id == getattr(user, "pk", None) and viewing.expires_at > timezone.now()


def _damaged(segment: Footage, error: Exception | str) -> FootageDamaged:
    # Never a store path or an engine message in what the viewer reads (they go to the log).
    detail = f"{segment.object_name}: {error}"
    logger.warning("footage damaged: %s", detail)
    return FootageDamaged(
        f"{_span(segment)} 영상 조각이 변조되었거나 잘려 재생하지 않습니다. 관리자에게 알리세요",
        detail=detail,
    )


def segment_plaintext(segment: Footage) -> bytes:
    """The segment's fragmented MP4, or FootageDamaged if the ciphertext was altered."""
    store, key = _sealed(segment)
    out = io.BytesIO()
    try:
        info = decrypt_stream(store.reader(segment.object_name), out, key)
    except (EnvelopeError, ObjectNotFound) as error:
        raise _damaged(segment, error) from error
    if info.plaintext_sha256 != segment.plaintext_sha256:
        raise _damaged(segment, "plaintext SHA-256 differs from the index")
    return out.getvalue()


# -- HLS ---------------------------------------------------------------------------------------------

# The init part (ftyp + moov) is under a kilobyte; the first envelope chunk (1 MiB by default) holds it.
_INIT_READ = 64 * 1024


def segment_init(segment: Footage) -> bytes:
    """The segment's init part (EXT-X-MAP), decrypting only the chunk(s) it lies in."""
    store, key = _sealed(segment)
    try:
        reader = EnvelopeReader(store.reader(segment.object_name), key)
        total = reader.plaintext_length
        want = min(_INIT_READ, total)
        while True:
            head = reader.read(0, want)
            length = init_length(head)
            if length is not None:
                return head[:length]
            if want == total:
                raise Fmp4Error("no fragment follows the init part")
            want = min(want * 4, total)
    except (EnvelopeError, ObjectNotFound, Fmp4Error) as error:
        raise _damaged(segment, error) from error


def _layout(segment: Footage, data: bytes) -> Fmp4Layout:
    try:
        return fmp4_layout(data)
    except Fmp4Error as error:
        raise _damaged(segment, error) from error


def _seconds(moment: datetime, origin: datetime) -> float:
    return (moment - origin).total_seconds()


def _served_fragments(segment: Footage, viewing: Viewing, layout: Fmp4Layout) -> tuple[Fragment, ...]:
    return layout.covering(_seconds(viewing.start, segment.start), _seconds(viewing.end, segment.start))


def _inside(segment: Footage, viewing: Viewing) -> bool:
    return viewing.start <= segment.start and segment.end <= viewing.end


def segment_media(segment: Footage, viewing: Viewing) -> bytes:
    """The segment's fragments that the viewing covers (all of them unless it straddles an edge).

    The whole segment is decrypted and checked against the index's SHA-256: the media part is nearly
    all of it anyway, and a whole read also catches bytes appended after the final chunk.
    """
    data = segment_plaintext(segment)
    layout = _layout(segment, data)
    fragments = layout.fragments if _inside(segment, viewing) else _served_fragments(segment, viewing, layout)
    return media_bytes(data, fragments)


@dataclass(frozen=True)
class PlaylistPart:
    """One segment on the viewing's timeline: what is served of it, in wall-clock time (UTC)."""

    segment: Footage
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def playlist_parts(viewing: Viewing) -> list[PlaylistPart]:
    """The viewing's segments in time order, each with the span actually served of it.

    A segment wholly inside the range is taken from the index; one straddling an edge is decrypted to
    find the fragments it is cut to (at most two per viewing). A damaged one keeps its index span here:
    its parts answer 409 when asked for.
    """
    parts = []
    for segment in viewing_footage(viewing):
        if _inside(segment, viewing):
            parts.append(PlaylistPart(segment, segment.start, segment.end))
            continue
        try:
            layout = _layout(segment, segment_plaintext(segment))
        except FootageDamaged:
            parts.append(
                PlaylistPart(segment, max(segment.start, viewing.start), min(segment.end, viewing.end))
            )
            continue
        fragments = _served_fragments(segment, viewing, layout)
        if fragments:
            first, last = fragments[0], fragments[-1]
            start = segment.start + timedelta(seconds=float(first.start))
            end = min(segment.start + timedelta(seconds=float(last.end)), segment.end)
            parts.append(PlaylistPart(segment, start, max(end, start)))
    return parts


def _program_date_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hls_playlist(
    parts: list[PlaylistPart], init_url: Callable[[Footage], str], media_url: Callable[[Footage], str]
) -> str:
    """An HLS (RFC 8216) VOD media playlist over the parts: one discontinuity per segment (see above)."""
    target = max((math.ceil(part.seconds) for part in parts), default=1)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        f"#EXT-X-TARGETDURATION:{max(target, 1)}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-DISCONTINUITY-SEQUENCE:0",
    ]
    for index, part in enumerate(parts):
        if index:
            lines.append("#EXT-X-DISCONTINUITY")
        lines += [
            f"#EXT-X-PROGRAM-DATE-TIME:{_program_date_time(part.start)}",
            f'#EXT-X-MAP:URI="{init_url(part.segment)}"',
            f"#EXTINF:{part.seconds:.3f},",
            media_url(part.segment),
        ]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


# -- the timeline bar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WallSpan:
    start: datetime
    end: datetime

    @property
    def start_ms(self) -> int:
        """Milliseconds since the epoch, as the page's script counts time."""
        return round(self.start.timestamp() * 1000)

    @property
    def end_ms(self) -> int:
        return round(self.end.timestamp() * 1000)


@dataclass(frozen=True)
class TimelineSpan(_WallSpan):
    """One coloured span of a timeline bar: footage, or a gap with its reason (존재확인's words)."""

    kind: str  # a rules.coverage.Coverage value, also the CSS modifier
    label: str
    left: float  # percent of the bar
    width: float

    @property
    def has_footage(self) -> bool:
        return self.kind == Coverage.FOOTAGE.value

    @property
    def form_start(self) -> str:
        """The span's start for the purpose form (한국 시각, minutes, rounded down)."""
        return self.start.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")

    @property
    def form_end(self) -> str:
        """The span's end for the purpose form, rounded up to the minute so the span is inside."""
        end = self.end.astimezone(SEOUL)
        if end.second or end.microsecond:
            end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return end.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Timeline(_WallSpan):
    spans: tuple[TimelineSpan, ...]

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(kind, label) of each kind the bar shows, footage first."""
        kinds = {span.kind: span.label for span in self.spans}
        return [(c.value, kinds[c.value]) for c in Coverage if c.value in kinds]


def timeline(intervals: list[Interval], start: datetime, end: datetime) -> Timeline:
    """The bar over [start, end): the existence check's intervals as percentages of its width."""
    whole = (end - start).total_seconds() or 1.0
    spans = []
    for interval in intervals:
        left = max(interval.start, start)
        right = min(interval.end, end)
        if right <= left:
            continue
        spans.append(
            TimelineSpan(
                start=left,
                end=right,
                kind=interval.coverage.value,
                label=COVERAGE_LABELS[interval.coverage],
                left=round(100 * (left - start).total_seconds() / whole, 4),
                width=round(100 * (right - left).total_seconds() / whole, 4),
            )
        )
    return Timeline(start, end, tuple(spans))
