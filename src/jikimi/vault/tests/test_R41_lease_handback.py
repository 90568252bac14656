"""R41, issue 18: a returning recorder node gets its share handed back without a gap or a minute twice.

The node above its share offers the lease and keeps recording; a short node claims the offer, records
too and stores nothing until a segment that begins after the claim and after the camera's stored
footage; with that segment the lease passes (one transaction, the store lock held), and the giver's
footage past that instant is cut there. No "녹화기 교대" outage: a hand-back is not an outage. An offer
nobody claims lapses after two lease lengths, a claimed one its taker does not complete four lease
lengths after the claim, and the giver keeps the camera. Runs on SQLite and on
PostgreSQL (DATABASE_URL), where claims and stores race on row and advisory locks.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import time_machine
from django.db import OperationalError, connection

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage.segmenter import segment_file
from jikimi.engine.synthetic import write_clip
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.leases import balance, handback_seconds, lease_seconds, offer_seconds
from jikimi.vault.actions.liveness import beat, start_recorder
from jikimi.vault.models import CameraLease, RecorderHeartbeat, RecordingOutage, Segment
from jikimi.vault.recording import VaultSink
from jikimi.vault.tests.conftest import ACTOR, traffic_group

T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
R = TypeVar("R")


def _cameras(count: int, round_: int = 0) -> list[Device]:
    group = traffic_group()
    return [
        add_device(ACTOR, group, f"카메라 {round_}-{n}", source_url=f"rtsp://127.0.0.1:9/cam{n}")
        for n in range(count)
    ]


def _segments(tmp_path: Path, start: datetime, *, count: int, seconds: int = 4) -> list[Any]:
    """Consecutive segments of real video (a keyframe every second), `seconds` long each."""
    clip = write_clip(
        tmp_path / f"clip-{start.timestamp()}.mp4",
        width=64,
        height=48,
        fps=10,
        seconds=seconds * count,
        audio=None,
    )
    segments = list(segment_file(clip, start, segment_seconds=seconds, day_zone=SEOUL).segments)
    assert len(segments) == count
    return segments


def _spans(device: Device) -> list[tuple[datetime, datetime]]:
    return list(Segment.objects.filter(device=device).order_by("start").values_list("start", "end"))


def _retrying(work: Callable[[], R]) -> R:
    """SQLite's shared in-memory test database answers a busy writer with "locked" at once (a file
    database waits); a recorder's worker would fail the segment — the test tries again."""
    for _ in range(500):
        try:
            return work()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def _offered(cameras: list[Device]) -> tuple[RecorderHeartbeat, RecorderHeartbeat, Device]:
    """b records both cameras; a comes back and claims the one b offers."""
    wanted = [d.pk for d in cameras]
    b = start_recorder(ACTOR)
    assert balance(ACTOR, b, wanted).held == set(wanted)
    a = start_recorder(ACTOR)
    b_plan = balance(ACTOR, b, wanted)
    [handed] = [d for d in cameras if d.pk in b_plan.offered]
    assert balance(ACTOR, a, wanted).pending == {handed.pk}
    return a, b, handed


@pytest.mark.django_db
def test_R41_the_takers_first_segment_is_cut_where_the_givers_footage_ends(tmp_path: Path) -> None:
    giver = _segments(tmp_path, T0 - timedelta(seconds=4), count=3)  # [T0-4, T0], [T0, T0+4], [T0+4, T0+8]
    taker = _segments(tmp_path, T0 + timedelta(seconds=2), count=2)  # [T0+2, T0+6], [T0+6, T0+10]
    with time_machine.travel(T0 - timedelta(seconds=3), tick=False) as clock:
        cameras = _cameras(2)
        a, b, handed = _offered(cameras)
        b_sink, a_sink = VaultSink(ACTOR, node=b.name), VaultSink(ACTOR, node=a.name)
        b_sink.on_segment(handed.storage_name, giver[0])
        b_sink.on_segment(handed.storage_name, giver[1])  # stored up to T0+4
        clock.move_to(T0 + timedelta(seconds=6))
        a_sink.on_segment(handed.storage_name, taker[0])  # begins at T0+2: only [T0+4, T0+6] is new
        lease = CameraLease.objects.get(device=handed)
        assert (lease.node, lease.previous_node, lease.acquired_at) == (
            a.name,
            b.name,
            T0 + timedelta(seconds=4),
        )
        assert lease.offered_at is None and lease.offer_taker == ""
        b_sink.on_segment(handed.storage_name, giver[2])  # b, not yet told: nothing of it is stored
        a_sink.on_segment(handed.storage_name, taker[1])
        assert handed.pk not in balance(ACTOR, b, [d.pk for d in cameras]).recording
    assert _spans(handed) == [
        (T0 - timedelta(seconds=4), T0),
        (T0, T0 + timedelta(seconds=4)),
        (T0 + timedelta(seconds=4), T0 + timedelta(seconds=6)),
        (T0 + timedelta(seconds=6), T0 + timedelta(seconds=10)),
    ]
    assert not RecordingOutage.objects.filter(device=handed).exists()  # a hand-back is not an outage
    # The footage's chain of custody (R40): which node recorded the camera from when.
    entries = AuditEntry.objects.filter(target_type="inventory.Device", target_id=str(handed.pk))
    taken = entries.filter(action=AuditEvent.VAULT_RECORDER_TAKE_CAMERA)
    assert [e.details["recorder"] for e in taken] == [b.name]
    [handback] = entries.filter(action=AuditEvent.VAULT_RECORDER_HANDBACK)
    assert handback.details == {
        "recorder": a.name,
        "from_recorder": b.name,
        "footage_from": (T0 + timedelta(seconds=4)).astimezone(UTC).isoformat(),
    }


@pytest.mark.django_db
def test_R41_nothing_the_taker_recorded_before_its_claim_is_stored(tmp_path: Path) -> None:
    early = _segments(tmp_path, T0 - timedelta(seconds=8), count=1)[0]  # [T0-8, T0-4]
    with time_machine.travel(T0, tick=False):
        cameras = _cameras(2)
        a, b, handed = _offered(cameras)  # claimed at T0
        VaultSink(ACTOR, node=a.name).on_segment(handed.storage_name, early)
        assert CameraLease.objects.get(device=handed).node == b.name
    assert not Segment.objects.filter(device=handed).exists()


@pytest.mark.django_db
def test_R41_an_offer_nobody_completes_lapses_and_the_giver_keeps_the_camera(tmp_path: Path) -> None:
    late = _segments(tmp_path, T0 + timedelta(seconds=4 * lease_seconds() + 2), count=1)[0]
    with time_machine.travel(T0, tick=False) as clock:
        cameras = _cameras(2)
        wanted = [d.pk for d in cameras]
        a, b, handed = _offered(cameras)
        assert handback_seconds() == 4 * lease_seconds()
        # a claimed it but its first segment never came (the camera did not answer it); both beat on.
        for step in range(1, 14):  # past four lease lengths (60 s) from the claim
            clock.move_to(T0 + timedelta(seconds=5 * step))
            b_plan = balance(ACTOR, b, wanted)
            beat(ACTOR, b, sorted(b_plan.recording))
            beat(ACTOR, a, [])
        assert T0 + timedelta(seconds=handback_seconds()) < late.start
        # The offer lapsed: b held the camera throughout; a's late segment is not stored and takes
        # nothing.
        lease = CameraLease.objects.get(device=handed)
        assert lease.node == b.name and lease.offer_taker == ""
        assert handed.pk in b_plan.recording
        clock.move_to(late.end)
        VaultSink(ACTOR, node=a.name).on_segment(handed.storage_name, late)
        assert CameraLease.objects.get(device=handed).node == b.name
    assert not Segment.objects.filter(device=handed).exists()
    assert not RecordingOutage.objects.filter(device=handed).exists()


@pytest.mark.django_db
def test_R41_a_claimed_offer_waits_for_its_taker_from_the_claim_not_from_the_offer(tmp_path: Path) -> None:
    # bench/fleet, 240 × 6: offers claimed late in their 30 s lapsed before the taker's first segment
    # was stored (stores 10–25 s behind under load), were offered, claimed and lapsed again, for ever.
    claim = T0 + timedelta(seconds=offer_seconds() - 2)
    taker = _segments(tmp_path, claim + timedelta(seconds=1), count=1)[0]
    with time_machine.travel(T0, tick=False) as clock:
        cameras = _cameras(2)
        wanted = [d.pk for d in cameras]
        b = start_recorder(ACTOR)
        balance(ACTOR, b, wanted)
        a = start_recorder(ACTOR)
        [handed] = balance(ACTOR, b, wanted).offered  # offered at T0
        # Both nodes tick every 5 s; a claims the offer only at T0+28, and its first segment is stored
        # 55 s after that: 83 s after the offer.
        ticks = [T0 + timedelta(seconds=5 * n) for n in range(1, 17)]
        for at in sorted([*ticks, claim]):
            clock.move_to(at)
            assert handed in balance(ACTOR, b, wanted).offered  # still offered: the taker is on its way
            beat(ACTOR, b, wanted)
            if at >= claim:
                assert balance(ACTOR, a, wanted).pending == {handed}
            beat(ACTOR, a, [handed] if at >= claim else [])
        VaultSink(ACTOR, node=a.name).on_segment(Device.objects.get(pk=handed).storage_name, taker)
        assert CameraLease.objects.get(device_id=handed).node == a.name
    assert not RecordingOutage.objects.filter(device_id=handed).exists()


def _at_once(*works: Callable[[], None]) -> None:
    """Run each work in its own thread (its own connection, as a recorder's), all released together."""
    barrier = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_R41_two_nodes_racing_for_one_offer_never_both_claim_it() -> None:
    with time_machine.travel(T0, tick=False):
        for round_ in range(3):
            cameras = _cameras(2, round_)
            wanted = [d.pk for d in cameras]
            b = start_recorder(ACTOR)
            assert balance(ACTOR, b, wanted).held == set(wanted)
            racers = [start_recorder(ACTOR), start_recorder(ACTOR)]
            # Three nodes for two cameras: a share of one each; b keeps one and offers the other.
            [offered] = balance(ACTOR, b, wanted).offered
            pending: dict[str, set[int]] = {}

            def claim(node: RecorderHeartbeat, wanted: list[int], pending: dict[str, set[int]]) -> None:
                pending[node.name] = _retrying(lambda: balance(ACTOR, node, wanted)).pending

            _at_once(*(functools.partial(claim, node, wanted, pending) for node in racers))
            assert sorted(map(sorted, pending.values())) == [[], [offered]]
            [winner] = [name for name, devices in pending.items() if devices]
            assert CameraLease.objects.get(device_id=offered).offer_taker == winner
            RecorderHeartbeat.objects.filter(name__in=[b.name, *(n.name for n in racers)]).update(
                stopped_at=T0
            )


@pytest.mark.django_db(transaction=True)
def test_R41_the_givers_store_and_the_takers_completion_never_store_a_minute_twice(tmp_path: Path) -> None:
    # The giver's segments and the taker's, of other phases, stored at once from two threads (two
    # recorder workers): whichever order the store lock gives them, the footage is contiguous, once.
    giver = _segments(tmp_path, T0 - timedelta(seconds=4), count=4)  # [T0-4, T0] … [T0+8, T0+12]
    taker = _segments(tmp_path, T0 + timedelta(seconds=2), count=3)  # [T0+2, T0+6] … [T0+10, T0+14]

    def store(sink: VaultSink, device: Device, segments: list[Any], seed: int) -> None:
        pause = random.Random(seed)
        for segment in segments:
            time.sleep(pause.uniform(0, 0.05))
            _retrying(lambda s=segment: sink.on_segment(device.storage_name, s))

    with time_machine.travel(T0, tick=False):
        for round_ in range(4):
            cameras = _cameras(2, round_)
            a, b, handed = _offered(cameras)
            b_sink, a_sink = VaultSink(ACTOR, node=b.name), VaultSink(ACTOR, node=a.name)
            b_sink.on_segment(handed.storage_name, giver[0])
            _at_once(
                functools.partial(store, b_sink, handed, giver[1:], round_),
                functools.partial(store, a_sink, handed, taker, round_ + 100),
            )
            spans = _spans(handed)
            assert CameraLease.objects.get(device=handed).node == a.name
            assert spans[0][0] == T0 - timedelta(seconds=4) and spans[-1][1] == T0 + timedelta(seconds=14)
            assert all(end == start for (_, end), (start, _) in zip(spans, spans[1:], strict=False)), spans
            assert not RecordingOutage.objects.filter(device=handed).exists()
            RecorderHeartbeat.objects.filter(name__in=[a.name, b.name]).update(stopped_at=T0)


@pytest.mark.django_db
def test_R41_a_taker_whose_clock_lags_the_givers_still_takes_the_camera(tmp_path: Path) -> None:
    # Two recorders date the same pictures apart (each by its own arrival times): here the taker's dates
    # lag the giver's by more than a segment. Its first segment fixes where the giver's footage ends,
    # so the giver's next one does not move that end away from it.
    giver = _segments(tmp_path, T0, count=3)  # [T0, T0+4], [T0+4, T0+8], [T0+8, T0+12]
    taker = _segments(tmp_path, T0 - timedelta(seconds=1), count=3)  # [T0-1, T0+3], [T0+3, T0+7], …
    with time_machine.travel(T0, tick=False):
        cameras = _cameras(2)
        a, b, handed = _offered(cameras)
        b_sink, a_sink = VaultSink(ACTOR, node=b.name), VaultSink(ACTOR, node=a.name)
        b_sink.on_segment(handed.storage_name, giver[0])
        a_sink.on_segment(handed.storage_name, taker[0])  # all before the giver's end: the end is fixed
        b_sink.on_segment(handed.storage_name, giver[1])  # past the fixed end: not stored
        a_sink.on_segment(handed.storage_name, taker[1])  # [T0+4, T0+7] of it completes the hand-back
        assert CameraLease.objects.get(device=handed).node == a.name
        b_sink.on_segment(handed.storage_name, giver[2])
        a_sink.on_segment(handed.storage_name, taker[2])
    assert _spans(handed) == [
        (T0, T0 + timedelta(seconds=4)),
        (T0 + timedelta(seconds=4), T0 + timedelta(seconds=7)),
        (T0 + timedelta(seconds=7), T0 + timedelta(seconds=11)),
    ]
    assert not RecordingOutage.objects.filter(device=handed).exists()


@pytest.mark.django_db
def test_R41_a_hand_back_that_lapses_after_its_end_was_fixed_writes_the_dropped_minutes_as_a_gap(
    tmp_path: Path,
) -> None:
    giver = _segments(tmp_path, T0, count=2)  # [T0, T0+4], [T0+4, T0+8]
    taker = _segments(tmp_path, T0 - timedelta(seconds=3), count=1)[0]  # [T0-3, T0+1]
    late = _segments(tmp_path, T0 + timedelta(seconds=70), count=1)[0]
    with time_machine.travel(T0, tick=False) as clock:
        cameras = _cameras(2)
        wanted = [d.pk for d in cameras]
        a, b, handed = _offered(cameras)
        b_sink = VaultSink(ACTOR, node=b.name)
        b_sink.on_segment(handed.storage_name, giver[0])
        VaultSink(ACTOR, node=a.name).on_segment(handed.storage_name, taker)  # fixes the end at T0+4
        b_sink.on_segment(handed.storage_name, giver[1])  # dropped: the taker was to record it
        # a goes away; the offer lapses; b keeps the camera and its next segment writes the hole.
        clock.move_to(T0 + timedelta(seconds=handback_seconds() + 5))
        beat(ACTOR, b, wanted)
        assert handed.pk in balance(ACTOR, b, wanted).held
        clock.move_to(late.end)
        b_sink.on_segment(handed.storage_name, late)
    assert _spans(handed) == [(T0, T0 + timedelta(seconds=4)), (late.start, late.end)]
    [hole] = RecordingOutage.objects.filter(device=handed)
    assert (hole.start, hole.end) == (T0 + timedelta(seconds=4), late.start)
    assert hole.reason.startswith("녹화기 교대")


@pytest.mark.django_db
def test_R41_a_claimant_that_takes_the_lapsed_lease_stores_nothing_before_it_took_it(tmp_path: Path) -> None:
    # bench/fleet, 180 × 6: two segments overlapping ~0.2 s at a lease change. The claimant of an offer
    # records the camera before the lease is its own; when the giver's lease lapses and the claimant
    # takes it outright (not by completing the hand-back), its open segment began before the take —
    # the hung giver's footage runs to the take (`taken_at`), so the claimant's begins there.
    took = T0 + timedelta(seconds=35)
    giver = _segments(tmp_path, took - timedelta(seconds=3), count=1)[0]  # [took-3, took+1]
    taker = _segments(tmp_path, took - timedelta(seconds=2), count=1)[0]  # [took-2, took+2]
    with time_machine.travel(T0, tick=False) as clock:
        cameras = _cameras(2)
        a, b, handed = _offered(cameras)  # a records the camera b offered; b then hangs
        clock.move_to(took)  # b's lease and its offer lapsed; b's heartbeat reads stale
        assert handed.pk in balance(ACTOR, a, [d.pk for d in cameras]).taken
        lease = CameraLease.objects.get(device=handed)
        assert (lease.node, lease.previous_node, lease.acquired_at) == (a.name, b.name, took)
        VaultSink(ACTOR, node=a.name).on_segment(handed.storage_name, taker)
        VaultSink(ACTOR, node=b.name).on_segment(handed.storage_name, giver)
    spans = _spans(handed)
    assert spans == [(took - timedelta(seconds=3), took), (took, took + timedelta(seconds=2))], spans
