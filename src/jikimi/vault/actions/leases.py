"""Camera leases: any number of `jikimi record` nodes share the register's cameras through the database.

A device is recorded by exactly one node at a time (R41: one minute, one footage — and no camera left
unrecorded because its recorder died). Each device has one lease row (CameraLease) naming its node and
until when; a node renews its leases with its heartbeat, every few seconds. One tick (`balance`):

1. renew — every lease the node still holds gets `expires_at = now + lease_seconds()` (also between
   ticks, with every heartbeat, from a thread of its own: `renew`, vault.recording). A lease another
   node took in between (this node hung past its expiry) is lost: the recorder stops that camera at
   once, and the segment it hands over is cut where the taker started (`taken_at`): no duplicate.
2. share — the node's fair share of the cameras to record: cameras × its capacity / the live nodes'
   capacities, rounded up and never above its own `--capacity` (a node without one weighs as much as
   the largest). A node never takes more than its share, so a new or returning node finds cameras.
3. claim — free leases (never held, released, or expired) up to the share, locked with
   SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL so that racing nodes take different rows without
   waiting on each other; on SQLite (one writer at a time, BEGIN IMMEDIATE: web.settings) the
   transaction itself serializes the nodes. Either way each take is a compare-and-set on "still free",
   so two nodes can never both hold a lease.
4. offer — leases above the share (another node came back) are not released but *offered*
   (`offered_at`): the node keeps recording them. A short node claims an offer (`offer_taker`,
   compare-and-set on "still open") and records the camera too, storing nothing of it until the
   segment that completes the hand-back (`complete_handback`): its first footage at or after the
   claim and after the camera's stored footage — that end is fixed by the taker's first segment
   (`handover_at`; the giver stores nothing past it meanwhile, `handover_cut`), since two recorders
   date the same pictures a little apart and a lagging taker would chase it. In that segment's own
   transaction the lease passes to the taker (compare-and-set on the lease row, under the store lock
   every store of the camera holds: `locked`) with `acquired_at` = where the taker's footage begins;
   the giver learns at its next tick that the lease is no longer its own and stops the camera, and
   what it recorded past that instant is cut there (`taken_at`, VaultSink): no gap, no minute stored
   twice, and no "녹화기 교대" outage — a hand-back is not an outage. An offer nobody claims lapses
   after two lease lengths (`offer_seconds`), a claimed one that its taker does not complete four
   lease lengths after the claim (`handback_seconds`): the giver keeps the camera (and offers it again while
   above its share). Leases of cameras no longer to be recorded (`surplus`) are returned to the
   caller, which stops them — each hands over its open segment — and only then calls `release`.

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

from jikimi.audit.actions import Entry, record, record_many
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


def offer_seconds() -> float:
    """How long an offered lease waits for a taker to claim it: two lease lengths."""
    return 2 * lease_seconds()


def handback_seconds() -> float:
    """How long a claimed offer waits, from its claim, for the taker's first segment to complete the
    hand-back: four lease lengths — time to start the camera, close one segment and store it while the
    taker's stores queue under load. It ran from the offer, and at 240 cameras × 6 nodes on 2 cores
    (bench/fleet: stores 10–25 s behind) the same offers lapsed before the taker's first segment was
    stored, were offered again, claimed again and lapsed again, for ever."""
    return 4 * lease_seconds()


def _offer_open(now: datetime) -> Q:
    """Offers still running at `now`: unclaimed and younger than `offer_seconds`, or claimed and younger,
    from their claim, than `handback_seconds`."""
    unclaimed = Q(offer_taker="", offered_at__gte=now - timedelta(seconds=offer_seconds()))
    claimed = ~Q(offer_taker="") & Q(offer_claimed_at__gte=now - timedelta(seconds=handback_seconds()))
    return Q(offered_at__isnull=False) & (unclaimed | claimed)


# The offer's fields, cleared whenever the offer ends (completed, lapsed, withdrawn, lease taken/freed).
NO_OFFER: dict[str, object] = {
    "offered_at": None,
    "offer_taker": "",
    "offer_claimed_at": None,
    "handover_at": None,
}


@dataclass
class LeasePlan:
    """What a tick decided for one node: the devices it holds now, those it must release (after
    stopping them), those of its own it offers to a short node, the offers it claimed and records
    while their hand-back completes (`pending`), and its share."""

    held: set[int] = field(default_factory=set)
    surplus: set[int] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)
    taken: set[int] = field(default_factory=set)
    offered: set[int] = field(default_factory=set)
    pending: set[int] = field(default_factory=set)
    share: int = 0

    @property
    def short(self) -> bool:
        """Below its share: the node should try again soon (a hand-back is being waited for)."""
        return len(self.held) < self.share

    @property
    def handing(self) -> bool:
        """A hand-back is under way (offered or claimed): the node ticks often, so that a giver stops
        a camera soon after its lease passed."""
        return bool(self.offered or self.pending)

    @property
    def recording(self) -> set[int]:
        """The devices the node records now: its own, less those to release, and its claimed offers."""
        return (self.held - self.surplus) | self.pending


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


def balance(
    actor: Actor, node: RecorderHeartbeat, wanted: list[int], now: datetime | None = None
) -> LeasePlan:
    """One tick for `node`: renew, compute the share, claim free leases and open offers up to it, offer
    what is above it (module docstring), name the surplus. Each camera taken is audited (which node
    records a camera from when: the footage's chain of custody); renewals and offers are not."""
    now = now or timezone.now()
    expires = now + timedelta(seconds=lease_seconds())
    wanted_set = set(wanted)
    missing = wanted_set - set(
        CameraLease.objects.filter(device_id__in=wanted).values_list("device_id", flat=True)
    )
    if missing:
        CameraLease.objects.bulk_create([CameraLease(device_id=pk) for pk in missing], ignore_conflicts=True)
    plan = LeasePlan()
    lapse = now - timedelta(seconds=offer_seconds())
    running = _offer_open(now)
    with transaction.atomic():
        renew(node, now)
        mine = CameraLease.objects.filter(node=node.name, expires_at__isnull=False)
        # Its offers nobody completed in time lapse: the node keeps the camera (and offers it afresh
        # below while above its share). Only its own rows: nodes never lock each other's in turn. For
        # the claimant, a lapsed offer is over by the clock alone (here and in `handback_from`).
        mine.filter(offered_at__isnull=False).exclude(running).update(**NO_OFFER)
        plan.held = set(
            CameraLease.objects.filter(node=node.name, expires_at__isnull=False).values_list(
                "device_id", flat=True
            )
        )
        # A claimed offer of a giver whose lease lapsed (it died or hung) is not waited for: the camera
        # is free, for this node to take outright below.
        claimed = CameraLease.objects.filter(running, offer_taker=node.name, expires_at__gte=now).exclude(
            node=node.name
        )
        claimed.exclude(device_id__in=wanted_set).update(offer_taker="", offer_claimed_at=None)
        plan.pending = set(claimed.filter(device_id__in=wanted_set).values_list("device_id", flat=True))
        nodes = live_nodes(now)
        if not any(n.pk == node.pk for n in nodes):
            nodes.append(node)
        plan.share = fair_share(len(wanted_set), node, nodes)
        room = plan.share - len(plan.held & wanted_set) - len(plan.pending)
        if room > 0:
            plan.taken = _claim(actor, node, wanted_set - plan.held, room, now, expires)
            plan.held |= plan.taken
            room -= len(plan.taken)
        if room > 0:
            plan.pending |= _claim_offers(node, wanted_set - plan.held - plan.pending, room, now, lapse)
        plan.surplus = plan.held - wanted_set
        keep = sorted(plan.held & wanted_set)
        extra = set(keep[plan.share :])
        # Above the share: offer (keep recording until a taker's footage begins); back within it (a
        # taker died, a node left): withdraw the offers.
        mine = CameraLease.objects.filter(node=node.name, expires_at__isnull=False)
        mine.filter(device_id__in=extra, offered_at__isnull=True).update(offered_at=now)
        mine.filter(offered_at__isnull=False).exclude(device_id__in=extra).update(**NO_OFFER)
        plan.offered = extra
    return plan


def renew(node: RecorderHeartbeat, now: datetime | None = None) -> int:
    """Extend every lease `node` still holds by a lease's length; returns how many. A lease another
    node took meanwhile is not the node's any more and is not renewed (it learns so at its next tick)."""
    now = now or timezone.now()
    return CameraLease.objects.filter(node=node.name, expires_at__isnull=False).update(
        renewed_at=now, expires_at=now + timedelta(seconds=lease_seconds())
    )


def _claim_offers(
    node: RecorderHeartbeat, candidates: set[int], room: int, now: datetime, lapse: datetime
) -> set[int]:
    """Claim open offers of live holders, up to `room`: the node records them and takes each lease
    with its first fitting segment (`complete_handback`). Compare-and-set on "offer still open", so
    racing nodes never claim one offer both."""
    offers = (
        CameraLease.objects.filter(device_id__in=candidates, offered_at__gte=lapse, offer_taker="")
        .filter(expires_at__gte=now)
        .exclude(node=node.name)
    )
    if connection.features.has_select_for_update_skip_locked:
        offers = offers.select_for_update(skip_locked=True)
    claimed: set[int] = set()
    for lease in offers.order_by("device_id")[:room]:
        updated = CameraLease.objects.filter(
            pk=lease.pk, node=lease.node, offered_at=lease.offered_at, offer_taker=""
        ).update(offer_taker=node.name, offer_claimed_at=now)
        if updated == 1:
            claimed.add(lease.device_id)
    return claimed


# The namespace of the stores' advisory locks (pg_advisory_xact_lock(namespace, device pk)).
STORE_LOCK_SPACE = 0x4A4B


def locked(device_pk: int) -> CameraLease | None:
    """The device's lease, its store lock held to the end of the caller's transaction: every store of a
    recorder's segment holds it, so that a hand-back's completion and the giver's store of a segment
    never interleave (one decides where the other's footage must stop), and a takeover never takes a
    camera while a segment of it is being stored (`_claim` skips it).

    On PostgreSQL an advisory lock keyed by the device, not the lease row: a store holds it through
    the object store's upload, and a row lock held so long kept the node's lease renewals — one UPDATE
    of all its rows — waiting behind every segment in flight, until leases lapsed under a loaded
    fleet (bench/fleet, 240 cameras on 6 nodes). On SQLite the transaction (BEGIN IMMEDIATE) already
    serializes every writer."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [STORE_LOCK_SPACE, device_pk])
    return CameraLease.objects.filter(device_id=device_pk).first()


def _store_idle(device_pk: int) -> bool:
    """No segment of the device is being stored (its store lock taken, for the caller's transaction)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [STORE_LOCK_SPACE, device_pk])
        row = cursor.fetchone()
    return bool(row and row[0])


def last_footage_end(device_pk: int) -> datetime | None:
    end: datetime | None = Segment.objects.filter(device_id=device_pk).aggregate(end=Max("end"))["end"]
    return end


def handback_from(lease: CameraLease, node_name: str, now: datetime | None = None) -> datetime | None:
    """Where `node_name`'s footage may begin to complete the hand-back of `lease` (locked): after the
    claim and after everything already stored of the camera. None: the offer is not this node's
    (lapsed, withdrawn, claimed by another) and nothing of its recording may be stored."""
    now = now or timezone.now()
    if (
        lease.offer_taker != node_name
        or lease.offered_at is None
        or lease.offer_claimed_at is None
        or lease.node == node_name
        or lease.offer_claimed_at < now - timedelta(seconds=handback_seconds())
    ):
        return None
    if lease.handover_at is not None:
        return lease.handover_at
    # The taker's first segment fixes the instant: from now on the giver stores nothing past it
    # (`handover_cut`). Were it to keep storing, a taker whose clock reads the camera's pictures a
    # little earlier than the giver's would chase the giver's end for ever.
    stored = last_footage_end(lease.device_id)
    begins = lease.offer_claimed_at if stored is None else max(lease.offer_claimed_at, stored)
    CameraLease.objects.filter(pk=lease.pk).update(handover_at=begins)
    lease.handover_at = begins
    return begins


def handover_cut(lease: CameraLease, segment_start: datetime, segment_end: datetime) -> datetime | None:
    """For the giver (holding `lease`, locked): where its footage must end while a hand-back it offered
    completes (None: no limit). Footage it drops past that instant is marked as a gap from there
    (`gap_from`): written as an outage should the offer lapse, cleared when the taker's footage begins."""
    cut = lease.handover_at
    if cut is None or segment_end <= cut:
        return None
    if lease.gap_from is None:
        CameraLease.objects.filter(pk=lease.pk).update(gap_from=cut)
        lease.gap_from = cut
    return cut


def complete_handback(
    lease: CameraLease, node_name: str, begins: datetime, now: datetime | None = None
) -> bool:
    """The lease passes to `node_name`, whose stored footage begins at `begins`; call in the
    transaction that stores that footage, `lease` locked (`locked`). The giver's footage past `begins`
    is cut there (`taken_at`). No gap is written: the camera was recorded throughout. When it passed
    (True), call `record_handback` in the same transaction once the footage is stored."""
    now = now or timezone.now()
    updated = CameraLease.objects.filter(
        pk=lease.pk, node=lease.node, offer_taker=node_name, offered_at=lease.offered_at
    ).update(
        node=node_name,
        previous_node=lease.node,
        acquired_at=begins,
        renewed_at=now,
        expires_at=now + timedelta(seconds=lease_seconds()),
        released_at=None,
        gap_from=None,
        **NO_OFFER,
    )
    return updated == 1


def record_handback(actor: Actor, device: Device, node_name: str, giver: str, begins: datetime) -> None:
    """The hand-back's audit entry (which node records the camera from when), written after the
    footage that completed it was stored, just before its transaction commits: the audit chain's head
    is one row lock for the whole fleet, held from an entry to its commit."""
    if giver:
        _forget_on_dead_heartbeat(giver, {device.pk})
    record(
        actor,
        AuditEvent.VAULT_RECORDER_HANDBACK,
        device,
        details={"recorder": node_name, "from_recorder": giver, "footage_from": begins.isoformat()},
    )


def _claim(
    actor: Actor, node: RecorderHeartbeat, candidates: set[int], room: int, now: datetime, expires: datetime
) -> set[int]:
    free = CameraLease.objects.filter(device_id__in=candidates).filter(
        Q(expires_at__isnull=True) | Q(expires_at__lt=now)
    )
    if connection.features.has_select_for_update_skip_locked:
        free = free.select_for_update(skip_locked=True)
    taken: set[int] = set()
    previous: dict[str, set[int]] = {}
    givers: dict[int, str] = {}
    for lease in free.order_by("device_id")[:room]:
        if not _store_idle(lease.device_id):
            continue  # its lapsed holder is storing a segment of it: take it at a later tick
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
                **NO_OFFER,
            )
        )
        if updated != 1:
            continue  # another node took it between the read and the write (SQLite without IMMEDIATE)
        taken.add(lease.device_id)
        givers[lease.device_id] = lease.node
        if lease.node and lease.node != node.name:
            previous.setdefault(lease.node, set()).add(lease.device_id)
    # Heartbeat rows are locked in one order (by name) whichever node takes: no deadlock between takers.
    for name in sorted(previous):
        _forget_on_dead_heartbeat(name, previous[name])
    devices = Device.objects.filter(pk__in=taken).order_by("pk")
    record_many(
        actor,
        [
            Entry(
                AuditEvent.VAULT_RECORDER_TAKE_CAMERA,
                device,
                details={
                    "recorder": node.name,
                    "from_recorder": givers[device.pk],
                    "taken_at": now.isoformat(),
                },
            )
            for device in devices
        ],
    )
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


def release(
    actor: Actor, node: RecorderHeartbeat, devices: set[int] | None = None, now: datetime | None = None
) -> int:
    """Hand back `devices` (all of the node's when None): call only after their cameras were stopped
    and their open segments stored. Returns how many leases were released; each is audited."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = CameraLease.objects.filter(node=node.name, expires_at__isnull=False)
        if devices is not None:
            rows = rows.filter(device_id__in=devices)
        released = list(rows.values_list("device_id", flat=True))
        CameraLease.objects.filter(node=node.name, device_id__in=released).update(
            expires_at=None, released_at=now, **NO_OFFER
        )
        record_many(
            actor,
            [
                Entry(AuditEvent.VAULT_RECORDER_RELEASE_CAMERA, device, details={"recorder": node.name})
                for device in Device.objects.filter(pk__in=released).order_by("pk")
            ],
        )
    return len(released)


def holds(node_name: str, device_pk: int) -> CameraLease | None:
    """The device's lease, when `node_name` holds it now; else None."""
    lease = CameraLease.objects.filter(device_id=device_pk).first()
    if lease is None or lease.node != node_name or lease.expires_at is None:
        return None
    return lease


def taken_at(lease: CameraLease, node_name: str) -> datetime | None:
    """When another node took the device of `lease` from `node_name` — a hand-back completed, or the
    node hung past its lease — where its footage must end (None: it did not)."""
    if lease.node == node_name or lease.previous_node != node_name:
        return None
    return lease.acquired_at


def taken_from_another_at(lease: CameraLease) -> datetime | None:
    """When `lease`'s node took it from another node (its footage begins there; the other's ends
    there, `taken_at`); None when it took a free lease or one of its own."""
    if not lease.previous_node or lease.previous_node == lease.node:
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
