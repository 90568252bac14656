"""Split a stored segment (a fragmented MP4) into its init part and its media fragments, for HLS.

Every segment the segmenter writes is ``ftyp moov (moof mdat)+ [mfra]``: the init part (ftyp + moov,
no samples) then one moof+mdat fragment per keyframe. An HLS playlist plays it as ``EXT-X-MAP`` =
the init part and a media segment = a run of fragments; the vault cuts that run to the fragments a
viewing covers (R41: what is served is what the viewing recorded), which is why each fragment's time
is read here from its ``tfdt`` (base media decode time) and the track's ``mdhd`` timescale.

Times are seconds from the first fragment's decode time, so they match the segment's index start
(the segmenter shifts every segment to start at zero). Only top-level boxes and the few small
boxes named above are read; sample data is never touched. Pure bytes in, dataclasses out.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from jikimi.engine.footage.errors import FootageError

_HEADER = struct.Struct(">I4s")


class Fmp4Error(FootageError):
    """The bytes are not a fragmented MP4 as the segmenter writes them."""


@dataclass(frozen=True)
class Fragment:
    offset: int  # of the moof, in the segment
    length: int  # moof + mdat (and anything between them up to the next moof)
    start: Fraction  # seconds from the segment's first fragment
    end: Fraction  # seconds: the next fragment's start, or start + the sample durations for the last


@dataclass(frozen=True)
class Fmp4Layout:
    init_length: int  # bytes [0, init_length) are ftyp + moov
    timescale: int
    fragments: tuple[Fragment, ...]

    @property
    def duration(self) -> Fraction:
        return self.fragments[-1].end if self.fragments else Fraction(0)

    def covering(self, start: float | Fraction, end: float | Fraction) -> tuple[Fragment, ...]:
        """The run of fragments that overlap [start, end) seconds (a fragment starts at a keyframe)."""
        return tuple(f for f in self.fragments if f.start < end and f.end > start)


def _boxes(
    data: bytes | memoryview, start: int = 0, end: int | None = None
) -> Iterator[tuple[bytes, int, int]]:
    """(type, offset of the box, offset after it) for each box in data[start:end]; stops at a cut box."""
    end = len(data) if end is None else end
    offset = start
    while offset + 8 <= end:
        size, kind = _HEADER.unpack_from(data, offset)
        header = 8
        if size == 1:
            if offset + 16 > end:
                return
            size = struct.unpack_from(">Q", data, offset + 8)[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header:
            raise Fmp4Error(f"box {kind!r} at byte {offset} declares an impossible size {size}")
        if offset + size > end:
            return
        yield bytes(kind), offset, offset + size
        offset += size


def _child(data: bytes, start: int, end: int, kind: bytes, header: int = 8) -> tuple[int, int] | None:
    for found, child_start, child_end in _boxes(data, start + header, end):
        if found == kind:
            return child_start, child_end
    return None


def _path(data: bytes, start: int, end: int, *kinds: bytes) -> tuple[int, int] | None:
    span: tuple[int, int] | None = (start, end)
    for kind in kinds:
        if span is None:
            return None
        span = _child(data, span[0], span[1], kind)
    return span


def init_length(head: bytes) -> int | None:
    """Length of the init part (everything before the first moof), or None if ``head`` ends first.

    Lets a reader decrypt only the first chunk(s) of a segment to serve its EXT-X-MAP.
    """
    offset = 0
    while offset + 8 <= len(head):
        size, kind = _HEADER.unpack_from(head, offset)
        if kind == b"moof":
            return offset if offset > 0 else None
        if size == 1:
            if offset + 16 > len(head):
                return None
            size = struct.unpack_from(">Q", head, offset + 8)[0]
        if size < 8:
            raise Fmp4Error(f"box {kind!r} at byte {offset} declares an impossible size {size}")
        offset += size
    return None


def _timescale(data: bytes, moov: tuple[int, int]) -> tuple[int, int]:
    """(timescale, default sample duration from trex or 0) of the segment's one video track."""
    mdhd = _path(data, moov[0], moov[1], b"trak", b"mdia", b"mdhd")
    if mdhd is None:
        raise Fmp4Error("moov has no trak/mdia/mdhd: no timescale")
    body = mdhd[0] + 8
    version = data[body]
    timescale = struct.unpack_from(">I", data, body + (20 if version == 1 else 12))[0]
    if timescale == 0:
        raise Fmp4Error("mdhd declares a timescale of 0")
    trex = _path(data, moov[0], moov[1], b"mvex", b"trex")
    default = struct.unpack_from(">I", data, trex[0] + 8 + 12)[0] if trex else 0
    return timescale, default


def _fragment_times(data: bytes, moof: tuple[int, int], trex_duration: int) -> tuple[int, int]:
    """(base media decode time, sum of sample durations) of a moof's one traf, in timescale units."""
    traf = _child(data, moof[0], moof[1], b"traf")
    if traf is None:
        raise Fmp4Error(f"moof at byte {moof[0]} has no traf")
    tfdt = _child(data, traf[0], traf[1], b"tfdt")
    if tfdt is None:
        raise Fmp4Error(f"moof at byte {moof[0]} has no tfdt (base media decode time)")
    body = tfdt[0] + 8
    decode = struct.unpack_from(">Q" if data[body] == 1 else ">I", data, body + 4)[0]
    default = trex_duration
    tfhd = _child(data, traf[0], traf[1], b"tfhd")
    if tfhd is not None:
        flags = int.from_bytes(data[tfhd[0] + 9 : tfhd[0] + 12], "big")
        cursor = tfhd[0] + 16  # after version/flags and track id
        cursor += 8 if flags & 0x01 else 0  # base data offset
        cursor += 4 if flags & 0x02 else 0  # sample description index
        if flags & 0x08:
            default = struct.unpack_from(">I", data, cursor)[0]
    total = 0
    for kind, start, _ in _boxes(data, traf[0] + 8, traf[1]):
        if kind != b"trun":
            continue
        flags = int.from_bytes(data[start + 9 : start + 12], "big")
        count = struct.unpack_from(">I", data, start + 12)[0]
        cursor = start + 16 + (4 if flags & 0x01 else 0) + (4 if flags & 0x04 else 0)
        if not flags & 0x100:
            total += default * count
            continue
        stride = 4 * sum(1 for bit in (0x100, 0x200, 0x400, 0x800) if flags & bit)
        for _ in range(count):
            total += struct.unpack_from(">I", data, cursor)[0]
            cursor += stride
    return decode, total


def fmp4_layout(data: bytes) -> Fmp4Layout:
    """The init part and the fragments of a whole fragmented-MP4 segment, with their times."""
    init: int | None = None
    moov: tuple[int, int] | None = None
    raw: list[tuple[int, int, int, int]] = []  # offset, end, decode time, sample durations
    timescale, trex_duration = 0, 0
    last_end = 0
    for kind, start, end in _boxes(data):
        last_end = end
        if kind == b"moov":
            moov = (start, end)
            timescale, trex_duration = _timescale(data, moov)
        elif kind == b"moof":
            if moov is None:
                raise Fmp4Error("a moof comes before the moov: not an initialised fragmented MP4")
            if init is None:
                init = start
            raw.append((start, end, *_fragment_times(data, (start, end), trex_duration)))
        elif kind == b"mdat" and raw:
            # The fragment runs to the end of its mdat (a trailing mfra is no part of it).
            offset, _, decode, durations = raw[-1]
            raw[-1] = (offset, end, decode, durations)
    if last_end != len(data):
        raise Fmp4Error(f"the segment is cut: a box runs past its {len(data)} bytes")
    if moov is None or init is None or not raw:
        raise Fmp4Error("not a fragmented MP4 with an init part and at least one fragment")
    first = raw[0][2]
    fragments = []
    for index, (offset, end, decode, durations) in enumerate(raw):
        stop = raw[index + 1][2] if index + 1 < len(raw) else decode + durations
        fragments.append(
            Fragment(
                offset=offset,
                length=end - offset,
                start=Fraction(decode - first, timescale),
                end=Fraction(max(stop, decode) - first, timescale),
            )
        )
    return Fmp4Layout(init_length=init, timescale=timescale, fragments=tuple(fragments))


def media_bytes(data: bytes, fragments: tuple[Fragment, ...]) -> bytes:
    """The bytes of a run of consecutive fragments: one HLS media segment."""
    if not fragments:
        return b""
    return data[fragments[0].offset : fragments[-1].offset + fragments[-1].length]
