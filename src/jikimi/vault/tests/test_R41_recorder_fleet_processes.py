"""R41, issue 18 for real: two `jikimi record` processes share the simulated cameras (tools.simcam, as
`make run` uses); one is killed with SIGKILL and the other takes its cameras within 30 s, the gap written
as "녹화기 교대"; the killed node comes back and gets its share handed back — offered by the survivor,
which records on until the returned node's footage begins: no "녹화기 교대" outage for a hand-back, no
segment twice, and the live wall's windows of the handed cameras survive the giver stopping them.

The children need the test database committed and reachable from outside: PostgreSQL only (the SQLite
test database lives in this process's memory). About a minute: marked slow, as the repo's other
recorder-process tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from jikimi.inventory.models import Device
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import CameraLease, RecorderHeartbeat, RecordingOutage, Segment
from jikimi.vault.tests.conftest import ACTOR, traffic_group

REPO = Path(__file__).resolve().parents[4]
CAMERAS = 4
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("realtime")]


@pytest.fixture(scope="module")
def camera_urls() -> Iterator[list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.simcam", "--cameras", str(CAMERAS), "--audio", "0", "--port", "0"]
        + ["--size", "160x120", "--fps", "10", "--loop", "2", "--bitrate", "100000"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        urls = []
        for line in process.stdout:
            if line.strip() == "ready":
                break
            urls.append(line.split()[0])
        assert len(urls) == CAMERAS, "simcam did not start"
        yield urls
    finally:
        process.terminate()
        process.wait(10)


def _wait(logs: Path, condition: Callable[[], Any], seconds: float = 120) -> float:
    """Seconds until `condition` held (polling the database). The bound is generous: a loaded CI machine
    (2 cores, another test beside this one) is slow to start a node; what R41 bounds — the takeover —
    is asserted by itself below. On a timeout it says what the fleet looked like."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"timed out after {seconds} s: {_fleet_state(logs)}"
        time.sleep(0.2)
    return time.monotonic() - start


def _fleet_state(logs: Path) -> str:
    leases = list(CameraLease.objects.values_list("device_id", "node", "renewed_at", "expires_at"))
    beats = list(
        RecorderHeartbeat.objects.values_list("name", "pid", "beat_at", "stopped_at", "devices", "capacity")
    )
    logs = {path.name: path.read_text(errors="replace")[-1500:] for path in sorted(logs.glob("node-*.log"))}
    return f"now={timezone.now()} leases={leases} heartbeats={beats} logs={logs}"


def _holders() -> dict[int, str]:
    now = timezone.now()
    return dict(CameraLease.objects.filter(expires_at__gt=now).values_list("device_id", "node"))


def _halved() -> bool:
    """Two nodes hold half the cameras each (every hand-back completed)."""
    holders = list(_holders().values())
    return len(holders) == CAMERAS and sorted(holders.count(n) for n in set(holders)) == [CAMERAS // 2] * 2


def _largest_hole(device_pk: int, since: datetime) -> float:
    """The longest stretch without footage of the device between segments since `since` (seconds)."""
    spans = list(
        Segment.objects.filter(device_id=device_pk, end__gt=since)
        .order_by("start")
        .values_list("start", "end")
    )
    return max(
        [(c - b).total_seconds() for (_, b), (c, _) in zip(spans, spans[1:], strict=False)], default=0.0
    )


def _overlaps(device: Device) -> list[tuple[datetime, datetime]]:
    spans = sorted(Segment.objects.filter(device=device).values_list("start", "end"))
    return [(a, b) for (a, b), (c, _) in zip(spans, spans[1:], strict=False) if c < b]


def test_R41_two_recorder_processes_share_the_cameras_and_survive_a_sigkill(
    transactional_db: Any, camera_urls: list[str], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the recorders' own processes need a database they can reach (DATABASE_URL=postgres://…)")
    group = traffic_group()
    devices = [add_device(ACTOR, group, f"카메라 {n}", source_url=url) for n, url in enumerate(camera_urls)]
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "JIKIMI_DATA_DIR": str(tmp_path / "data"),
        "JIKIMI_STORAGE_URL": django_settings.STORAGE_URL,
        "JIKIMI_MASTER_KEY_PATH": str(django_settings.MASTER_KEY_FILE),
    }

    started = iter(range(100))

    def node() -> subprocess.Popen[bytes]:
        # Each node's output kept for the timeout's message (the child holds its own descriptor).
        with (tmp_path / f"node-{next(started)}.log").open("wb") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "jikimi.web.manage", "record", "--segment-seconds", "2"],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    children = [node(), node()]
    try:
        # The first node takes all; the second joins and the first hands back half.
        _wait(tmp_path, lambda: len(_holders()) == CAMERAS)
        _wait(tmp_path, _halved)
        split_at = timezone.now()  # each node records its half: a segment begun after the split
        _wait(
            tmp_path,
            lambda: all(Segment.objects.filter(device=d, start__gt=split_at).exists() for d in devices),
        )
        victim = RecorderHeartbeat.objects.get(pid=children[0].pid, stopped_at__isnull=True)
        survivor = RecorderHeartbeat.objects.get(pid=children[1].pid, stopped_at__isnull=True)
        victims = {pk for pk, name in _holders().items() if name == victim.name}
        assert len(victims) == CAMERAS // 2
        children[0].send_signal(signal.SIGKILL)
        children[0].wait(10)
        killed_at = timezone.now()
        took = _wait(
            tmp_path, lambda: set(_holders().values()) == {survivor.name} and len(_holders()) == CAMERAS
        )
        assert took < 30, (
            f"takeover took {took:.1f} s",
            list(CameraLease.objects.values_list("device_id", "node", "renewed_at", "expires_at")),
            list(RecorderHeartbeat.objects.values_list("name", "pid", "beat_at", "devices")),
        )
        # The survivor records them: a segment after the kill for every camera of the dead node, and
        # the gap written as an outage with its reason.
        _wait(
            tmp_path,
            lambda: all(Segment.objects.filter(device_id=pk, start__gt=killed_at).exists() for pk in victims),
        )
        gaps = list(
            RecordingOutage.objects.filter(
                device_id__in=victims, reason__startswith="녹화기 교대", end__gt=killed_at
            )
        )
        assert {o.device_id for o in gaps} == victims
        seconds = sorted((o.end - o.start).total_seconds() for o in gaps)
        assert all(0 < s < 40 for s in seconds)
        print(f"takeover after SIGKILL: {took:.1f} s; takeover gaps written: {seconds} s")
        # The killed node comes back: half is handed back to it.
        back_started = timezone.now()
        children[0] = node()
        _wait(tmp_path, _halved)
        returned = RecorderHeartbeat.objects.get(pid=children[0].pid, stopped_at__isnull=True)
        handed = {pk for pk, name in _holders().items() if name == returned.name}
        back_at = timezone.now()
        _wait(
            tmp_path,
            lambda: all(Segment.objects.filter(device_id=pk, start__gt=back_at).exists() for pk in handed),
        )
        # The survivor gave them back without stopping first: no outage for them since the takeover's
        # gap, and no minute twice (checked for every camera at the end).
        back_gaps = RecordingOutage.objects.filter(device_id__in=handed, end__gt=killed_at).exclude(
            pk__in=[o.pk for o in gaps]
        )
        assert list(back_gaps.values_list("device_id", "reason", "start", "end")) == []
        assert not RecordingOutage.objects.filter(
            reason__startswith="녹화기 교대", end__lte=killed_at
        ).exists()
        # The survivor stopped the handed cameras (it beats only what it records): their live windows
        # are the returned node's, still there for the wall.
        _wait(
            tmp_path,
            lambda: not set(RecorderHeartbeat.objects.get(pk=survivor.pk).devices) & handed,
        )
        live = tmp_path / "data" / "live"
        stopped_at = timezone.now()
        for pk in handed:
            index = live / Device.objects.get(pk=pk).storage_name / "index.json"
            _wait(
                tmp_path,
                lambda index=index: index.exists() and index.stat().st_mtime > stopped_at.timestamp(),
            )
        # Footage across the hand-back: where the returned node's begins, the survivor's ended at most
        # a keyframe interval (simcam: 1 s) before — cut at keyframes, never overlapping.
        holes = [_largest_hole(pk, back_started) for pk in handed]
        print(f"handed back: {sorted(handed)}; largest hole in their footage since: {holes} s")
        assert all(hole <= 1.1 for hole in holes)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(10)
    assert all(_overlaps(d) == [] for d in devices)  # no minute recorded twice
    assert not CameraLease.objects.filter(expires_at__isnull=False).exists()  # a clean stop releases
