"""Issue 18 for real: two Huey consumers (`jikimi run_huey`) share a Redis queue; the one rendering a masking
job is killed with SIGKILL mid-render; the minute's sweep (masking_tasks.recover_masking_jobs) finds its
lease expired and queues the job again; the other consumer renders it. One derivative in the store, the
recovery in the audit log, the job READY with the survivor named as its worker. The same with SIGSTOP
(a worker cut off, not dead): resumed late, it is refused and stops; still one derivative.

The consumers need the test database committed and reachable from outside (PostgreSQL only: the SQLite
test database lives in this process's memory) and Redis on 127.0.0.1:6379 (a queue name of the test's
own, removed after). The clip is real footage from ../shared/testdata (20 s, 608×1080). Up to two
minutes (the sweep runs once a minute): marked slow.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from huey import RedisHuey
from huey.contrib.djhuey import HUEY

from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import start_masking
from jikimi.disclosure.models import MaskingJob
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    ACTOR,
    RECORDED_AT,
    World,
    officer_actor,
    private_vault,
    two_faces_footage,
    world_fixture,
)
from jikimi.vault.actions.devices import add_device

REPO = Path(__file__).resolve().parents[4]
CLIP = REPO.parent / "shared" / "testdata" / "real-clips" / "one-face-walk.mp4"
REDIS_URL = "redis://127.0.0.1:6379/13"
LEASE_SECONDS = 4
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("realtime")]


def _wait(condition: Callable[[], Any], seconds: float, what: str) -> float:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"timed out waiting for {what}"
        time.sleep(0.1)
    return time.monotonic() - start


def _job(pk: int) -> MaskingJob:
    return MaskingJob.objects.get(pk=pk)


@pytest.fixture
def queue() -> RedisHuey:
    """A queue of the test's own on the loopback Redis; skipped without PostgreSQL, Redis or the clip."""
    if connection.vendor != "postgresql":
        pytest.skip("the consumers need a database they can reach (DATABASE_URL=postgres://…)")
    if not CLIP.is_file():
        pytest.skip(f"test data not found at {CLIP}")
    queue = RedisHuey(f"jikimi-test-{os.getpid()}-{secrets.token_hex(4)}", url=REDIS_URL)
    try:
        queue.storage.conn.ping()
    except Exception as error:  # noqa: BLE001 (any failure to reach Redis skips)
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return queue


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGSTOP"])
def test_a_masking_job_finishes_on_another_worker_after_its_worker_is_lost(
    queue: RedisHuey, transactional_db: Any, world: World, tmp_path: Path, stop: str
) -> None:
    """SIGKILL: the worker is dead. SIGSTOP: it is cut off, not dead — resumed (SIGCONT) after the other
    worker finished, its renewal is refused, it stops and its late result is discarded."""
    device = add_device(ACTOR, world.device.device_group, "정문 2번", location=world.location)
    call_command(
        "ingest_file",
        "--device",
        str(device.pk),
        "--start",
        RECORDED_AT.isoformat(),
        str(CLIP),
        stdout=StringIO(),
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "JIKIMI_DATA_DIR": str(tmp_path / "data"),
        "JIKIMI_STORAGE_URL": django_settings.STORAGE_URL,
        "JIKIMI_MASTER_KEY_PATH": str(django_settings.MASTER_KEY_FILE),
        "JIKIMI_AUDIT_SIGNING_KEY_PATH": str(django_settings.JIKIMI_AUDIT_SIGNING_KEY_PATH),
        "JIKIMI_HUEY_URL": REDIS_URL,
        "JIKIMI_HUEY_NAME": queue.name,
        "JIKIMI_DISCLOSURE_MASKING_MODE": "fast",
        "JIKIMI_DISCLOSURE_MASKING_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    logs = [tmp_path / f"consumer-{n}.log" for n in (1, 2)]

    def consumer(log: Path) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "jikimi.web.manage", "run_huey"],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    children = [consumer(log) for log in logs]
    try:
        # The officer starts the job: the task goes to the Redis queue the consumers share.
        before = HUEY.storage
        HUEY.storage = queue.storage
        try:
            job = start_masking(officer_actor(world.officer), world.request, device)
        finally:
            HUEY.storage = before

        _wait(
            lambda: (j := _job(job.pk)).state == MaskingJob.State.RUNNING and 0 < j.progress < 50,
            120,
            "a consumer to claim the job and report progress",
        )
        holder = _job(job.pk)
        victim = next(c for c in children if c.pid == holder.worker_pid)
        survivor = next(c for c in children if c is not victim)
        assert holder.attempts == 1 and holder.progress_total > 0
        victim.send_signal(getattr(signal, stop))
        if stop == "SIGKILL":
            victim.wait(10)
        killed_at = time.monotonic()
        print(f"{stop} to consumer {victim.pid} at {holder.progress_frames}/{holder.progress_total} frames")

        recovered = _wait(
            lambda: AuditEntry.objects.filter(action="disclosure.recover_masking").exists(),
            LEASE_SECONDS + 75,
            "the sweep to recover the job",
        )
        finished = _wait(lambda: not _job(job.pk).is_working, 180, "the survivor to render the job")
        done = _job(job.pk)
        assert done.state == MaskingJob.State.READY, done.error
        assert done.worker_pid == survivor.pid and done.attempts == 2 and done.renders == 1
        assert done.releasable and done.progress_frames == done.progress_total == done.frames
        entry = AuditEntry.objects.get(action="disclosure.recover_masking")
        assert entry.details["job"] == job.pk and entry.details["recovery"] == "requeued"
        assert f"PID {victim.pid}" in entry.details["worker"] and entry.details["attempt"] == 1
        if stop == "SIGSTOP":
            victim.send_signal(signal.SIGCONT)  # back late: refused at its next renewal, it stops
            victim_log = logs[children.index(victim)]
            _wait(
                lambda: "is discarded" in victim_log.read_text(errors="replace"),
                60,
                "the late worker to stop",
            )
            late = _job(job.pk)
            assert (late.state, late.renders, late.worker_pid) == (MaskingJob.State.READY, 1, survivor.pid)
            assert late.derivative_object == done.derivative_object
        # Exactly one masked derivative in the store: the lost attempt's was never kept.
        stored = [p for p in (tmp_path / "footage").rglob("masked-*") if p.is_file()]
        assert [p.name for p in stored] == [Path(done.derivative_object).name]
        print(
            f"recovered {recovered:.1f} s after the kill (lease {LEASE_SECONDS} s, sweep every minute); "
            f"rendered by consumer {survivor.pid} {finished:.1f} s later; total {time.monotonic() - killed_at:.1f} s"
        )
    except BaseException:
        for log in logs:
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGCONT)
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(10)
        queue.storage.flush_all()
