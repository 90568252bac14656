"""R41 at a city's scale: recorder nodes share the cameras through leases in the database (issue 18).

Each camera is recorded by exactly one node at a time; racing nodes never both take a camera; a killed
node's cameras are taken by the others within 30 s, the gap written as an outage "녹화기 교대"; a node
that comes back gets its share handed back without a duplicate segment — and a node that hung past its
lease cannot store the minutes its taker recorded. Runs on SQLite and on PostgreSQL (make test's second
run), where the claim is SELECT … FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage.segmenter import segment_file
from jikimi.engine.recording import CameraSource, RecorderSupervisor
from jikimi.engine.synthetic import write_clip
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.vault import queries
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.leases import balance, fair_share, lease_seconds, release
from jikimi.vault.actions.liveness import NodeHealth, beat, close_dead_recorders, start_recorder
from jikimi.vault.models import CameraLease, RecorderHeartbeat, RecordingOutage, Segment
from jikimi.vault.recording import VaultSink, run_recorder
from jikimi.vault.tests.conftest import ACTOR, synthetic_segment, traffic_group

T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
TICK = timedelta(seconds=5)  # run_recorder's heartbeat_every
R = TypeVar("R")


def _cameras(count: int) -> list[Device]:
    group = traffic_group()
    return [
        add_device(ACTOR, group, f"카메라 {n}", source_url=f"rtsp://127.0.0.1:9/cam{n}") for n in range(count)
    ]


def _overlapping(device: Device) -> list[tuple[datetime, datetime]]:
    spans = sorted(Segment.objects.filter(device=device).values_list("start", "end"))
    return [(a, b) for (a, b), (c, _) in zip(spans, spans[1:], strict=False) if c < b]


def _retrying(work: Callable[[], R]) -> R:
    """SQLite's shared in-memory test database answers a busy writer with "locked" at once (a file
    database waits); the node would try again at its next tick — so does the test."""
    for _ in range(200):
        try:
            return work()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_R41_racing_nodes_never_take_the_same_camera() -> None:
    devices = _cameras(12)
    wanted = [d.pk for d in devices]
    nodes = [start_recorder(ACTOR) for _ in range(4)]
    barrier = threading.Barrier(len(nodes))
    taken: dict[str, list[set[int]]] = {n.name: [] for n in nodes}
    errors: list[BaseException] = []

    def node_loop(node: RecorderHeartbeat) -> None:
        try:
            barrier.wait()
            for _ in range(5):  # each in its own connection, all at once
                plan = _retrying(lambda: balance(ACTOR, node, wanted))
                taken[node.name].append(plan.taken)
                assert len(plan.held) <= plan.share == 3
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=node_loop, args=(n,)) for n in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    every_take = [pk for rounds in taken.values() for plan in rounds for pk in plan]
    assert sorted(every_take) == sorted(wanted)  # each camera taken once, by one node, and all taken
    held = {
        n.name: set(CameraLease.objects.filter(node=n.name).values_list("device_id", flat=True))
        for n in nodes
    }
    assert all(len(h) == 3 for h in held.values())
    assert {n.name: set().union(*taken[n.name]) for n in nodes} == held


@pytest.mark.django_db
def test_R41_a_nodes_share_follows_its_capacity() -> None:
    big, small = start_recorder(ACTOR, capacity=30), start_recorder(ACTOR, capacity=10)
    assert fair_share(20, big, [big, small]) == 15 and fair_share(20, small, [big, small]) == 5
    assert fair_share(100, small, [big, small]) == 10  # never above its own capacity
    assert fair_share(7, start_recorder(ACTOR), []) == 7  # one node alone records them all


@pytest.mark.django_db
def test_R41_a_killed_nodes_cameras_are_taken_within_30_seconds_and_the_gap_is_an_outage() -> None:
    with time_machine.travel(T0, tick=False) as clock:
        devices = _cameras(4)
        wanted = [d.pk for d in devices]
        last = synthetic_segment(devices[0], T0 - timedelta(seconds=60), seconds=58)
        a, b = start_recorder(ACTOR), start_recorder(ACTOR)
        a_plan, b_plan = balance(ACTOR, a, wanted), balance(ACTOR, b, wanted)
        assert len(a_plan.held) == len(b_plan.held) == 2 and not a_plan.held & b_plan.held
        beat(ACTOR, a, sorted(a_plan.held))
        beat(ACTOR, b, sorted(b_plan.held), NodeHealth(cpu_percent=3.5, backlog=0, store_latency_ms=12.0))
        killed = T0  # SIGKILL right after its renewal: nothing more from a
        taken_after = None
        for step in range(1, 8):
            clock.move_to(killed + step * TICK)
            plan = balance(ACTOR, b, wanted)
            beat(ACTOR, b, sorted(plan.held))
            if plan.held == set(wanted):
                taken_after = step * TICK
                break
        assert taken_after is not None and taken_after <= timedelta(seconds=lease_seconds()) + TICK
        assert taken_after < timedelta(seconds=30)
        # The new node's first segment closes the gap: an outage with its reason, both nodes named.
        sink = VaultSink(ACTOR, node=b.name)
        first = T0 + taken_after + timedelta(seconds=1)
        for device in devices:
            if device.pk in a_plan.held:
                sink.on_segment(device.storage_name, _random_segment(first))
        outages = RecordingOutage.objects.filter(reason__startswith="녹화기 교대").order_by("device_id")
        assert [o.device_id for o in outages] == sorted(a_plan.held)
        for outage in outages:
            assert outage.end == first and outage.cause == RecordingOutage.Cause.RECORDER
            assert f"프로세스 {a.pid}" in outage.reason
            # Where a's footage ended: its last segment, else its last renewal.
            assert outage.start == (last.end if outage.device_id == devices[0].pk else T0)
        # a's own interval writes no second outage for cameras recorded by b meanwhile.
        clock.move_to(T0 + taken_after + timedelta(seconds=20))  # a reads stale (30 s), b does not
        balance(ACTOR, b, wanted)
        beat(ACTOR, b, sorted(wanted))
        assert close_dead_recorders(ACTOR) == 1
        assert not RecordingOutage.objects.filter(reason__startswith="녹화기 중지").exists()
        health = queries.fleet_health()
        assert [n.name for n in health.live] == [b.name] and health.live[0].cameras == 4
        assert health.unheld == []


@pytest.mark.django_db
def test_R41_a_returning_node_gets_its_share_back_without_a_duplicate_segment(tmp_path: Path) -> None:
    segments = _real_segments(tmp_path, T0, count=3)  # three consecutive 4 s segments
    with time_machine.travel(T0 - timedelta(seconds=1), tick=False) as clock:
        cameras = _cameras(2)
        wanted = [d.pk for d in cameras]
        b = start_recorder(ACTOR)
        assert balance(ACTOR, b, wanted).held == set(wanted)
        b_sink = VaultSink(ACTOR, node=b.name)
        for camera in cameras:
            b_sink.on_segment(camera.storage_name, segments[0])
        clock.move_to(segments[1].start)
        a = start_recorder(ACTOR)  # the node comes back (a new process)
        b_plan = balance(ACTOR, b, wanted)
        # b keeps recording both: the one above its share is offered, not released (no gap).
        assert b_plan.share == 1 and b_plan.surplus == set() and b_plan.recording == set(wanted)
        [handed] = [d for d in cameras if d.pk in b_plan.offered]
        a_plan = balance(ACTOR, a, wanted)
        assert a_plan.held == set() and a_plan.pending == {handed.pk} and a_plan.recording == {handed.pk}
        a_sink = VaultSink(ACTOR, node=a.name)
        # Both record the camera; b's segment is stored first, so a's of the same seconds is not.
        for camera in cameras:
            b_sink.on_segment(camera.storage_name, segments[1])
        a_sink.on_segment(handed.storage_name, segments[1])
        assert CameraLease.objects.get(device=handed).node == b.name
        clock.move_to(segments[2].start)
        # a's next segment begins where b's footage ends: the lease passes with it.
        a_sink.on_segment(handed.storage_name, segments[2])
        assert CameraLease.objects.get(device=handed).node == a.name
        for camera in cameras:  # b, not yet told, hands over its next segment: not stored for handed
            b_sink.on_segment(camera.storage_name, segments[2])
        assert balance(ACTOR, b, wanted).recording == set(wanted) - {handed.pk}
        assert balance(ACTOR, a, wanted).held == {handed.pk}
    assert all(_overlapping(camera) == [] for camera in cameras)
    # Consecutive segments: b's last ended where a's first began — three segments, no gap to write.
    assert [(s.start, s.end) for s in Segment.objects.filter(device=handed).order_by("start")] == [
        (s.start, s.end) for s in segments
    ]
    assert not RecordingOutage.objects.filter(device=handed).exists()


@pytest.mark.django_db
def test_R41_a_node_that_hung_past_its_lease_cannot_store_its_takers_minutes(
    tmp_path: Path, settings: Any
) -> None:
    settings.JIKIMI_RECORDER_LEASE_SECONDS = 2
    [segment] = _real_segments(tmp_path, T0, count=1, seconds=4)
    with time_machine.travel(T0 - timedelta(seconds=1), tick=False) as clock:
        [device] = _cameras(1)
        hung = start_recorder(ACTOR)
        assert balance(ACTOR, hung, [device.pk]).held == {device.pk}
        clock.move_to(T0 + timedelta(seconds=2))  # hung's lease ran out at T0 + 1 s
        taker = start_recorder(ACTOR)
        assert balance(ACTOR, taker, [device.pk]).taken == {device.pk}
        # hung wakes up: its next tick finds the camera lost, and the open segment [T0, T0 + 4 s] it
        # hands over is stored only up to the takeover (cut at a keyframe), never the taker's seconds.
        assert balance(ACTOR, hung, [device.pk]).held == set()
        VaultSink(ACTOR, node=hung.name).on_segment(device.storage_name, segment)
    [stored] = Segment.objects.filter(device=device)
    assert stored.start == T0 and stored.end <= T0 + timedelta(seconds=2)


def _random_segment(start: datetime) -> Any:
    import hashlib
    import secrets

    from jikimi.engine.footage import Segment as EngineSegment

    data = secrets.token_bytes(200)
    return EngineSegment(
        0, start, start + timedelta(seconds=10), data, hashlib.sha256(data).hexdigest(), 1, False
    )


def _real_segments(tmp_path: Path, start: datetime, *, count: int, seconds: int = 4) -> list[Any]:
    """Consecutive segments of real video (a keyframe every second), `seconds` long each."""
    clip = write_clip(tmp_path / "clip.mp4", width=64, height=48, fps=10, seconds=seconds * count, audio=None)
    segments = list(segment_file(clip, start, segment_seconds=seconds, day_zone=SEOUL).segments)
    assert len(segments) == count
    return segments


@pytest.mark.django_db
def test_R41_a_lone_node_restarted_after_sigkill_explains_each_minute_once() -> None:
    with time_machine.travel(T0, tick=False) as clock:
        [device] = _cameras(1)
        killed = start_recorder(ACTOR)
        balance(ACTOR, killed, [device.pk])
        beat(ACTOR, killed, [device.pk])
        clock.move_to(T0 + timedelta(minutes=5))
        again = start_recorder(ACTOR)  # writes the dead interval as "녹화기 중지" up to now
        assert balance(ACTOR, again, [device.pk]).taken == {device.pk}
        first = T0 + timedelta(minutes=5, seconds=2)
        VaultSink(ACTOR, node=again.name).on_segment(device.storage_name, _random_segment(first))
    # Each change of the node recording the camera is audited, from where it came (R40).
    takes = AuditEntry.objects.filter(
        action=AuditEvent.VAULT_RECORDER_TAKE_CAMERA, target_type="inventory.Device", target_id=str(device.pk)
    ).order_by("sequence")
    assert [(e.details["recorder"], e.details["from_recorder"]) for e in takes] == [
        (killed.name, ""),
        (again.name, killed.name),
    ]
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        assert release(ACTOR, again) == 1
    [released] = AuditEntry.objects.filter(action=AuditEvent.VAULT_RECORDER_RELEASE_CAMERA)
    assert (released.target_id, released.details) == (str(device.pk), {"recorder": again.name})
    down, changeover = RecordingOutage.objects.filter(device=device).order_by("start")
    assert (down.start, down.end) == (T0, T0 + timedelta(minutes=5)) and down.reason.startswith("녹화기 중지")
    assert (changeover.start, changeover.end) == (down.end, first)
    assert changeover.reason.startswith("녹화기 교대")


class _SlowToApply(RecorderSupervisor):
    """A node whose cameras take long to hand over their open segments (stores queued under load)."""

    def update(self, sources: Iterable[CameraSource]) -> None:
        time.sleep(3 * lease_seconds())


@pytest.mark.django_db(transaction=True)
def test_R41_a_node_slow_to_apply_its_plan_keeps_its_leases(settings: Any) -> None:
    """The leases are renewed and the heartbeat written from a thread of their own: a node whose run
    loop waits for its cameras' hand-overs does not let its leases lapse for others to take (the
    240 × 6 fleet collapsed so: bench/fleet/README.md)."""
    settings.JIKIMI_RECORDER_LEASE_SECONDS = 1
    devices = _cameras(2)
    sink = VaultSink(ACTOR)
    recorder = threading.Thread(
        target=run_recorder,
        args=(sink, _SlowToApply(sink), threading.Event()),
        kwargs={"segment_seconds": 2, "run_for": 4, "poll": 0.05, "heartbeat_every": 0.2},
    )
    recorder.start()
    held, lapsed = 0, []
    while recorder.is_alive():
        now = timezone.now()
        expiries = _retrying(
            lambda: list(CameraLease.objects.exclude(expires_at=None).values_list("device_id", "expires_at"))
        )
        held = max(held, len(expiries))
        lapsed += [(pk, at) for pk, at in expiries if at is not None and at < now - timedelta(seconds=0.3)]
        time.sleep(0.1)
    recorder.join()
    assert held == len(devices)
    assert lapsed == []
    heartbeat = RecorderHeartbeat.objects.get()
    assert heartbeat.stopped_at is not None
    assert not CameraLease.objects.exclude(expires_at=None).exists()  # released at the stop
