"""A recorder node bounds the database connections its camera threads open at once (VaultSink.database):
`python -m bench.fleet` with 300 cameras on 6 nodes saw every camera's segment close together and the
nodes open more connections than PostgreSQL's max_connections ("too many clients": those segments
lost). On SQLite the work is serialized as before; the run loop's own work (main thread) takes no slot.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from jikimi.audit.context import Actor
from jikimi.vault.recording import VaultSink

ACTOR = Actor.system("recorder")


def _most_at_once(sink: VaultSink, threads: int) -> int:
    inside, most = 0, 0
    lock = threading.Lock()

    def camera() -> None:
        nonlocal inside, most
        with sink.database():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)
            with lock:
                inside -= 1

    workers = [threading.Thread(target=camera) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    return most


def test_at_most_db_connections_camera_threads_do_database_work_at_once() -> None:
    most = _most_at_once(VaultSink(ACTOR, db_connections=3), threads=12)
    assert most == (1 if connection.vendor == "sqlite" else 3)


def test_the_run_loop_takes_no_slot() -> None:
    """The main thread (leases, heartbeat) is not held up by cameras storing: with every slot taken by
    workers, it still enters at once (on SQLite the one-writer lock applies to it as before)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes every thread's database work")
    sink = VaultSink(ACTOR, db_connections=1)
    holding, release = threading.Event(), threading.Event()

    def camera() -> None:
        with sink.database():
            holding.set()
            release.wait(10)

    worker = threading.Thread(target=camera)
    worker.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        with sink.database():
            pass
        assert time.monotonic() - started < 1
    finally:
        release.set()
        worker.join(10)


def test_db_connections_must_be_positive() -> None:
    with pytest.raises(ValueError):
        VaultSink(ACTOR, db_connections=0)
