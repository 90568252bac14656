"""R41: the issue's scenario for real — `jikimi record` in its own process, killed with SIGKILL.

Before, the device kept showing 녹화 중 and no outage was ever written. Now its heartbeat goes stale:
the device reads "녹화 안 됨: 녹화기 중지", the periodic check alerts, and the next recorder writes the
dead interval as the device's outage. The child process needs the test database committed and
reachable from outside: PostgreSQL only (the SQLite test database lives in this process's memory).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.inventory.models import Device
from jikimi.rules.coverage import Coverage
from jikimi.vault import queries
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.liveness import check_recorders, start_recorder
from jikimi.vault.models import RecorderHeartbeat, RecordingOutage, VaultAlert
from jikimi.vault.tests.conftest import ACTOR, traffic_group

REPO = Path(__file__).resolve().parents[4]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("realtime")]


@pytest.fixture(scope="module")
def camera() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.simcam", "--cameras", "1", "--port", "0"]
        + ["--size", "160x120", "--fps", "10", "--loop", "2"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            if line.strip() == "ready":
                break
            url = line.split()[0]
        assert url, "simcam did not start"
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _wait(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_R41_a_recorder_killed_with_sigkill_reads_down_and_its_interval_becomes_an_outage(
    transactional_db: Any, camera: str, settings: Any, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the recorder's own process needs a database it can reach (DATABASE_URL=postgres://…)")
    settings.JIKIMI_RECORDER_STALE_SECONDS = 3
    device = add_device(ACTOR, traffic_group(), "정문 1번", source_url=camera)
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "JIKIMI_DATA_DIR": str(tmp_path / "data"),
        "JIKIMI_STORAGE_URL": django_settings.STORAGE_URL,
        "JIKIMI_MASTER_KEY_PATH": str(django_settings.MASTER_KEY_FILE),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "jikimi.web.manage", "record", "--segment-seconds", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait(lambda: RecorderHeartbeat.objects.filter(devices__contains=[device.pk]).exists())
        _wait(lambda: Device.objects.get(pk=device.pk).status == Device.Status.RECORDING)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    device.refresh_from_db()
    assert device.status == Device.Status.RECORDING  # what the dead recorder last said
    _wait(lambda: queries.device_state(device).startswith("녹화 안 됨: 녹화기 중지"), seconds=10)
    [heartbeat] = RecorderHeartbeat.objects.all()
    assert heartbeat.stopped_at is None
    assert check_recorders(Actor.system("check_recorders")) == 1
    assert VaultAlert.objects.filter(kind=VaultAlert.Kind.RECORDER_DOWN, device=device).exists()
    intervals = queries.device_coverage(device, heartbeat.beat_at, timezone.now()).intervals
    assert intervals[-1].coverage is Coverage.RECORDER_DOWN
    # A recorder starts again: the dead interval is the device's outage, with its reason.
    start_recorder(Actor.command("record"))
    [outage] = RecordingOutage.objects.filter(device=device, cause=RecordingOutage.Cause.RECORDER)
    assert outage.start == heartbeat.beat_at and "녹화기 중지" in outage.reason
