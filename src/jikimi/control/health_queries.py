"""Reads of camera health (오산시 지침 제27조, 제31조④), within the reader's VIEW_HEALTH scope (R36).

Per camera: what the recorder last reported (Device.status), whether its recorder still beats
(vault.queries.stopped_recorders), how long since its last segment ended ("영상 없음 N초" while it
claims to record), whether its source carried audio (R13: dropped at ingest, flagged until the camera
is set right), its stream's frame rate, bitrate and clock drift from the recorder's last beat (a drop
or a drift past the limits reads "영상 이상", control.health_figures), its open ticket. Per recorder
node: its heartbeat, the cameras it holds, its CPU, backlog and store headroom, judged likewise. The
정상작동 점검 기록 (제31조④) for a period: per camera the outages the recorder wrote, the tickets and
their repairs, and the officers' manual checks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from jikimi.accounts.permissions import Permission, device_groups_for, institutions_for
from jikimi.control.health_figures import (
    NODE_FAULT_LABELS,
    StreamHealth,
    current_streams,
    no_footage_after,
    node_faults,
)
from jikimi.control.models import InspectionCheck, MaintenanceTicket
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.ingest import AUDIO_WARNING
from jikimi.vault.actions.liveness import stale_after
from jikimi.vault.models import RecorderHeartbeat, RecordingOutage, Segment
from jikimi.vault.queries import stopped_recorders

# The states a person reads, and their words (KRDS badge tone in the template).
UP, DOWN, RECONNECTING, NO_FOOTAGE, IDLE = "up", "down", "reconnecting", "no_footage", "idle"
DEGRADED = "degraded"  # recording, but its frame rate, bitrate or clock is out of bounds


@dataclass(frozen=True)
class CameraHealth:
    device: Device
    state: str
    label: str
    since: datetime | None
    last_segment_end: datetime | None
    silent_seconds: int | None  # since the last segment ended, while it should be recording
    audio: bool
    ticket: MaintenanceTicket | None
    stream: StreamHealth | None = None  # the last segment's figures, while a live recorder holds it

    @property
    def faulty(self) -> bool:
        return self.state not in (UP, IDLE)


@dataclass(frozen=True)
class RecorderHealth:
    heartbeat: RecorderHeartbeat
    state: str  # "live", "stale", "stopped"
    label: str
    devices: list[Device]  # the ones in the reader's scope
    others: int  # held devices outside the reader's scope (counted, not named: R36)
    faults: list[str] = field(default_factory=list)  # a live node's figures past the limits

    @property
    def fault_labels(self) -> list[str]:
        return [NODE_FAULT_LABELS[f] for f in self.faults]

    @property
    def store_free_gb(self) -> float | None:
        free = self.heartbeat.store_free_bytes
        return None if free is None else free / 1024**3


def health_devices(user: Any) -> QuerySet[Device]:
    return (
        Device.objects.filter(device_group__in=device_groups_for(user, Permission.VIEW_HEALTH).values("pk"))
        .select_related("device_group", "location")
        .order_by("device_group__name", "name")
    )


def camera_rows(devices: QuerySet[Device], now: datetime | None = None) -> list[CameraHealth]:
    now = now or timezone.now()
    listed = list(devices)
    ids = [d.pk for d in listed]
    last_end = dict(
        Segment.objects.filter(device_id__in=ids)
        .values("device_id")
        .annotate(last=Max("end"))
        .values_list("device_id", "last")
    )
    audio_since = now - timedelta(days=1)
    heard = set(
        Segment.objects.filter(device_id__in=ids, had_audio=True, end__gte=audio_since).values_list(
            "device_id", flat=True
        )
    )
    stopped = stopped_recorders(listed)
    tickets = {
        t.device_id: t
        for t in MaintenanceTicket.objects.filter(device_id__in=ids, closed_at__isnull=True).order_by(
            "opened_at"
        )
    }
    streams = current_streams(now)
    rows = []
    for device in listed:
        last = last_end.get(device.pk)
        silent = int((now - last).total_seconds()) if last is not None else None
        state, label, since = _state(device, stopped.get(device.pk), last, now)
        stream = streams.get(device.pk) if state in (UP, NO_FOOTAGE) else None
        if state == UP and stream is not None and stream.faults:
            state, label = DEGRADED, f"영상 이상 ({', '.join(stream.labels)})"
        audio = device.pk in heard or AUDIO_WARNING in (device.health_warning or "")
        rows.append(
            CameraHealth(
                device=device,
                state=state,
                label=label,
                since=since,
                last_segment_end=last,
                silent_seconds=silent if state == NO_FOOTAGE else None,
                audio=audio,
                ticket=tickets.get(device.pk),
                stream=stream,
            )
        )
    return rows


def _state(
    device: Device, recorder_stopped_at: datetime | None, last: datetime | None, now: datetime
) -> tuple[str, str, datetime | None]:
    status = device.status
    if recorder_stopped_at is not None:
        return DOWN, "중단 (녹화기 중지)", recorder_stopped_at
    if status == Device.Status.FAILED:
        return DOWN, "장애 (영상 끊김)", device.status_changed_at
    if status == Device.Status.RECONNECTING:
        return RECONNECTING, "재연결 중", device.status_changed_at
    if status == Device.Status.RECORDING:
        began = device.status_changed_at
        reference = max(x for x in (last, began) if x is not None) if (last or began) else None
        if reference is not None and now - reference > no_footage_after():
            seconds = int((now - reference).total_seconds())
            return NO_FOOTAGE, f"영상 없음 {seconds}초", reference
        return UP, "정상 녹화", began
    if status == Device.Status.FILE_ONLY:
        return IDLE, "파일 등록 전용", None
    return IDLE, "대기 (녹화 시간 외 또는 녹화기 없음)", device.status_changed_at


def recorder_rows(devices: QuerySet[Device], now: datetime | None = None) -> list[RecorderHealth]:
    """The recorders that hold a camera of `devices`: running ones, and those stopped in the last day."""
    now = now or timezone.now()
    mine = {d.pk: d for d in devices}
    stale = now - stale_after()
    rows = []
    for heartbeat in RecorderHeartbeat.objects.filter(
        Q(stopped_at__isnull=True, down_recorded_at__isnull=True) | Q(beat_at__gte=now - timedelta(days=1))
    ).order_by("-beat_at"):
        held = [mine[pk] for pk in heartbeat.devices if pk in mine]
        if not held:
            continue
        if heartbeat.stopped_at is not None:
            state, label = "stopped", "정상 종료"
        elif heartbeat.down_recorded_at is not None:
            state, label = "stopped", "중지 (다른 녹화기가 이어받음)"
        elif heartbeat.beat_at < stale:
            state, label = "stale", "신호 없음 (중지)"
        else:
            state, label = "live", "작동 중"
        faults = node_faults(heartbeat) if state == "live" else []
        if faults:
            state, label = "strained", "이상 (" + ", ".join(NODE_FAULT_LABELS[f] for f in faults) + ")"
        rows.append(RecorderHealth(heartbeat, state, label, held, len(heartbeat.devices) - len(held), faults))
    return rows


def visible_tickets(user: Any) -> QuerySet[MaintenanceTicket]:
    groups = device_groups_for(user, Permission.VIEW_HEALTH)
    institutions = institutions_for(user, Permission.VIEW_HEALTH, whole_institution=True)
    return MaintenanceTicket.objects.filter(
        Q(device__device_group__in=groups.values("pk"))
        | Q(device__isnull=True, institution__in=institutions.values("pk"))
    ).select_related("device__device_group", "outage", "closed_by", "institution")


@dataclass
class InspectionRow:
    """One camera's line of the 정상작동 점검 기록."""

    device: Device
    outages: int = 0
    outage_seconds: int = 0
    tickets: list[MaintenanceTicket] = field(default_factory=list)
    checks: list[InspectionCheck] = field(default_factory=list)

    @property
    def result(self) -> str:
        if any(c.result == InspectionCheck.Result.FAULT for c in self.checks) or any(
            t.open for t in self.tickets
        ):
            return "이상"
        if self.outages:
            return "장애 후 복구"
        return "정상"


@dataclass(frozen=True)
class InspectionLog:
    date_from: date
    date_to: date
    rows: list[InspectionRow]
    general_checks: list[InspectionCheck]  # checks of every camera at once


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from, datetime.min.time(), tzinfo=SEOUL)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=SEOUL)
    return start, end


def inspection_log(user: Any, date_from: date, date_to: date) -> InspectionLog:
    """제31조④: the record of normal operation for [date_from, date_to] (days in Asia/Seoul)."""
    devices = list(health_devices(user))
    rows = {d.pk: InspectionRow(d) for d in devices}
    start, end = _bounds(date_from, date_to)
    for outage in RecordingOutage.objects.filter(device_id__in=rows, start__lt=end, end__gt=start):
        row = rows[outage.device_id]
        row.outages += 1
        row.outage_seconds += int((min(outage.end, end) - max(outage.start, start)).total_seconds())
    for ticket in (
        MaintenanceTicket.objects.filter(device_id__in=rows, opened_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .order_by("opened_at")
    ):
        rows[ticket.device_id or 0].tickets.append(ticket)
    checks = InspectionCheck.objects.filter(
        checked_on__gte=date_from, checked_on__lte=date_to
    ).select_related("checked_by", "device")
    general: list[InspectionCheck] = []
    by_device: dict[int, list[InspectionCheck]] = defaultdict(list)
    institutions = {d.device_group.institution_id for d in devices}
    for check in checks:
        if check.device_id is None:
            if check.institution_id in institutions:
                general.append(check)
        elif check.device_id in rows:
            by_device[check.device_id].append(check)
    for pk, found in by_device.items():
        rows[pk].checks = found
    return InspectionLog(date_from, date_to, list(rows.values()), general)
