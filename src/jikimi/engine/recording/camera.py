"""CameraRecorder: one camera's recording loop — connect, cut, hand over, reconnect.

A recorder pulls one source with PyAV — RTSP, always over TCP (no lost packets behind NAT or on a
busy link: a lost packet is a damaged picture in evidence), or HTTP/HLS — and feeds its video
packets to a `LiveCutter`, which hands each whole segment to the sink. Audio is never taken into a
segment (법 제25조⑤, R13); that the source carries audio is reported in every status and segment, so
that the vault raises the health warning (control centre: "audio enabled").

When the source drops — refused, reset, silent for `read_timeout`, or ended — the open segment is
closed at the last packet and handed over (it is whole), the camera is reported RECONNECTING, and
the recorder retries after an exponential back-off (`Backoff`). The interval from the end of the
last segment to the start of the first one after the reconnection is reported as a `Gap`.

A source that answers but cannot be recorded by remuxing (no video stream, a codec other than
H.264/HEVC) raises `SourceUnusable`: retrying in a second will not fix a camera's settings; the
supervisor reports it FAILED and retries on its slower restart back-off.

Every video packet is also measured (`StreamMeter`: frame rate, bitrate, the camera's clock against
ours); each segment is handed over as a `RecordedSegment` carrying the figures of its interval, for the
health page (오산시 지침 제27조).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

import av
import av.error

from jikimi.engine.footage.probe import VIDEO_CODECS
from jikimi.engine.footage.segmenter import DEFAULT_SEGMENT_SECONDS, Segment
from jikimi.engine.recording.cutter import LiveCutter
from jikimi.engine.recording.errors import SourceUnusable
from jikimi.engine.recording.events import CameraState, CameraStatus, Gap, RecordedSegment, RecordingSink
from jikimi.engine.recording.live import LivePublisher
from jikimi.engine.recording.meter import StreamMeter

Clock = Callable[[], datetime]
SCHEMES = ("rtsp://", "rtsps://", "http://", "https://")


def _microseconds(seconds: float) -> str:
    return str(round(seconds * 1_000_000))


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off: initial, initial×factor, … capped at maximum, each stretched by up to jitter.

    Jitter keeps a hundred cameras that dropped together (a switch rebooting) from all knocking at
    the same instant.
    """

    initial: float = 1.0
    factor: float = 2.0
    maximum: float = 60.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.factor < 1 or self.maximum < self.initial or not 0 <= self.jitter <= 1:
            raise ValueError(f"invalid back-off {self}")

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``attempt`` (1 for the first retry)."""
        base = min(self.maximum, self.initial * self.factor ** max(0, attempt - 1))
        return base * (1 + self.jitter * rng())


@dataclass(frozen=True)
class CameraSource:
    """One camera to record: its id (names objects in the store), its URL and how to cut it."""

    camera: str
    # May carry the camera's login (rtsp://user:password@…): never in a repr, a log or a status (R42).
    url: str = field(repr=False)
    segment_seconds: float = DEFAULT_SEGMENT_SECONDS
    day_zone: tzinfo = UTC  # the vault passes Asia/Seoul: day keys follow its calendar days
    # Seconds a connect or a read may wait for data before the source counts as dropped. FFmpeg
    # enforces it on the socket (see open_options), so a camera that stalls with its connection open
    # is found as surely as one that resets it.
    read_timeout: float = 10.0
    analyze_seconds: float = 2.0  # how long FFmpeg may read the stream to learn its parameters on connect
    max_drift: float = 1.0  # seconds the camera's clock may drift from ours before segments follow ours
    backoff: Backoff = field(default_factory=Backoff)
    # Where the recorder also publishes the camera live (jikimi.engine.recording.live); empty: not at all.
    live_dir: str = ""
    # The camera's sub-stream for the live wall (a smaller picture; same login rules as url, R42).
    # Empty: the wall gets the main stream's packets, already received, remuxed (no second connection).
    live_url: str = field(default="", repr=False)
    live_part_seconds: float = 0.5
    live_window_seconds: float = 180.0

    def __post_init__(self) -> None:
        if not self.camera:
            raise ValueError("camera id is empty")
        if not self.url.startswith(SCHEMES):
            raise ValueError(
                f"{self.camera}: source URL must be rtsp://, rtsps://, http:// or https:// ({self.redacted_url()!r})"
            )
        if (
            min(
                self.segment_seconds,
                self.read_timeout,
                self.max_drift,
                self.analyze_seconds,
            )
            <= 0
        ):
            raise ValueError(f"{self.camera}: segment length, timeouts and drift must be positive")

    def open_options(self) -> dict[str, str]:
        analyze = {"analyzeduration": str(round(self.analyze_seconds * 1_000_000))}
        if self.url.startswith(("rtsp://", "rtsps://")):
            # TCP: RTP interleaved in the RTSP connection, no packet loss (see the module docstring).
            # FFmpeg's own socket timeout (µs), for connecting and for every read: PyAV's `timeout=`
            # would instead run a Python interrupt callback on every socket read, and with a hundred
            # cameras in one process those GIL round trips cost more than the remux (bench/recording).
            return {"rtsp_transport": "tcp", "timeout": _microseconds(self.read_timeout), **analyze}
        # HLS: start at the live edge; reload the playlist instead of giving up when it lags.
        return {
            "live_start_index": "-1",
            "m3u8_hold_counters": "30",
            "rw_timeout": _microseconds(self.read_timeout),
            **analyze,
        }

    def redacted_url(self) -> str:
        """The URL without credentials (rtsp://user:pass@host/...), for statuses and logs."""
        scheme, _, rest = self.url.partition("://")
        host, slash, path = rest.partition("/")
        return f"{scheme}://{host.rpartition('@')[2]}{slash}{path}"


class CameraRecorder:
    """Records one camera until `stop` is set (see the module docstring). Call `run` in its own thread."""

    def __init__(self, source: CameraSource, sink: RecordingSink, *, clock: Clock = utc_now) -> None:
        self.source = source
        self.sink = sink
        self.clock = clock
        self.next_index = 0
        self.last_end: datetime | None = None  # end of the last segment handed over
        self.gap_start: datetime | None = None
        self.gap_reason = ""
        self.had_audio = False
        self.attempt = 0
        self.segments = 0
        self.live: LivePublisher | None = None
        self._main_live: LivePublisher | None = None  # the publisher fed from the recorded stream
        self.meter = StreamMeter()

    def resume_after_failure(self, previous: CameraRecorder, reason: str) -> None:
        """Continue where a failed recorder of the same camera stopped: its segment numbering, and
        the gap from its last segment (the segment it was handing over was lost) to this one's first."""
        self.next_index = previous.next_index
        self.last_end = previous.last_end
        self.had_audio = previous.had_audio
        self.meter = previous.meter  # the camera's baseline outlives a crashed worker
        self.gap_start = previous.gap_start or previous.last_end or self.clock()
        self.gap_reason = previous.gap_reason if previous.gap_start else reason

    def _state(self, state: CameraState, detail: str = "", retry_in: float | None = None) -> None:
        self.sink.on_state(
            CameraStatus(
                camera=self.source.camera,
                state=state,
                since=self.clock(),
                detail=detail,
                had_audio=self.had_audio,
                attempt=self.attempt,
                retry_in=None if retry_in is None else timedelta(seconds=retry_in),
            )
        )

    def run(self, stop: threading.Event) -> None:
        """Record until ``stop`` is set. Raises SourceUnusable, or whatever the sink raises."""
        self._state(CameraState.CONNECTING)
        if self.source.live_dir:
            self.live = LivePublisher(
                self.source.live_dir,
                self.source.camera,
                part_seconds=self.source.live_part_seconds,
                window_seconds=self.source.live_window_seconds,
            )
        substream: threading.Thread | None = None
        if self.live is not None and self.source.live_url:
            substream = threading.Thread(
                target=self._publish_substream,
                args=(self.live, stop),
                name=f"live-{self.source.camera}",
                daemon=True,
            )
            substream.start()
        else:
            self._main_live = self.live
        try:
            while not stop.is_set():
                reason = self._record_connection(stop)
                if stop.is_set():
                    break
                self.attempt += 1
                if self.gap_start is None:  # the gap's reason is what began it, not the last retry's
                    self.gap_start = self.last_end or self.clock()
                    self.gap_reason = reason
                delay = self.source.backoff.delay(self.attempt)
                self._state(CameraState.RECONNECTING, reason, retry_in=delay)
                stop.wait(delay)
        finally:
            if self.gap_start is not None and stop.is_set():
                end = max(self.clock(), self.gap_start)
                self.sink.on_gap(
                    Gap(self.source.camera, self.gap_start, end, f"{self.gap_reason}; recorder stopped")
                )
                self.gap_start = None
            if substream is not None:
                substream.join(self.source.read_timeout + 5)
            if self.live is not None:
                self.live.remove()  # not recorded any more: nothing of the live window stays
        self._state(CameraState.STOPPED)

    def _record_connection(self, stop: threading.Event) -> str:
        """One connection, from open to drop; returns why it ended (for the gap and the status)."""
        source = self.source
        try:
            container = av.open(
                source.url,
                mode="r",
                options=source.open_options(),
            )
        except (av.error.FFmpegError, OSError) as exc:
            return f"cannot connect to {source.redacted_url()}: {_describe(exc)}"
        cutter: LiveCutter | None = None
        reason = "the source ended the stream"
        try:
            if not container.streams.video:
                raise SourceUnusable(f"{source.camera}: {source.redacted_url()} sends no video stream")
            video = container.streams.video[0]
            codec = video.codec_context.name
            if codec not in VIDEO_CODECS:
                raise SourceUnusable(
                    f"{source.camera}: video codec '{codec}' cannot be recorded without re-encoding (accepted: h264, hevc)"
                )
            self.had_audio = bool(container.streams.audio)
            cutter = LiveCutter(
                video,
                segment_seconds=source.segment_seconds,
                day_zone=source.day_zone,
                had_audio=self.had_audio,
                first_index=self.next_index,
                not_before=self.last_end,
                max_drift=timedelta(seconds=source.max_drift),
            )
            recording = False
            self.meter.connect()
            time_base = float(video.time_base or 1 / 90000)
            if self._main_live is not None:
                self._main_live.open(video)
            try:
                # Only the video stream is demuxed: audio packets are freed as they are read, never reaching Python.
                for packet in container.demux(video):
                    if stop.is_set():
                        break
                    arrival = self.clock()
                    if self._main_live is not None:
                        # The same packet, remuxed for the live wall: no second connection, no encoding.
                        self._main_live.push(packet, arrival)
                    size, pts = packet.size, packet.pts  # read before the cutter muxes it
                    segment = cutter.push(packet, arrival)
                    if not recording and cutter.packets:
                        recording = True
                        self.attempt = 0
                        detail = (
                            "the source carries audio: it is dropped (법 제25조⑤)" if self.had_audio else ""
                        )
                        self._state(CameraState.RECORDING, detail)
                    if segment is not None:
                        self._hand_over(segment)
                    if pts is not None and size:
                        # After the hand-over: the packet that cut a segment is the next one's first.
                        # The camera's wall clock, once its first RTCP sender report has come in:
                        # FFmpeg dates pts 0 by it (µs since 1970; see meter's docstring).
                        realtime = container.start_time_realtime
                        camera_time = None if realtime is None else realtime / 1e6 + float(pts) * time_base
                        self.meter.packet(float(pts) * time_base, arrival, size, camera_time)
            except (av.error.FFmpegError, OSError) as exc:
                reason = f"{source.redacted_url()} dropped: {_describe(exc)}"
            segment = cutter.flush()
            if segment is not None:
                self._hand_over(segment)
        finally:
            if cutter is not None:
                cutter.abandon()
            if self._main_live is not None:
                self._main_live.close()
            container.close()
        return reason

    def _publish_substream(self, publisher: LivePublisher, stop: threading.Event) -> None:
        """The wall's picture from the camera's sub-stream: remuxed like the main one, never recorded;
        reconnected with the camera's back-off while the recorder runs."""
        attempt = 0
        options = self.source.open_options()
        while not stop.is_set():
            try:
                container = av.open(self.source.live_url, mode="r", options=options)
            except (av.error.FFmpegError, OSError):
                container = None
            if container is not None:
                try:
                    video = container.streams.video[0] if container.streams.video else None
                    if video is not None and video.codec_context.name in VIDEO_CODECS:
                        publisher.open(video)
                        for packet in container.demux(video):
                            if stop.is_set():
                                break
                            publisher.push(packet, self.clock())
                            attempt = 0
                except (av.error.FFmpegError, OSError):
                    pass
                finally:
                    publisher.close()
                    container.close()
            attempt += 1
            stop.wait(self.source.backoff.delay(attempt))

    def _hand_over(self, segment: Segment) -> None:
        if self.gap_start is not None:
            end = max(segment.start, self.gap_start)
            self.sink.on_gap(Gap(self.source.camera, self.gap_start, end, self.gap_reason))
            self.gap_start = None
        stats = self.meter.close_interval(self.clock())
        self.sink.on_segment(self.source.camera, RecordedSegment.of(segment, stats))
        self.next_index = segment.index + 1
        self.last_end = segment.end
        self.segments += 1


def _describe(exc: BaseException) -> str:
    if isinstance(exc, av.error.FFmpegError):
        return exc.strerror or str(exc)
    return str(exc)
