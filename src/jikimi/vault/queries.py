"""Reads of the vault: devices in scope, the existence check (존재확인), holds, destructions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from jikimi.accounts.permissions import Permission, device_groups_for, ensure_permission
from jikimi.inventory.models import Device, DeviceGroup
from jikimi.lib.clock import SEOUL
from jikimi.rules.coverage import Interval, Span, coverage
from jikimi.vault.actions.liveness import CLAIMED_STATES, stale_after
from jikimi.vault.hours import recording_windows
from jikimi.vault.models import (
    CameraLease,
    DayKey,
    Destruction,
    HeldSegment,
    LegalHold,
    RecorderHeartbeat,
    RecordingOutage,
    RecordingTrigger,
    Segment,
)

# The existence check walks the schedule minute by minute: keep one question to a month.
MAX_WINDOW = timedelta(days=31)


class GroupLookupError(ValueError):
    """A name that does not pick exactly one thing; the message lists the choices."""


class GroupNotFound(GroupLookupError):
    def __init__(self, name_or_key: str, choices: str) -> None:
        super().__init__(
            f"'{name_or_key}'라는 기기 묶음(이름 또는 식별자)이 대장에 없습니다 (대장의 기기 묶음: {choices or '없음'})"
        )
        self.choices = choices


def resolve_group(name_or_key: str, among: QuerySet[DeviceGroup] | None = None) -> DeviceGroup:
    """The device group named `name_or_key` (its name as in the register, or its key), looked up
    `among` the given groups (a caller's scope: the choices a miss lists are those only) or all."""
    groups = (
        DeviceGroup.objects.all() if among is None else DeviceGroup.objects.filter(pk__in=among.values("pk"))
    )
    matches = list(groups.filter(Q(name=name_or_key) | Q(key=name_or_key)).select_related("institution"))
    if not matches:
        known = ", ".join(
            f"{g.institution.slug}/{g.key} ({g.name})"
            for g in groups.select_related("institution").order_by("institution__slug", "key")
        )
        raise GroupNotFound(name_or_key, known)
    if len(matches) > 1:
        choices = ", ".join(f"{g.institution.slug}/{g.key} ({g.name})" for g in matches)
        raise GroupLookupError(
            f"'{name_or_key}'에 해당하는 기기 묶음이 여럿입니다: {choices} — 식별자(key)로 지정하세요"
        )
    return matches[0]


def devices_for(user: Any, permission: Permission) -> QuerySet[Device]:
    return Device.objects.filter(device_group__in=device_groups_for(user, permission)).select_related(
        "device_group", "device_group__department", "device_group__institution", "location"
    )


def sites_for(user: Any) -> list[str]:
    """The installation locations of the devices whose footage `user` may see, for the site question.

    A site is a place by its register name: the same place may be a location of several groups (a
    gate watched by two departments), so the question reaches devices through their locations.
    """
    names = (
        devices_for(user, Permission.VIEW_FOOTAGE)
        .exclude(location=None)
        .values_list("location__name", flat=True)
    )
    return sorted(set(names))


def groups_for(user: Any, permission: Permission) -> QuerySet[DeviceGroup]:
    return device_groups_for(user, permission).select_related("department", "institution").order_by("name")


@dataclass(frozen=True)
class DeviceCoverage:
    device: Device
    intervals: list[Interval]
    schedule_note: str  # why the schedule could not be used, if it could not
    outages: list[RecordingOutage] = field(default_factory=list)  # recorded ones, with their reasons

    @property
    def footage_seconds(self) -> float:
        return sum(i.duration.total_seconds() for i in self.intervals if i.has_footage)


# Segments never span two day keys (the segmenter and the recorder cut at the Asia/Seoul day
# boundary), so none is longer than a day. Bounding `start` from below lets the (device, start)
# index seek instead of reading the device's whole history (bench/vault: p95 27 → 7 ms on SQLite).
LONGEST_SEGMENT = timedelta(hours=25)
ONE_DAY = timedelta(days=1)


def _segment_window(device: Device, start: datetime, end: datetime) -> dict[str, Any]:
    """The segments of `device` that overlap [start, end), for a seek of the (device, start) index.

    A device's segments never overlap (the file ingest refuses it, the recorder cuts one segment after
    the other, a hand-back cuts the giver's footage where the taker's begins; one start each), so the
    only one that can reach into the window from before is the last one that starts at or before
    `start`: its start bounds the scan from below — at 10-s segments 360 rows for an hour instead of
    the 9,000 of a 25-hour bound (bench/vault, issue 18).
    """
    before = Segment.objects.filter(device=device, start__lte=start).order_by("-start").values("start")[:1]
    return {"start__lt": end, "start__gte": Coalesce(Subquery(before), Value(start)), "end__gt": start}


# A run of consecutive segments (each beginning where the one before it ended) as one span: a camera's
# hour of 10-s segments comes back as one row instead of 360, whose 720 timestamps the driver parsed
# in Python — 6.5 of the check's 13.5 ms on a 10-s-segment bench (bench/vault, issue 18). Live and
# damaged segments form their runs apart. `{rows}` is the window's segments (start, end, damaged_at).
# The held copies and the destructions over the window come back in the same round trip (`{held}`:
# start, end; `{destroyed}`: kind, covers_start, covers_end): each query the check makes costs ~1 ms
# of Django and driver time on top of its own, and the check made six (bench/vault, issue 18).
# Every row is (what, start, end); `what` is one of _FOOTAGE, _DAMAGED, _HELD or a Destruction.Kind.
_SPANS = """
SELECT CASE WHEN damaged THEN 'damaged' ELSE 'footage' END, MIN(s), MAX(e) FROM (
  SELECT s, e, damaged, SUM(fresh) OVER (PARTITION BY damaged ORDER BY s ROWS UNBOUNDED PRECEDING) AS run
  FROM (
    SELECT s, e, damaged,
           CASE WHEN s <= LAG(e) OVER (PARTITION BY damaged ORDER BY s) THEN 0 ELSE 1 END AS fresh
    FROM (SELECT "start" AS s, "end" AS e, damaged_at IS NOT NULL AS damaged FROM ({rows}) AS window_rows)
      AS segment_rows
  ) AS marked
) AS runs GROUP BY damaged, run
UNION ALL
SELECT 'held', "start", "end" FROM ({held}) AS held_rows
UNION ALL
SELECT kind, covers_start, covers_end FROM ({destroyed}) AS destroyed_rows
"""
_FOOTAGE, _DAMAGED, _HELD = "footage", "damaged", "held"


def _moment(value: datetime | str) -> datetime:
    """A timestamp as the database hands it to raw SQL: PostgreSQL's aware, SQLite's text in UTC."""
    moment = value if isinstance(value, datetime) else parse_datetime(value)
    if moment is None:
        raise ValueError(f"시각을 읽을 수 없습니다: {value!r}")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


class WindowSpans(NamedTuple):
    """What the index says about a device's window, each as (start, end) spans in UTC."""

    footage: list[Span]  # live segments (consecutive ones joined) and held copies
    damaged: list[Span]  # R41: found missing or altered — stored once, not footage any more
    destroyed: list[Span]  # day keys destroyed at retention (Destruction.Kind.DAY_KEY)
    deleted: list[Span]  # destroyed on a deletion request (Destruction.Kind.SEGMENTS, 법 제36조)


def _window_spans(device: Device, start: datetime, end: datetime) -> WindowSpans:
    """The footage, damaged segments and destructions of `device` over [start, end), in one query
    (`_SPANS`). The segments are one scan of the window's index entries, which PostgreSQL answers
    from the covering (device, start) index alone, consecutive ones joined in the database; the held
    copies and destructions are read through their device's index."""
    window = {"start__lt": end, "start__gte": start - LONGEST_SEGMENT, "end__gt": start}
    # Segments whose day key was destroyed (retention ran, the rows not yet collected) are no footage:
    # excluded by the few destroyed keys of the window's days (a segment is keyed by its own day, ±1
    # for safety), not by a join probing the key of each of the hour's 360 segments.
    days = (
        (start - LONGEST_SEGMENT).astimezone(SEOUL).date() - ONE_DAY,
        end.astimezone(SEOUL).date() + ONE_DAY,
    )
    destroyed_keys = DayKey.objects.filter(device=device, day__range=days, wrapped_key__isnull=True)
    rows = (
        Segment.objects.filter(device=device, **_segment_window(device, start, end))
        .exclude(day_key_id__in=destroyed_keys.values("pk"))
        .order_by()
        .values_list("start", "end", "damaged_at")
    )
    held = (
        HeldSegment.objects.filter(device=device, hold__wrapped_key__isnull=False, **window)
        .order_by()
        .values_list("start", "end")
    )
    destroyed = (
        Destruction.objects.filter(
            device=device,
            kind__in=(Destruction.Kind.DAY_KEY, Destruction.Kind.SEGMENTS),
            covers_start__lt=end,
            covers_end__gt=start,
        )
        .order_by()
        .values_list("kind", "covers_start", "covers_end")
    )
    parts = [q.query.sql_with_params() for q in (rows, held, destroyed)]
    sql = _SPANS.format(rows=parts[0][0], held=parts[1][0], destroyed=parts[2][0])
    spans = WindowSpans([], [], [], [])
    into = {
        _FOOTAGE: spans.footage,
        _HELD: spans.footage,
        _DAMAGED: spans.damaged,
        Destruction.Kind.DAY_KEY: spans.destroyed,
        Destruction.Kind.SEGMENTS: spans.deleted,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        for what, first, last in cursor.fetchall():
            into[what].append((_moment(first), _moment(last)))
    return spans


# A device in these states has lost its stream since status_changed_at: an outage still going on.
DOWN_STATES = (Device.Status.RECONNECTING, Device.Status.FAILED)


RECORDER_DOWN_LABEL = "녹화 안 됨: 녹화기 중지"


def stopped_recorders(devices: list[Device] | None = None) -> dict[int, datetime]:
    """Devices whose recorder stopped beating while it was recording them: {device pk: last beat}.

    A device counts when the newest heartbeat that lists it is stale and was not a clean stop, and the
    device still shows a state only a running recorder could keep up (R41: the check must not lie).
    """
    wanted = None if devices is None else {d.pk: d for d in devices}
    if wanted is not None and not any(d.status in CLAIMED_STATES for d in wanted.values()):
        # None of them shows a recorder's state: whatever the beats say, none counts (one query fewer
        # for each existence check of an idle device).
        return {}
    cutoff = timezone.now() - stale_after()
    # (beat_at, stopped_at) of the newest beat listing each device; only the columns read (a node's
    # `streams` carries every camera's figures, parsed for nothing otherwise).
    newest: dict[int, tuple[datetime, datetime | None]] = {}
    beats = RecorderHeartbeat.objects.order_by("beat_at", "pk").values_list(
        "beat_at", "stopped_at", "devices"
    )
    for beat_at, stopped_at, listed in beats:
        for pk in listed:
            newest[pk] = (beat_at, stopped_at)
    stopped: dict[int, datetime] = {}
    for pk, (beat_at, stopped_at) in newest.items():
        if stopped_at is not None or beat_at >= cutoff:
            continue
        if wanted is not None and (pk not in wanted or wanted[pk].status not in CLAIMED_STATES):
            continue
        stopped[pk] = beat_at
    if wanted is None and stopped:
        claimed = set(
            Device.objects.filter(pk__in=stopped, status__in=CLAIMED_STATES).values_list("pk", flat=True)
        )
        stopped = {pk: at for pk, at in stopped.items() if pk in claimed}
    return stopped


def device_state(device: Device, stopped: dict[int, datetime] | None = None) -> str:
    """The device's recording state as pages show it: the recorder's last report, unless the recorder
    itself has stopped ("녹화 안 됨: 녹화기 중지", R41)."""
    stopped = stopped_recorders([device]) if stopped is None else stopped
    if device.pk in stopped:
        return f"{RECORDER_DOWN_LABEL} ({stopped[device.pk].astimezone(SEOUL):%Y-%m-%d %H:%M:%S}부터)"
    return device.get_status_display()


def outages(device: Device, start: datetime, end: datetime) -> list[RecordingOutage]:
    """The recorded outages of `device` overlapping [start, end), oldest first."""
    return list(RecordingOutage.objects.filter(device=device, start__lt=end, end__gt=start).order_by("start"))


def _outage_spans(
    device: Device, recorded: list[RecordingOutage], recorder_stopped: datetime | None
) -> tuple[list[Span], list[Span]]:
    """(camera outages, recorder outages): recorded ones, and the one still going on."""
    camera = [(o.start, o.end) for o in recorded if o.cause != RecordingOutage.Cause.RECORDER]
    recorder = [(o.start, o.end) for o in recorded if o.cause == RecordingOutage.Cause.RECORDER]
    now = timezone.now()
    if recorder_stopped is not None:
        recorder.append((recorder_stopped, max(now, recorder_stopped)))
    if device.status in DOWN_STATES and device.status_changed_at is not None:
        # A camera outage lasts only as long as a recorder was watching it.
        until = now if recorder_stopped is None else max(recorder_stopped, device.status_changed_at)
        camera.append((device.status_changed_at, until))
    return camera, recorder


def device_coverage(device: Device, start: datetime, end: datetime) -> DeviceCoverage:
    """The existence check for one device over [start, end) (aware datetimes)."""
    if end - start > MAX_WINDOW:
        raise ValueError(f"존재확인 구간은 {MAX_WINDOW.days}일 이하여야 합니다")
    # R9: outside the recording hours (public holidays and event-driven windows counted) a gap is
    # "촬영 시간 아님", neither an outage nor destroyed footage.
    windows = recording_windows(device, start, end)
    scheduled: list[Span] | None = None if windows.note else windows.spans
    recorded = outages(device, start, end)
    camera, recorder = _outage_spans(device, recorded, stopped_recorders([device]).get(device.pk))

    def local(spans: list[Span]) -> list[Span]:
        return [(s.astimezone(SEOUL), e.astimezone(SEOUL)) for s, e in spans]

    spans = _window_spans(device, start, end)
    intervals = coverage(
        start.astimezone(SEOUL),
        end.astimezone(SEOUL),
        local(spans.footage),
        destroyed=spans.destroyed,
        deleted=spans.deleted,
        damaged=local(spans.damaged),
        scheduled=scheduled,
        outages=local(camera),
        recorder_down=local(recorder),
    )
    return DeviceCoverage(device, intervals, windows.note, recorded)


def requested_devices(
    user: Any, device_ids: list[int], group_ids: list[int], sites: list[str] | None = None
) -> list[Device]:
    """The devices asked about by number, by whole group, and by site (installation location).

    Devices asked for by number or group must each be in `user`'s scope (else PermissionDenied); a
    site is a place, whose devices may belong to several departments: it answers for those in scope.
    """
    wanted: list[Device] = []
    for site in sites or []:
        wanted.extend(
            devices_for(user, Permission.VIEW_FOOTAGE).filter(location__name=site.strip()).order_by("name")
        )
    for pk in device_ids:
        device = Device.objects.select_related("device_group").filter(pk=pk).first()
        if device is None:
            raise Device.DoesNotExist(f"기기 {pk}번이 없습니다")
        wanted.append(device)
    for pk in group_ids:
        wanted.extend(Device.objects.filter(device_group_id=pk).select_related("device_group"))
    for device in wanted:
        ensure_permission(user, Permission.VIEW_FOOTAGE, device_group=device.device_group)
    return list({d.pk: d for d in wanted}.values())


def open_trigger(group: DeviceGroup, device: Device | None = None) -> RecordingTrigger | None:
    """The event-driven recording window open now for `device` (or the whole group), if any (R9)."""
    scope = Q(device=device) if device is not None else Q(device__isnull=True)
    return RecordingTrigger.objects.filter(scope, device_group=group, end__isnull=True).first()


def active_holds(device: Device) -> QuerySet[LegalHold]:
    return device.holds.filter(released_at__isnull=True).order_by("start")


def recent_destructions(devices: QuerySet[Device]) -> QuerySet[Destruction]:
    return Destruction.objects.filter(device__in=devices).select_related("device", "device__device_group")


@dataclass(frozen=True)
class RecorderNodeHealth:
    """One `jikimi record` node as its last beat described it."""

    name: str
    host: str
    pid: int
    started_at: datetime
    beat_at: datetime
    alive: bool  # beating within stale_after(), not stopped
    capacity: int | None
    devices: list[int]  # the devices it records (cameras held)
    cpu_percent: float | None
    backlog: int
    store_latency_ms: float | None
    store_free_bytes: int | None = None
    streams: dict[str, dict[str, object]] | None = None  # device pk (str) → StreamStats.as_dict()

    @property
    def cameras(self) -> int:
        return len(self.devices)


@dataclass(frozen=True)
class FleetHealth:
    """The recorder fleet for the control centre's health page (R41: every camera recorded by a node)."""

    nodes: list[RecorderNodeHealth]  # live nodes first, then the dead ones not yet written down
    unheld: list[int]  # enabled devices with a source whose lease no live node holds

    @property
    def live(self) -> list[RecorderNodeHealth]:
        return [n for n in self.nodes if n.alive]


def fleet_health(now: datetime | None = None) -> FleetHealth:
    """The recorder nodes — live ones, and the killed ones whose interval is not yet written — and the
    cameras no node holds a lease on (a camera outside its recording hours counts too: nothing holds it)."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    rows = RecorderHeartbeat.objects.filter(stopped_at__isnull=True, down_recorded_at__isnull=True)
    nodes = [
        RecorderNodeHealth(
            name=h.name,
            host=h.host,
            pid=h.pid,
            started_at=h.started_at,
            beat_at=h.beat_at,
            alive=h.beat_at >= cutoff,
            capacity=h.capacity,
            devices=list(h.devices),
            cpu_percent=h.cpu_percent,
            backlog=h.backlog,
            store_latency_ms=h.store_latency_ms,
            store_free_bytes=h.store_free_bytes,
            streams=dict(h.streams),
        )
        for h in rows.order_by("host", "pid")
    ]
    nodes.sort(key=lambda n: not n.alive)
    held = CameraLease.objects.filter(expires_at__gte=now).values("device_id")
    unheld = Device.objects.filter(enabled=True).exclude(source_url="").exclude(pk__in=held).order_by("pk")
    return FleetHealth(nodes=nodes, unheld=list(unheld.values_list("pk", flat=True)))
