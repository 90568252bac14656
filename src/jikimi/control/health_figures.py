"""The figures of camera and recorder health and their limits (오산시 지침 제27조): what the recorders
wrote with their last beat, judged against the settings — read by the health page and by the periodic
health check that opens and closes the tickets (control.actions.health).

- A camera's stream (engine.recording.meter): its last segment's frame rate and bitrate against the
  camera's own baseline, its clock's drift from the recorder's, and its wall clock's offset from the
  recorder's where the camera reports it (RTCP sender reports: the time it burns into the picture
  and gives as evidence, 오산시 지침 제27조); only figures of a recorder that is
  beating, and no older than the "no footage" limit, are current.
- A recorder node: its CPU, the segments waiting to be stored, the store's free space above its reserve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from jikimi.engine.recording import StreamLimits, StreamStats, stream_faults
from jikimi.engine.recording.meter import BITRATE, CLOCK, DRIFT, FRAME_RATE
from jikimi.vault.actions.liveness import stale_after
from jikimi.vault.models import RecorderHeartbeat

STREAM_FAULT_LABELS = {
    DRIFT: "시계 차이",
    CLOCK: "카메라 시각 오차",
    FRAME_RATE: "프레임률 저하",
    BITRATE: "비트레이트 저하",
}
CPU, BACKLOG, HEADROOM = "cpu", "backlog", "headroom"
NODE_FAULT_LABELS = {CPU: "CPU 과부하", BACKLOG: "저장 대기 누적", HEADROOM: "저장 공간 부족"}
GB = 1024**3


def no_footage_after() -> timedelta:
    """A camera said to be recording whose last segment ended longer ago than this has "no footage"
    (default 180 s: three one-minute segments)."""
    return timedelta(seconds=float(getattr(settings, "JIKIMI_NO_FOOTAGE_SECONDS", 180)))


def stream_limits() -> StreamLimits:
    return StreamLimits(
        max_drift_seconds=float(getattr(settings, "JIKIMI_CLOCK_DRIFT_SECONDS", 2.0)),
        max_clock_offset_seconds=float(getattr(settings, "JIKIMI_CAMERA_CLOCK_OFFSET_SECONDS", 2.0)),
        min_fps_ratio=float(getattr(settings, "JIKIMI_FRAME_RATE_DROP_RATIO", 0.5)),
        min_bitrate_ratio=float(getattr(settings, "JIKIMI_BITRATE_DROP_RATIO", 0.25)),
    )


@dataclass(frozen=True)
class StreamHealth:
    stats: StreamStats
    faults: list[str]

    @property
    def labels(self) -> list[str]:
        return [STREAM_FAULT_LABELS[f] for f in self.faults]

    @property
    def megabits(self) -> float:
        return self.stats.bits_per_second / 1_000_000

    @property
    def baseline_megabits(self) -> float | None:
        bps = self.stats.baseline_bps
        return None if bps is None else bps / 1_000_000

    def describe(self) -> str:
        """One line for a ticket: the figures and what is wrong with them."""
        s = self.stats
        base = ""
        if s.baseline_fps is not None and s.baseline_bps is not None:
            base = f" (평소 {s.baseline_fps:.1f} fps, {s.baseline_bps / 1_000_000:.2f} Mbps)"
        clock = ""
        if s.clock_offset_seconds is not None:
            clock = f", 카메라 시각 {s.clock_offset_seconds:+.1f}초 (녹화기 기준)"
        return (
            f"{', '.join(self.labels) or '정상'}: {s.frames_per_second:.1f} fps, {self.megabits:.2f} Mbps{base}, "
            f"시계 차이 {s.drift_seconds:+.2f}초 (연결 {s.connected_seconds:.0f}초 동안){clock}"
        )


def live_heartbeats(now: datetime) -> list[RecorderHeartbeat]:
    return list(
        RecorderHeartbeat.objects.filter(
            stopped_at__isnull=True, down_recorded_at__isnull=True, beat_at__gte=now - stale_after()
        )
    )


def current_streams(
    now: datetime, heartbeats: list[RecorderHeartbeat] | None = None
) -> dict[int, StreamHealth]:
    """device pk → its current stream figures, judged (see the module docstring)."""
    limits = stream_limits()
    oldest = now - no_footage_after()
    found: dict[int, StreamHealth] = {}
    for heartbeat in heartbeats if heartbeats is not None else live_heartbeats(now):
        for key, data in (heartbeat.streams or {}).items():
            try:
                stats = StreamStats.from_dict(data)
                pk = int(key)
            except (KeyError, TypeError, ValueError):
                continue  # a row another version wrote: nothing to judge
            if stats.measured_at < oldest or pk not in heartbeat.devices:
                continue
            previous = found.get(pk)
            if previous is None or previous.stats.measured_at < stats.measured_at:
                found[pk] = StreamHealth(stats, stream_faults(stats, limits))
    return found


def node_faults(heartbeat: RecorderHeartbeat) -> list[str]:
    """What is wrong with a beating node's figures (CPU, backlog, store headroom)."""
    faults = []
    cpu_limit = float(getattr(settings, "JIKIMI_RECORDER_CPU_PERCENT", 85))
    if heartbeat.cpu_percent is not None and heartbeat.cpu_percent > cpu_limit:
        faults.append(CPU)
    if heartbeat.backlog > int(getattr(settings, "JIKIMI_RECORDER_BACKLOG", 10)):
        faults.append(BACKLOG)
    headroom = float(getattr(settings, "JIKIMI_STORE_HEADROOM_GB", 5)) * GB
    if heartbeat.store_free_bytes is not None and heartbeat.store_free_bytes < headroom:
        faults.append(HEADROOM)
    return faults


def describe_node(heartbeat: RecorderHeartbeat) -> str:
    cpu = "—" if heartbeat.cpu_percent is None else f"{heartbeat.cpu_percent:.0f}%"
    free = "—" if heartbeat.store_free_bytes is None else f"{heartbeat.store_free_bytes / GB:.1f}GB"
    labels = ", ".join(NODE_FAULT_LABELS[f] for f in node_faults(heartbeat)) or "정상"
    return f"{labels}: CPU {cpu}, 저장 대기 {heartbeat.backlog}개, 저장소 여유 {free}"
