"""Camera leases: any number of `jikimi record` nodes share the register's cameras through the database.

A device is recorded by exactly one node at a time (R41: one minute, one footage — and no camera left
unrecorded because its recorder died). Each device has one lease row (CameraLease) naming its node and
until when; a node renews its leases with its heartbeat, every few seconds. One tick (`balance`):

1. renew — every lease the node still holds gets `expires_at = now + lease_seconds()`. A lease another
   node took in between (this node hung past its expiry) is lost: the recorder stops that camera at
   once, and the segment it hands over is cut where the taker started (`cut_to_lease`): no duplicate.
2. share — the node's fair share of the cameras to record: cameras × its capacity / the live nodes'
   capacities, rounded up and never above its own `--capacity` (a node without one weighs as much as
   the largest). A node never takes more than its share, so a new or returning node finds cameras.
3. claim — free leases (never held, released, or expired) up to the share, locked with
   SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL so that racing nodes take different rows without
   waiting on each other; on SQLite (one writer at a time, BEGIN IMMEDIATE: web.settings) the
   transaction itself serializes the nodes. Either way each take is a compare-and-set on "still free",
   so two nodes can never both hold a lease.
4. surplus — leases above the share (another node came back) or of cameras no longer to be recorded
   are returned to the caller, which stops those cameras — each hands over its open segment — and only
   then calls `release`. The taker starts only once the lease is its own: no segment is recorded twice.

A takeover is a gap: from where the previous node's footage ended (`gap_from`, kept on the lease) to
the new node's first segment, written then as the device's outage "녹화기 교대" with both nodes named
(`write_takeover_gap`). With the defaults (lease 15 s, tick 5 s) a killed node's cameras are taken
within 20 s of its last renewal — inside the 30 s after which its heartbeat reads stale (liveness).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device
from jikimi.vault.models import CameraLease, RecorderHeartbeat, RecordingOutage, Segment

TAKEOVER_REASON = "녹화기 교대"
# How far back the previous node's last segment may lie and still mark where its footage ended; older
# than this (the camera was down before), the gap starts at the previous node's last renewal.
GAP_LOOKBACK = timedelta(minutes=10)


def lease_seconds() -> float:
    """How long a lease lasts unrenewed (default 15 s: three missed beats of 5 s)."""
    return float(settings.JIKIMI_RECORDER_LEASE_SECONDS)


@dataclass
class LeasePlan:
    """What a tick decided for one node: the devices it holds now, those it must hand back (after
    stopping them), and its share."""

    held: set[int] = field(default_factory=set)
    surplus: set[int] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)
    taken: set[int] = field(default_factory=set)
    share: int = 0

    @property
    def short(self) -> bool:
        """Below its share: the node should try again soon (a hand-back is being waited for)."""
        return len(self.held) < self.share


def live_nodes(now: datetime) -> list[RecorderHeartbeat]:
    """The nodes that share the cameras now: beating within a lease's length. A node silent longer has
    lost its leases (it renews them as it beats), so it is not counted — else the others would keep to a
    share that leaves its cameras unrecorded until its heartbeat reads stale (30 s, liveness)."""
    return list(
        RecorderHeartbeat.objects.filter(
            stopped_at__isnull=True,
            down_recorded_at__isnull=True,
            beat_at__gte=now - timedelta(seconds=lease_seconds()),
        )
    )


def fair_share(cameras: int, node: RecorderHeartbeat, nodes: list[RecorderHeartbeat]) -> int:
    """This node's share of `cameras` among the live `nodes` (itself included), by capacity."""
    if cameras == 0:
        return 0
    others = [n for n in nodes if n.pk != node.pk]
    capacities = [n.capacity for n in [node, *others] if n.capacity]
    unbounded = max(capacities, default=cameras)
    weights = [n.capacity or unbounded for n in [node, *others]]
    share = math.ceil(cameras * weights[0] / sum(weights))
    return min(share, node.capacity) if node.capacity else share


def balance(node: RecorderHeartbeat, wanted: list[int], now: datetime | None = None) -> LeasePlan:
    """One tick for `node`: renew, compute the share, claim free leases up to it, name the surplus."""
    now = now or timezone.now()
    expires = now + timedelta(seconds=lease_seconds())
    wanted_set = set(wanted)
    missing = wanted_set - set(
        CameraLease.objects.filter(device_id__in=wanted).values_list("device_id", flat=True)
    )
    if missing:
        CameraLease.objects.bulk_create([CameraLease(device_id=pk) for pk in missing], ignore_conflicts=True)
    plan = LeasePlan()
    with transaction.atomic():
        mine = CameraLease.objects.filter(node=node.name, expires_at__isnull=False)
        CameraLease.objects.filter(pk__in=mine.values("pk")).update(renewed_at=now, expires_at=expires)
        plan.held = set(
            CameraLease.objects.filter(node=node.name, expires_at__isnull=False).values_list(
                "device_id", flat=True
            )
        )
        nodes = live_nodes(now)
        if not any(n.pk == node.pk for n in nodes):
            nodes.append(node)
        plan.share = fair_share(len(wanted_set), node, nodes)
        room = plan.share - len(plan.held & wanted_set)
        if room > 0:
            plan.taken = _claim(node, wanted_set - plan.held, room, now, expires)
            plan.held |= plan.taken
    plan.surplus = plan.held - wanted_set
    keep = sorted(plan.held & wanted_set)
    if len(keep) > plan.share:
        plan.surplus |= set(keep[plan.share :])
    return plan


def _claim(
    node: RecorderHeartbeat, candidates: set[int], room: int, now: datetime, expires: datetime
) -> set[int]:
    free = CameraLease.objects.filter(device_id__in=candidates).filter(
        Q(expires_at__isnull=True) | Q(expires_at__lt=now)
    )
    if connection.features.has_select_for_update_skip_locked:
        free = free.select_for_update(skip_locked=True)
    taken: set[int] = set()
    previous: dict[str, set[int]] = {}
    for lease in free.order_by("device_id")[:room]:
        gap_from = _gap_from(lease) if lease.node else None
        updated = (
            CameraLease.objects.filter(pk=lease.pk, node=lease.node)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now))
            .update(
                node=node.name,
                acquired_at=now,
                renewed_at=now,
                expires_at=expires,
                previous_node=lease.node,
                gap_from=gap_from,
            )
        )
        if updated != 1:
            continue  # another node took it between the read and the write (SQLite without IMMEDIATE)
        taken.add(lease.device_id)
        if lease.node and lease.node != node.name:
            previous.setdefault(lease.node, set()).add(lease.device_id)
    # Heartbeat rows are locked in one order (by name) whichever node takes: no deadlock between takers.
    for name in sorted(previous):
        _forget_on_dead_heartbeat(name, previous[name])
    return taken


def _gap_from(lease: CameraLease) -> datetime | None:
    """Where the previous node's footage of the device ended — or, when the previous node's dead
    interval was already written as this device's outage "녹화기 중지" (a node started after it died:
    liveness.close_dead_recorders), where that outage ended: the same minutes are not explained twice."""
    written = RecorderHeartbeat.objects.filter(name=lease.node, down_recorded_at__isnull=False).first()
    if written is not None and lease.device_id in written.devices:
        return written.down_recorded_at
    known = lease.released_at if lease.expires_at is None else lease.renewed_at
    last: datetime | None = Segment.objects.filter(device_id=lease.device_id).aggregate(end=Max("end"))["end"]
    if known is None:
        return last
    return last if last is not None and known - GAP_LOOKBACK <= last else known


def _forget_on_dead_heartbeat(name: str, devices: set[int]) -> None:
    """The previous node's heartbeat no longer speaks for these devices: when that node is dead, its
    interval is not their "녹화기 중지" outage (liveness) — the takeover gap is written instead."""
    rows = RecorderHeartbeat.objects.filter(name=name, down_recorded_at__isnull=True)
    if connection.features.has_select_for_update:
        rows = rows.select_for_update()
    for heartbeat in rows:
        if devices & set(heartbeat.devices):
            heartbeat.devices = [pk for pk in heartbeat.devices if pk not in devices]
            RecorderHeartbeat.objects.filter(pk=heartbeat.pk).update(devices=heartbeat.devices)


def release(node: RecorderHeartbeat, devices: set[int] | None = None, now: datetime | None = None) -> int:
    """Hand back `devices` (all of the node's when None): call only after their cameras were stopped
    and their open segments stored. Returns how many leases were released."""
    now = now or timezone.now()
    rows = CameraLease.objects.filter(node=node.name, expires_at__isnull=False)
    if devices is not None:
        rows = rows.filter(device_id__in=devices)
    return rows.update(expires_at=None, released_at=now)


def holds(node_name: str, device_pk: int) -> CameraLease | None:
    """The device's lease, when `node_name` holds it now; else None."""
    lease = CameraLease.objects.filter(device_id=device_pk).first()
    if lease is None or lease.node != node_name or lease.expires_at is None:
        return None
    return lease


def taken_at(node_name: str, device_pk: int) -> datetime | None:
    """When another node took the device from `node_name` (None: it did not)."""
    lease = CameraLease.objects.filter(device_id=device_pk).first()
    if lease is None or lease.node == node_name or lease.previous_node != node_name:
        return None
    return lease.acquired_at


def write_takeover_gap(
    actor: Actor, node_name: str, device: Device, until: datetime
) -> RecordingOutage | None:
    """The takeover's gap of `device`, from where the previous node's footage ended to `until` (the new
    node's first segment), as an outage with its reason, audited; once."""
    with transaction.atomic():
        lease = CameraLease.objects.filter(device=device, node=node_name, gap_from__isnull=False).first()
        if lease is None or lease.gap_from is None:
            return None
        start = lease.gap_from
        CameraLease.objects.filter(pk=lease.pk).update(gap_from=None)
        if until <= start:
            return None  # the new node's footage begins where the old one's ended: no gap
        previous = RecorderHeartbeat.objects.filter(name=lease.previous_node).first()
        mine = RecorderHeartbeat.objects.filter(name=node_name).first()
        reason = f"{TAKEOVER_REASON} ({_label(previous)} → {_label(mine)})"
        outage = RecordingOutage.objects.create(
            device=device, start=start, end=until, reason=reason[:300], cause=RecordingOutage.Cause.RECORDER
        )
        record(
            actor,
            AuditEvent.VAULT_RECORDER_DOWN,
            device,
            details={
                "outage": outage.pk,
                "recorder": lease.previous_node,
                "taken_by": node_name,
                "start": start.isoformat(),
                "end": until.isoformat(),
                "seconds": round((until - start).total_seconds(), 3),
                "reason": reason[:300],
            },
        )
        return outage


def _label(heartbeat: RecorderHeartbeat | None) -> str:
    return "알 수 없음" if heartbeat is None else f"{heartbeat.host}, 프로세스 {heartbeat.pid}"
