"""Recorder liveness: the `jikimi record` process says every few seconds that it is alive (R41).

A recorder killed with SIGKILL (or hung, or on a host that lost power) cannot report anything, and its
devices would read "녹화 중" forever with no outage written. So the recorder beats (`beat`, a row per
process) and the vault judges by the heartbeat rather than by the last state the recorder reported:

- while a recorder's heartbeat is older than `stale_after()`, the devices it was recording read
  "녹화 안 됨: 녹화기 중지" (vault.queries.stopped_recorders), in the existence check too;
- a periodic check (`check_recorders`, huey every minute) raises an alert per device, once;
- when a recorder starts again (`start_recorder`) — or the same one's heartbeat resumes after a hang —
  the dead interval is written as an outage of each of those devices with the reason "녹화기 중지"
  (RecordingOutage.Cause.RECORDER), audited.

A heartbeat is not audited (every few seconds); what it proves is audited when it stops.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.alerts import raise_alert
from jikimi.vault.actions.devices import report_recording_state
from jikimi.vault.models import RecorderHeartbeat, RecordingOutage, VaultAlert

RECORDER_DOWN_REASON = "녹화기 중지"
# The states a recorder reports while it works on a camera: with its heartbeat stale, they are stale too.
CLAIMED_STATES = (Device.Status.RECORDING, Device.Status.RECONNECTING, Device.Status.FAILED)


def stale_after() -> timedelta:
    """A heartbeat older than this means the recorder is not running (default 30 s: six missed beats)."""
    return timedelta(seconds=float(getattr(settings, "JIKIMI_RECORDER_STALE_SECONDS", 30)))


@dataclass(frozen=True)
class NodeHealth:
    """What a recorder node says of itself with each beat, for the control centre's health page."""

    cpu_percent: float | None = None  # of one core, since the previous beat
    backlog: int = 0  # segments handed over by cameras and not yet stored
    store_latency_ms: float | None = None  # mean time to store a segment since the previous beat
    store_free_bytes: int | None = None  # the store's free space above its reserve (None: cannot tell)
    # device pk → the last segment's StreamStats.as_dict() (frame rate, bitrate, clock drift)
    streams: dict[int, dict[str, object]] | None = None


def start_recorder(actor: Actor, capacity: int | None = None) -> RecorderHeartbeat:
    """A recorder process starts: write the dead intervals of earlier recorders, then its own row."""
    now = timezone.now()
    close_dead_recorders(actor, now)
    return RecorderHeartbeat.objects.create(
        name=uuid.uuid4().hex,
        host=socket.gethostname()[:200],
        pid=os.getpid(),
        started_at=now,
        beat_at=now,
        capacity=capacity,
    )


def beat(
    actor: Actor, heartbeat: RecorderHeartbeat, devices: list[int], health: NodeHealth | None = None
) -> None:
    """The recorder is alive and recording `devices`. If its previous beat is stale (it hung), the
    interval it was silent is written as an outage first — for the devices its row still names: those
    another node took over meanwhile have their own takeover gap (actions.leases)."""
    now = timezone.now()
    previous = RecorderHeartbeat.objects.filter(pk=heartbeat.pk).values("beat_at", "devices").first()
    if previous is not None and now - previous["beat_at"] > stale_after():
        heartbeat.devices = list(previous["devices"])
        _write_down(actor, heartbeat, previous["beat_at"], now)
    heartbeat.beat_at, heartbeat.devices = now, sorted(devices)
    fields: dict[str, object] = {"beat_at": now, "devices": heartbeat.devices}
    if health is not None:
        fields |= {
            "cpu_percent": health.cpu_percent,
            "backlog": health.backlog,
            "store_latency_ms": health.store_latency_ms,
            "store_free_bytes": health.store_free_bytes,
            # Only the devices it records now: a camera handed to another node is that node's to tell.
            "streams": {str(pk): s for pk, s in (health.streams or {}).items() if pk in heartbeat.devices},
        }
    RecorderHeartbeat.objects.filter(pk=heartbeat.pk).update(**fields)


def stop_recorder(heartbeat: RecorderHeartbeat) -> None:
    """A clean stop (SIGTERM, --once-for): its devices were set idle by the recorder itself."""
    now = timezone.now()
    RecorderHeartbeat.objects.filter(pk=heartbeat.pk).update(beat_at=now, stopped_at=now)


def _dead(now: datetime) -> list[RecorderHeartbeat]:
    return list(
        RecorderHeartbeat.objects.filter(
            stopped_at__isnull=True, down_recorded_at__isnull=True, beat_at__lt=now - stale_after()
        ).order_by("beat_at")
    )


def check_recorders(actor: Actor) -> int:
    """Raise an alert for every device whose recorder stopped beating (once per device); returns how
    many alerts were raised. The outage itself is written when the interval ends (close_dead_recorders)."""
    raised = 0
    now = timezone.now()
    for heartbeat in _dead(now):
        since = heartbeat.beat_at.astimezone(SEOUL)
        for device in Device.objects.filter(pk__in=heartbeat.devices).select_related(
            "device_group__institution"
        ):
            message = (
                f"기기 '{device.name}'을(를) 녹화하던 녹화기({heartbeat.host}, 프로세스 {heartbeat.pid})가 "
                f"{since:%Y-%m-%d %H:%M:%S}부터 신호가 없습니다. 녹화되지 않고 있습니다: `jikimi record`를 다시 시작하세요"
            )
            if raise_alert(actor, VaultAlert.Kind.RECORDER_DOWN, message, device=device) is not None:
                raised += 1
    return raised


def close_dead_recorders(actor: Actor, now: datetime | None = None) -> int:
    """Write the dead interval of every recorder that stopped beating, up to `now` (a new recorder is
    starting); returns how many recorders were closed."""
    now = now or timezone.now()
    check_recorders(actor)  # a recorder dead between two periodic checks is alerted too
    dead = _dead(now)
    live = RecorderHeartbeat.objects.filter(
        stopped_at__isnull=True, down_recorded_at__isnull=True, beat_at__gte=now - stale_after()
    )
    watched = {pk for heartbeat in live for pk in heartbeat.devices}
    for heartbeat in dead:
        _write_down(actor, heartbeat, heartbeat.beat_at, now)
        RecorderHeartbeat.objects.filter(pk=heartbeat.pk).update(down_recorded_at=now)
        # What the dead recorder last said of its cameras is not true any more: nothing records them
        # until a recorder connects again (and says so).
        claimed = Device.objects.filter(pk__in=set(heartbeat.devices) - watched, status__in=CLAIMED_STATES)
        for device in claimed:
            report_recording_state(actor, device, Device.Status.IDLE, RECORDER_DOWN_REASON)
    return len(dead)


def _write_down(actor: Actor, heartbeat: RecorderHeartbeat, start: datetime, end: datetime) -> None:
    """One outage per device the silent recorder was recording, with the reason, audited."""
    if end <= start:
        return  # the clock was set back: there is no interval to speak of
    reason = f"{RECORDER_DOWN_REASON} ({heartbeat.host}, 프로세스 {heartbeat.pid}의 신호 끊김)"
    with transaction.atomic():
        for device in Device.objects.filter(pk__in=heartbeat.devices):
            outage = RecordingOutage.objects.create(
                device=device, start=start, end=end, reason=reason[:300], cause=RecordingOutage.Cause.RECORDER
            )
            record(
                actor,
                AuditEvent.VAULT_RECORDER_DOWN,
                device,
                details={
                    "outage": outage.pk,
                    "recorder": heartbeat.name,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "seconds": round((end - start).total_seconds(), 3),
                    "reason": reason[:300],
                },
            )
