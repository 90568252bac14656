"""`jikimi record` records the register's enabled cameras into the vault, without audio (법 제25조⑤, R13).

Real simulated cameras (tools/simcam, in a child process on a free port) and the real command; the
recorder's worker threads need committed rows, hence `transactional_db`.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any, TypeVar

import av
import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone

from jikimi.audit.models import AuditEntry
from jikimi.engine.store_marker import STORE_MARKER
from jikimi.inventory.models import Device
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import AUDIO_WARNING
from jikimi.vault.models import Segment
from jikimi.vault.playback import segment_plaintext
from jikimi.vault.tests.conftest import ACTOR, traffic_group

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[4]
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("realtime")]


@pytest.fixture(scope="module")
def cameras() -> Iterator[dict[str, str]]:
    """cam1 sends audio, cam2 and cam3 do not: {name: rtsp url}."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.simcam", "--cameras", "3", "--audio", "1", "--port", "0"]
        + ["--size", "160x120", "--fps", "10", "--loop", "2"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    urls: dict[str, str] = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == "ready":
                break
            url = line.split()[0]
            urls[url.rsplit("/", 1)[1]] = url
        assert len(urls) == 3, f"simcam did not start: {urls}"
        yield urls
    finally:
        process.terminate()
        process.wait(10)


def record(seconds: float = 8) -> str:
    out = StringIO()
    call_command("record", "--once-for", str(seconds), "--segment-seconds", "2", stdout=out)
    return out.getvalue()


def test_it_records_every_enabled_camera_without_audio(
    transactional_db: Any, cameras: dict[str, str]
) -> None:
    group = traffic_group()
    loud = add_device(ACTOR, group, "정문 1번", source_url=cameras["cam1"])
    quiet = add_device(ACTOR, group, "후문 2번", source_url=cameras["cam2"])
    disabled = add_device(ACTOR, group, "주차장 3번", source_url=cameras["cam3"], enabled=False)
    file_only = add_device(ACTOR, group, "이동형 4번")

    out = record(8)

    assert "녹화를 멈췄습니다" in out
    for device in (loud, quiet):
        assert Segment.objects.filter(device=device).count() >= 2, device
    assert not Segment.objects.filter(device__in=[disabled, file_only]).exists()
    # 법 제25조⑤: stored segments carry video only, even from a camera that sends audio.
    for segment in Segment.objects.filter(device=loud)[:2]:
        with av.open(io.BytesIO(segment_plaintext(segment))) as container:
            assert [s.type for s in container.streams] == ["video"]
    loud.refresh_from_db()
    quiet.refresh_from_db()
    # R13: the audio was dropped, and the device says so until someone turns it off.
    assert (
        loud.health_warning == AUDIO_WARNING and Segment.objects.filter(device=loud, had_audio=True).exists()
    )
    assert quiet.health_warning == ""
    # Stopped on request: the open segments were handed over and the cameras are idle again.
    assert loud.status == quiet.status == Device.Status.IDLE
    states = AuditEntry.objects.filter(action="vault.device_state", target_id=str(quiet.pk))
    assert Device.Status.RECORDING in [e.details["to"] for e in states]


def test_a_full_store_stops_the_camera_with_an_alert_and_no_index_rows(
    transactional_db: Any, cameras: dict[str, str], settings: Any, tmp_path: Path
) -> None:
    # A reserve no disk has: every write is refused before a byte is written (StorageFull).
    settings.STORAGE_URL = f"file://{tmp_path / 'full'}?reserve=1000000TiB"
    device = add_device(ACTOR, traffic_group(), "정문 1번", source_url=cameras["cam2"])

    record(6)

    device.refresh_from_db()
    assert not Segment.objects.exists()
    assert device.status == Device.Status.FAILED and "저장 공간" in device.health_warning
    assert AuditEntry.objects.filter(action="vault.device_health_warning", target_id=str(device.pk)).exists()
    stored = (
        [p for p in (tmp_path / "full").rglob("*") if p.name != STORE_MARKER]
        if (tmp_path / "full").exists()
        else []
    )
    assert [p for p in stored if p.is_file()] == []


def test_a_group_that_keeps_no_footage_is_not_recorded(
    transactional_db: Any, cameras: dict[str, str]
) -> None:
    # R15: 미보유 — nothing is recorded, so nothing is ever stored.
    device = add_device(ACTOR, traffic_group(retention="미보유"), "정문 1번", source_url=cameras["cam2"])
    out = record(3)
    assert "녹화 중인 카메라 0대" in out and not Segment.objects.filter(device=device).exists()


def test_it_refuses_a_segment_length_that_is_not_positive(transactional_db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--segment-seconds"):
        call_command("record", "--once-for", "1", "--segment-seconds", "0")


def _while_locked(write: Callable[[], T]) -> T:
    """Retry `write` while the recorder thread holds a table lock.

    The SQLite test database is in memory with a shared cache, whose table locks fail at once
    ("database table is locked") instead of waiting out the busy timeout as the file database of a
    real installation (WAL, separate recorder process) does."""
    for _ in range(100):
        try:
            return write()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    return write()


def test_it_picks_up_added_and_disabled_devices_while_running(
    transactional_db: Any, cameras: dict[str, str]
) -> None:
    group = traffic_group()
    leaving = add_device(ACTOR, group, "정문 1번", source_url=cameras["cam2"])
    out = StringIO()

    def run() -> None:
        try:
            call_command("record", "--once-for", "14", "--segment-seconds", "2", "--refresh", "1", stdout=out)
        finally:
            connection.close()  # this thread's own connection (the test database is dropped after)

    runner = threading.Thread(target=run)
    runner.start()
    try:
        time.sleep(5)
        _while_locked(lambda: Device.objects.filter(pk=leaving.pk).update(enabled=False))
        arriving = _while_locked(lambda: add_device(ACTOR, group, "후문 2번", source_url=cameras["cam3"]))
        time.sleep(2)
        stopped_at = timezone.now()
    finally:
        runner.join(60)
    assert not runner.is_alive()
    assert Segment.objects.filter(device=arriving).exists()
    # The disabled camera handed over its open segment when it was stopped, and nothing after.
    assert Segment.objects.filter(device=leaving).exists()
    assert not Segment.objects.filter(device=leaving, start__gte=stopped_at).exists()
    lines = out.getvalue().splitlines()
    assert lines[0] == f"녹화 중인 카메라 1대: {leaving.storage_name}"
    assert f"녹화 중인 카메라 1대: {arriving.storage_name}" in lines[1:]


BUS_LANE = "평일 07:00~09:00, 17:00~20:00"  # 인천광역시 버스전용차로 (R9)


def test_R9_a_camera_outside_its_recording_hours_is_not_recorded(
    transactional_db: Any, cameras: dict[str, str]
) -> None:
    device = add_device(
        ACTOR, traffic_group(recording_hours=BUS_LANE), "정문 1번", source_url=cameras["cam2"]
    )
    with time_machine.travel(datetime.fromisoformat("2026-11-23T10:00:00+09:00"), tick=True):  # a Monday
        out = record(3)
    assert "녹화 중인 카메라 0대" in out and not Segment.objects.filter(device=device).exists()


def test_R9_the_recorder_stops_at_the_end_of_the_hours_and_stores_nothing_after_it(
    transactional_db: Any, cameras: dict[str, str]
) -> None:
    device = add_device(
        ACTOR, traffic_group(recording_hours=BUS_LANE), "정문 1번", source_url=cameras["cam2"]
    )
    end_of_hours = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
    with time_machine.travel(end_of_hours - timedelta(seconds=6), tick=True):
        out = record(11)
    stored = list(Segment.objects.filter(device=device))
    assert out.splitlines()[0] == f"녹화 중인 카메라 1대: {device.storage_name}"
    assert "녹화 중인 카메라 0대: 없음" in out  # the register was re-read at 09:00 and the camera stopped
    assert stored and max(s.end for s in stored) <= end_of_hours
    device.refresh_from_db()
    assert device.status == Device.Status.IDLE
