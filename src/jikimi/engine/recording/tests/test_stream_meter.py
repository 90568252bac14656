"""StreamMeter and stream_faults: frame rate, bitrate and clock drift per segment (오산시 지침 제27조),
measured on made-up packets (pure), and on a simulated camera's real stream (the recorder's segments
carry their figures, and the drift of a camera whose clock runs slow is found)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from tools.simcam.rtsp import RtspCameraServer
from tools.simcam.scenes import SceneLoop

from jikimi.engine.recording import (
    CameraRecorder,
    RecordedSegment,
    StreamLimits,
    StreamMeter,
    StreamStats,
    stream_faults,
)
from jikimi.engine.recording.meter import BITRATE, CLOCK, DRIFT, FRAME_RATE
from jikimi.engine.recording.tests.conftest import FPS, CollectingSink, source

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def feed(
    meter: StreamMeter,
    *,
    start: float,
    seconds: float,
    fps: float = 10,
    size: int = 1000,
    camera_rate: float = 1.0,
    delay: float = 0.0,
) -> StreamStats | None:
    """`seconds` of packets from `start` (our clock, s after T0); the camera's timeline runs at
    `camera_rate` of ours, each packet `delay` s late; closes the interval at the end."""
    frames = round(seconds * fps)
    for n in range(frames):
        at = start + n / fps
        meter.packet(at * camera_rate, T0 + timedelta(seconds=at + delay), size)
    return meter.close_interval(T0 + timedelta(seconds=start + seconds))


def test_frame_rate_and_bitrate_are_measured_per_interval_against_the_cameras_own_baseline() -> None:
    meter = StreamMeter(history=5, min_baseline=3)
    first = feed(meter, start=0, seconds=10)
    assert first is not None and first.settling  # the connection's first interval: never judged
    for n in range(1, 4):
        steady = feed(meter, start=10 * n, seconds=10)
    assert steady is not None and steady.frames_per_second == pytest.approx(10)
    assert steady.bits_per_second == pytest.approx(10 * 1000 * 8)
    assert steady.baseline_fps is None  # only two intervals in the baseline before this one
    slow = feed(meter, start=40, seconds=10, fps=3, size=300)
    assert slow is not None and slow.baseline_fps == pytest.approx(10)
    assert stream_faults(slow, StreamLimits()) == [FRAME_RATE, BITRATE]
    fine = feed(meter, start=50, seconds=10)
    assert fine is not None and stream_faults(fine, StreamLimits()) == []


def test_the_registers_stated_figures_are_the_reference_where_given() -> None:
    meter = StreamMeter(min_baseline=1)
    feed(meter, start=0, seconds=10)
    stats = feed(meter, start=10, seconds=10, fps=10)
    assert stats is not None
    assert stream_faults(stats, StreamLimits(), stated_fps=30) == [FRAME_RATE]
    assert stream_faults(stats, StreamLimits(), stated_fps=15) == []


def test_drift_is_the_change_of_the_smallest_lag_since_the_connection_began() -> None:
    meter = StreamMeter()
    # The camera's clock runs 1 % slow: after 300 s its timeline is 3 s behind ours; network delay
    # (here 50 ms on every packet) is no drift.
    stats = None
    for n in range(30):
        stats = feed(meter, start=10 * n, seconds=10, camera_rate=0.99, delay=0.05)
    assert stats is not None
    assert stats.drift_seconds == pytest.approx(2.9, abs=0.11)
    assert stats.drift_ppm == pytest.approx(10_000, rel=0.05)
    assert DRIFT in stream_faults(stats, StreamLimits(max_drift_seconds=2.0))
    meter.connect()  # a new connection: a new origin for the timestamps, the drift starts again
    again = feed(meter, start=300, seconds=10, camera_rate=0.99)
    assert again is not None and abs(again.drift_seconds) < 0.2 and again.settling


def test_jitter_alone_is_not_drift() -> None:
    meter = StreamMeter()
    stats = None
    for n in range(12):
        # Every other interval arrives 0.4 s late throughout (a congested link, no clock at fault).
        stats = feed(meter, start=10 * n, seconds=10, delay=0.4 if n % 2 else 0.0)
    assert stats is not None
    assert abs(stats.drift_seconds) <= 0.4
    assert DRIFT not in stream_faults(stats, StreamLimits())


def test_stats_survive_their_json_form() -> None:
    meter = StreamMeter(min_baseline=1)
    feed(meter, start=0, seconds=10)
    stats = feed(meter, start=10, seconds=10)
    assert stats is not None
    back = StreamStats.from_dict(stats.as_dict())
    assert back.frames_per_second == stats.frames_per_second and back.measured_at == stats.measured_at
    assert back.baseline_fps == stats.baseline_fps and not back.settling
    assert back.clock_offset_seconds is None  # the camera told no clock: not "0 s off"
    told = StreamStats.from_dict({**stats.as_dict(), "clock": -31.25})
    assert told.clock_offset_seconds == -31.25


def test_the_cameras_wall_clock_offset_is_the_largest_capture_minus_arrival() -> None:
    """Capture time by the camera's clock (its RTCP sender reports) minus arrival by ours: network delay
    only lowers it, so the largest of an interval is the offset less the smallest delay."""
    meter = StreamMeter()
    for n in range(20):
        at = T0 + timedelta(seconds=n / 10 + (0.3 if n % 3 else 0.02))  # 20–300 ms on the way
        meter.packet(n / 10, at, 1000, camera_time=(T0 + timedelta(seconds=n / 10 + 90)).timestamp())
    stats = meter.close_interval(T0 + timedelta(seconds=2))
    assert stats is not None and stats.clock_offset_seconds == pytest.approx(89.98, abs=0.001)
    assert stream_faults(stats, StreamLimits()) == [CLOCK]  # judged from the first interval on
    assert stream_faults(stats, StreamLimits(max_clock_offset_seconds=120)) == []
    quiet = feed(meter, start=2, seconds=2)  # no sender report in this interval: nothing told
    assert quiet is not None and quiet.clock_offset_seconds is None
    with pytest.raises(ValueError):
        StreamLimits(max_clock_offset_seconds=0)


def test_limits_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        StreamLimits(min_fps_ratio=1.5)


def test_recorded_segments_carry_the_streams_figures(cameras: RtspCameraServer, sink: CollectingSink) -> None:
    # Our clock runs 10 % faster than the camera's timestamps: its clock is slow, and the drift grows.
    t0 = datetime.now(UTC)

    def clock() -> datetime:
        return t0 + (datetime.now(UTC) - t0) * 1.1

    recorder = CameraRecorder(source(cameras, "cam1"), sink, clock=clock)
    stop = threading.Event()
    thread = threading.Thread(target=recorder.run, args=(stop,), daemon=True)
    thread.start()
    try:
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 4, "four segments")
    finally:
        stop.set()
        thread.join(30)
    segments = sink.segments_of("cam1")
    assert all(isinstance(s, RecordedSegment) and s.stats is not None for s in segments)
    stats = [s.stats for s in segments if isinstance(s, RecordedSegment) and s.stats is not None]
    assert stats[0].settling and not stats[1].settling
    # FPS frames per second of the camera's timeline, seen on a clock 10 % faster.
    assert stats[2].frames_per_second == pytest.approx(FPS / 1.1, rel=0.25)
    assert stats[2].bits_per_second > 0
    assert stats[3].drift_seconds > stats[1].drift_seconds > 0


def test_a_cameras_clock_told_in_its_rtcp_sender_reports_is_measured(scene: SceneLoop) -> None:
    """End to end over RTSP: the simulated cameras send RTCP sender reports as real ones do; one's clock
    is 90 s ahead, one's 30 s behind, one's right: each segment's figures say so within the link's
    delay (a recorder that read the offset wrong, or not at all, fails here)."""
    sink = CollectingSink()
    offsets = {"ahead": 90.0, "behind": -30.0, "right": 0.0}
    with RtspCameraServer({name: scene for name in offsets}, clock_offsets=offsets) as server:
        stop = threading.Event()
        threads = [
            threading.Thread(target=CameraRecorder(source(server, name), sink).run, args=(stop,), daemon=True)
            for name in offsets
        ]
        for thread in threads:
            thread.start()
        try:
            sink.wait_for(
                lambda: all(len(sink.segments_of(name)) >= 3 for name in offsets), "three segments each"
            )
        finally:
            stop.set()
            for thread in threads:
                thread.join(30)
    for name, offset in offsets.items():
        measured = [
            s.stats.clock_offset_seconds
            for s in sink.segments_of(name)[1:]
            if isinstance(s, RecordedSegment) and s.stats is not None
        ]
        assert measured and all(m is not None and offset - 0.5 < m <= offset + 0.05 for m in measured), (
            name,
            measured,
        )
        faults = [stream_faults(s.stats, StreamLimits()) for s in sink.segments_of(name)[1:]
                  if isinstance(s, RecordedSegment) and s.stats is not None]  # fmt: skip
        assert all((CLOCK in f) == (offset != 0) for f in faults), (name, faults)
