"""R41 on PostgreSQL: a segment being stored holds its camera's store lock (leases.locked), which
neither a lease renewal waits for nor a takeover ignores (issue 18).

bench/fleet, 240 cameras on 6 nodes: while the lock was the lease row's, a node's renewal — one UPDATE
of all its lease rows — waited behind every segment in flight through the object store's upload, and
under load the node's leases lapsed and were taken by other nodes while it was still recording.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import OperationalError, connection, connections, transaction

from jikimi.audit.models import ChainHead
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.vault import keyring
from jikimi.vault.actions.leases import balance, lease_seconds, locked
from jikimi.vault.actions.liveness import start_recorder
from jikimi.vault.models import CameraLease, RecordingOutage, Segment
from jikimi.vault.recording import VaultSink
from jikimi.vault.tests.conftest import ACTOR, new_device, traffic_group

T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (SQLite has one writer)"),
]


class _StoreInFlight:
    """A recorder's worker storing a segment of `device_pk`: its transaction holds the store lock
    until `finish` (as through a slow upload)."""

    def __init__(self, device_pk: int) -> None:
        self.holding, self.finish = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run, args=(device_pk,))

    def _run(self, device_pk: int) -> None:
        try:
            with transaction.atomic():
                locked(device_pk)
                self.holding.set()
                self.finish.wait(30)
        finally:
            connections.close_all()

    def __enter__(self) -> _StoreInFlight:
        self.thread.start()
        assert self.holding.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self.finish.set()
        self.thread.join(10)


def _renewal_bounded() -> None:
    with connection.cursor() as cursor:  # a wait on a lock fails the test instead of hanging it
        cursor.execute("SET lock_timeout = '3s'")


def test_R41_a_nodes_renewal_does_not_wait_for_a_segment_being_stored() -> None:
    group = traffic_group()
    devices = [new_device(group, f"카메라 {n}") for n in range(3)]
    wanted = [d.pk for d in devices]
    with time_machine.travel(T0, tick=False) as clock:
        node = start_recorder(ACTOR)
        assert balance(ACTOR, node, wanted).held == set(wanted)
        with _StoreInFlight(devices[0].pk):
            clock.move_to(T0 + timedelta(seconds=5))
            _renewal_bounded()
            plan = balance(ACTOR, node, wanted)
        assert plan.held == set(wanted)
        expected = T0 + timedelta(seconds=5 + lease_seconds())
        assert set(CameraLease.objects.values_list("expires_at", flat=True)) == {expected}


def test_R41_a_takeover_leaves_a_camera_whose_segment_is_being_stored_to_a_later_tick() -> None:
    group = traffic_group()
    devices = [new_device(group, f"카메라 {n}") for n in range(2)]
    wanted = [d.pk for d in devices]
    with time_machine.travel(T0, tick=False) as clock:
        hung = start_recorder(ACTOR)
        assert balance(ACTOR, hung, wanted).held == set(wanted)  # alone: takes both
        taker = start_recorder(ACTOR)
        clock.move_to(T0 + timedelta(seconds=lease_seconds() + 5))  # hung's leases lapsed
        with _StoreInFlight(devices[0].pk):  # … while it still stores a segment of the first camera
            _renewal_bounded()
            assert balance(ACTOR, taker, wanted).taken == {devices[1].pk}
        clock.move_to(T0 + timedelta(seconds=45))  # the hung node's heartbeat reads stale: all is the taker's
        assert devices[0].pk in balance(ACTOR, taker, wanted).taken


def _chain_head_free() -> bool:
    """From another connection (another node): could it append to the audit chain now?"""
    answers: list[bool] = []

    def probe() -> None:
        try:
            with transaction.atomic():
                list(ChainHead.objects.select_for_update(nowait=True))
            answers.append(True)
        except OperationalError:
            answers.append(False)
        finally:
            connections.close_all()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(10)
    return answers == [True]


class _ProbingStore:
    """The real footage store; each put first asks whether the audit chain's head is free."""

    def __init__(self, store: Any, seen: list[bool]) -> None:
        self._store, self._seen = store, seen

    def put(self, name: str, data: bytes) -> Any:
        self._seen.append(_chain_head_free())
        return self._store.put(name, data)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._store, attribute)


def test_R41_a_takeovers_first_segment_holds_the_audit_chain_only_after_its_upload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The gap's audit entry is written after the upload: the chain's head is one lock for the whole
    fleet, and held through the upload it made every node's takes and state reports wait (bench/fleet,
    240 × 6: the last node took a killed node's cameras 30 s after the others)."""
    device = new_device(traffic_group(), "카메라")
    with time_machine.travel(T0, tick=False) as clock:
        killed = start_recorder(ACTOR)
        assert balance(ACTOR, killed, [device.pk]).held == {device.pk}
        clock.move_to(T0 + timedelta(seconds=lease_seconds() + 5))
        taker = start_recorder(ACTOR)
        assert balance(ACTOR, taker, [device.pk]).taken == {device.pk}
        seen: list[bool] = []
        real = keyring.footage_store()
        monkeypatch.setattr(keyring, "footage_store", lambda: _ProbingStore(real, seen))
        first = T0 + timedelta(seconds=lease_seconds() + 6)
        data = secrets.token_bytes(200)
        segment = EngineSegment(
            0, first, first + timedelta(seconds=10), data, hashlib.sha256(data).hexdigest(), 1, False
        )
        VaultSink(ACTOR, node=taker.name).on_segment(device.storage_name, segment)
    assert seen == [True]
    [gap] = RecordingOutage.objects.filter(device=device)
    assert gap.reason.startswith("녹화기 교대") and gap.end == first
    assert Segment.objects.filter(device=device).count() == 1
