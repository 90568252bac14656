"""LivePublisher: the packets a recorder already receives, remuxed into a low-latency HLS window.

The control centre watches cameras live (오산시 지침 제12조①, 제19조①) from the recorder, never over a
second connection to the camera, and without re-encoding: the recorder hands each video packet it
reads to the publisher as well as to the cutter. The publisher muxes it, alone, into a fragmented MP4
(one fragment per frame, the init part once per connection), groups frames into *parts* of about
`part_seconds` and parts into *segments* that start on keyframes (LL-HLS, RFC 8216bis: EXT-X-PART),
and writes them into a live directory:

    <live_dir>/<camera>/init-<connection>.mp4
    <live_dir>/<camera>/<msn>.<part>.m4s          one part (a segment is its parts concatenated)
    <live_dir>/<camera>/index.json                 the window: segments, their parts, wall-clock starts
    <live_dir>/<camera>/owner                      the token of the publisher that writes the window

`index.json` is replaced atomically after every part; files that leave the window (`window_seconds`,
the last minutes kept for instant replay) are deleted at once. The live directory is personal video
(R41): local to the recorder node, never the vault, never kept, read only by an authorized and audited
view (jikimi.control.live_stream). Audio is never carried (법 제25조⑤, R13): only the video stream.

One writer per window: during a hand-back between recorder nodes (vault.actions.leases) two recorders of
one camera run at once, on one machine's live directory in a small fleet. The newest publisher takes the
window (it writes its token into `owner`); an older one stops writing and never deletes what it no
longer owns — else the giver, stopping, would remove the taker's window from the wall. Should the owner
go and remove the window while an older publisher still records (a hand-back that did not complete),
that one takes the window back with a fresh start.

Wall-clock time: each segment is dated in UTC by its first frame, on the connection's anchor — as the
cutter does, the earliest ``arrival - offset`` seen, so that the burst of frames FFmpeg buffered while
probing the stream is not dated late. Every segment of a connection is dated on the *same* anchor,
rewritten with the index when it moves: the dates of a playlist then differ exactly by the segments'
durations. (Dated each on the anchor of its own time, the first segments of a connection stood up to
a second and more apart from the rest; hls.js re-aligns its timeline on EXT-X-PROGRAM-DATE-TIME at
every reload, and those jumps left it loading parts it could not place: the picture froze.) The
anchor moves only by more than `_ANCHOR_STEP`, so that jitter of a few milliseconds does not shift
the timeline at every part. The player shows the date as the picture's time; the wall's latency is
measured against the camera's own clock by the tests (tools.simcam.stamp).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error

INDEX = "index.json"
OWNER = "owner"
_MOVFLAGS = "frag_every_frame+empty_moov+default_base_moof"
_ANCHOR_STEP = timedelta(milliseconds=50)


class _Chunks:
    """A write-only, non-seekable file for the muxer: the fragments are taken as they are written."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)


def _boxes(data: bytearray) -> tuple[list[tuple[bytes, bytes]], int]:
    """The complete top-level boxes at the start of ``data`` (type, bytes) and how many bytes they use."""
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size = struct.unpack_from(">I", data, offset)[0]
        kind = bytes(data[offset + 4 : offset + 8])
        if size == 1 and offset + 16 <= len(data):
            size = struct.unpack_from(">Q", data, offset + 8)[0]
        if size < 8 or offset + size > len(data):
            break
        boxes.append((kind, bytes(data[offset : offset + size])))
        offset += size
    return boxes, offset


@dataclass
class _Frame:
    keyframe: bool
    seconds: float
    offset: float  # seconds from the connection's first frame (its media time)


@dataclass
class LivePart:
    number: int
    seconds: float
    independent: bool


@dataclass
class LiveSegment:
    msn: int
    offset: float  # its first frame's media time in its connection (seconds)
    init: str  # the init part of its connection
    parts: list[LivePart] = field(default_factory=list)
    complete: bool = False

    @property
    def seconds(self) -> float:
        return sum(p.seconds for p in self.parts)


class LivePublisher:
    """One camera's live window (see the module docstring). Fed from its recorder's worker thread."""

    def __init__(
        self,
        live_dir: str | Path,
        camera: str,
        *,
        part_seconds: float = 0.5,
        segment_seconds: float = 1.0,
        window_seconds: float = 180.0,
    ) -> None:
        self.directory = Path(live_dir) / camera
        self.part_seconds = part_seconds
        self.segment_seconds = segment_seconds
        self.window_seconds = window_seconds
        self.token = uuid.uuid4().hex
        # A new publisher (a recorder started or restarted) starts a new window: numbering restarts.
        shutil.rmtree(self.directory, ignore_errors=True)
        self._take()
        self.connection = 0
        self.segments: deque[LiveSegment] = deque()
        self.next_msn = 0
        self._output: Any = None
        self._file: _Chunks | None = None
        self._stream: Any = None
        self._time_base = Fraction(1, 90000)
        self._frame_seconds = 1 / 25
        self._pending: deque[_Frame] = deque()
        self._init_name = ""
        self._init_bytes = b""
        self._init_data = b""  # the connection's whole init part, written again on taking the window back
        self._part: list[bytes] = []
        self._part_frames: list[_Frame] = []
        self._base_dts: int | None = None
        self._last_dts: int | None = None
        self._origin_pts: int | None = None
        self._anchor: datetime | None = None  # wall-clock time of _origin_pts (module docstring)
        self._anchors: dict[str, datetime] = {}  # per connection (init part): the anchor its dates use
        self._lock = threading.Lock()

    # -- the recorder's calls --

    def open(self, source: av.VideoStream) -> None:
        """A new connection: a new init part; the window keeps its earlier segments (a discontinuity)."""
        self.close()
        self.connection += 1
        self._file = _Chunks()
        self._output = av.open(
            self._file,
            mode="w",
            format="mp4",
            options={"movflags": _MOVFLAGS, "flush_packets": "1"},
        )
        self._stream = self._output.add_stream_from_template(source)
        if source.codec_context.name == "hevc":
            self._stream.codec_tag = "hvc1"
        self._time_base = Fraction(source.time_base or Fraction(1, 90000))
        rate = source.average_rate or source.guessed_rate
        self._frame_seconds = float(1 / Fraction(rate)) if rate else 1 / 25
        self._pending.clear()
        self._part, self._part_frames = [], []
        self._base_dts = self._last_dts = None
        self._origin_pts = None
        self._anchor = None
        self._init_name = ""

    def push(self, packet: av.Packet[Any], arrival: datetime) -> None:
        """Mux one video packet received at ``arrival`` (UTC); the recorder's own packet is untouched."""
        if self._output is None or packet.size == 0 or packet.pts is None:
            return
        keyframe = bool(packet.is_keyframe)
        if self._base_dts is None and not keyframe:
            return  # nothing before the first keyframe can be decoded
        pts = int(packet.pts)
        dts = int(packet.dts) if packet.dts is not None else pts
        if self._last_dts is not None and dts <= self._last_dts:
            return  # the MP4 muxer needs increasing dts
        if self._base_dts is None:
            self._base_dts = dts
        self._last_dts = dts
        if self._origin_pts is None:
            self._origin_pts = pts
        offset = timedelta(seconds=float((pts - self._origin_pts) * self._time_base))
        if self._anchor is None or arrival - offset < self._anchor:
            self._anchor = arrival - offset  # a packet cannot arrive before it was captured
        copy = av.Packet(bytes(packet))  # a copy: muxing rebases timestamps in place
        copy.pts, copy.dts = pts - self._base_dts, dts - self._base_dts
        copy.time_base = self._time_base
        copy.is_keyframe = keyframe
        duration = int(packet.duration or 0)
        if duration:
            copy.duration = duration
        copy.stream = self._stream
        seconds = float(duration * self._time_base) if duration else self._frame_seconds
        self._pending.append(_Frame(keyframe, seconds, offset.total_seconds()))
        try:
            self._output.mux(copy)
        except av.error.FFmpegError:
            self._pending.pop()
            return
        self._collect()

    def close(self) -> None:
        """The connection ended: the open part and segment are closed as they are."""
        if self._output is not None:
            with contextlib.suppress(av.error.FFmpegError, ValueError):
                self._output.close()
            self._collect()
            self._end_part(final=True)
        self._output = self._file = self._stream = None

    def remove(self) -> None:
        """The camera is no longer recorded: its live window goes too (nothing of it is kept) — unless
        another publisher of the camera took it meanwhile (module docstring)."""
        self.close()
        if self._owner() == self.token:
            shutil.rmtree(self.directory, ignore_errors=True)

    # -- the window's owner --

    def _take(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".{OWNER}.{self.token}.tmp"
        temporary.write_text(self.token)
        os.replace(temporary, self.directory / OWNER)

    def _owner(self) -> str | None:
        try:
            return (self.directory / OWNER).read_text()
        except FileNotFoundError:
            return None

    def _owns(self) -> bool:
        """Whether this publisher writes the window; takes it back (afresh) when its owner removed it."""
        owner = self._owner()
        if owner == self.token:
            return True
        if owner is not None:
            return False
        self._take()
        self.segments.clear()  # their files went with the window
        if self._init_name and self._init_data:
            self._write(self._init_name, self._init_data)
        return True

    # -- fragments → parts → segments --

    def _collect(self) -> None:
        assert self._file is not None
        boxes, used = _boxes(self._file.data)
        if not used:
            return
        del self._file.data[:used]
        fragment = b""
        for kind, data in boxes:
            if kind in (b"ftyp", b"moov"):
                if kind == b"ftyp":
                    self._init_bytes = data
                else:
                    self._init_name = f"init-{self.connection}.mp4"
                    self._init_data = self._init_bytes + data
                    if self._owns():
                        self._write(self._init_name, self._init_data)
            elif kind == b"moof":
                fragment = data
            elif kind == b"mdat" and fragment:
                self._fragment(fragment + data)
                fragment = b""

    def _fragment(self, data: bytes) -> None:
        if not self._pending:
            return
        frame = self._pending.popleft()
        if frame.keyframe and (self._part_frames or self._segment_long_enough()):
            # A segment starts on a keyframe once the open one is long enough (parts in between).
            self._end_part(final=self._segment_long_enough())
        self._part.append(data)
        self._part_frames.append(frame)
        if sum(f.seconds for f in self._part_frames) >= self.part_seconds - 1e-6:
            self._end_part(final=False)

    def _segment_long_enough(self) -> bool:
        current = self.segments[-1] if self.segments and not self.segments[-1].complete else None
        done = current.seconds if current else 0.0
        return done + sum(f.seconds for f in self._part_frames) >= self.segment_seconds * 0.9

    def _end_part(self, *, final: bool) -> None:
        with self._lock:
            if not self._owns():
                self._part, self._part_frames = [], []  # another recorder of the camera writes the window
                return
            if self._part_frames:
                current = self.segments[-1] if self.segments and not self.segments[-1].complete else None
                if current is None:
                    current = LiveSegment(self.next_msn, self._part_frames[0].offset, self._init_name)
                    self.segments.append(current)
                    self.next_msn += 1
                part = LivePart(
                    len(current.parts),
                    sum(f.seconds for f in self._part_frames),
                    self._part_frames[0].keyframe,
                )
                self._write(f"{current.msn}.{part.number}.m4s", b"".join(self._part))
                current.parts.append(part)
                self._part, self._part_frames = [], []
            if final and self.segments and not self.segments[-1].complete:
                self.segments[-1].complete = True
            published = self._anchors.get(self._init_name)
            if self._anchor is not None and (published is None or published - self._anchor > _ANCHOR_STEP):
                self._anchors[self._init_name] = self._anchor
            self._roll()
            self._write_index()

    def start(self, segment: LiveSegment) -> datetime:
        """When the segment's first frame was received (UTC), on its connection's anchor."""
        return self._anchors[segment.init] + timedelta(seconds=segment.offset)

    def _roll(self) -> None:
        if not self.segments:
            return
        newest = self.start(self.segments[-1])
        while (
            len(self.segments) > 1
            and (newest - self.start(self.segments[0])).total_seconds() > self.window_seconds
        ):
            old = self.segments.popleft()
            for part in old.parts:
                with contextlib.suppress(FileNotFoundError):
                    (self.directory / f"{old.msn}.{part.number}.m4s").unlink()
        keep = {s.init for s in self.segments} | {self._init_name}
        self._anchors = {init: anchor for init, anchor in self._anchors.items() if init in keep}
        for path in self.directory.glob("init-*.mp4"):
            if path.name not in keep:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()

    def _write(self, name: str, data: bytes) -> None:
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, self.directory / name)

    def _write_index(self) -> None:
        index = {
            "part_target": self.part_seconds,
            "segments": [
                {
                    "msn": s.msn,
                    "init": s.init,
                    "start": self.start(s).isoformat(),
                    "complete": s.complete,
                    "parts": [[p.seconds, p.independent] for p in s.parts],
                }
                for s in self.segments
            ],
        }
        self._write(INDEX, json.dumps(index, separators=(",", ":")).encode())
