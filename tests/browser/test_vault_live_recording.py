"""What `make run` promises, end to end: a simulated camera is recorded by the real `jikimi record`,
the existence check finds its footage, the officer follows the timeline's link to the purpose form,
states a purpose and the recorded footage plays in Chromium; the audit chain has the viewing (R41)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from jikimi.accounts.testing import make_user
from jikimi.audit.models import AuditEntry
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import Segment
from jikimi.vault.tests.conftest import ACTOR, place, traffic_group
from tests.browser.login import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("realtime"),
]
SEOUL = ZoneInfo("Asia/Seoul")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def camera_url() -> Iterator[str]:
    """One simulated RTSP camera (with audio, which the recorder drops: R13) in its own process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.simcam", "--cameras", "1", "--audio", "1", "--port", "0"]
        + ["--size", "320x240", "--fps", "10", "--loop", "3"],
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
        assert len(urls) == 1, f"simcam did not start: {urls}"
        yield urls[0]
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def recorded(settings, tmp_path: Path, live_server, camera_url: str):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    group = traffic_group()
    place(group, "front-gate", "시청 정문")
    device = add_device(ACTOR, group, "정문 1번", location="front-gate", source_url=camera_url)
    started = timezone.now()
    call_command("record", "--once-for", "7", "--segment-seconds", "2", stdout=StringIO())
    assert Segment.objects.filter(device=device).count() >= 2
    return device, started


def test_recorded_footage_is_found_and_plays_after_a_purpose(page, live_server, recorded):
    device, started = recorded
    make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
    log_in(page, live_server, "alice")

    # 존재확인 by site: the recorded minutes show as footage on the device's timeline.
    window_start = started.astimezone(SEOUL).replace(second=0, microsecond=0)
    window_end = window_start + timedelta(minutes=3)
    page.goto(
        f"{live_server.url}/vault/coverage/?site=시청 정문"
        f"&start={window_start:%Y-%m-%dT%H:%M}&end={window_end:%Y-%m-%dT%H:%M}"
    )
    assert page.locator("h2", has_text="정문 1번").is_visible()
    footage = page.locator("a.jk-timeline-footage").first
    footage.click()

    # The purpose form comes prefilled with the footage's range; nothing plays before a purpose (R41).
    page.wait_for_url("**/vault/devices/*/play/**")
    assert page.get_by_label("시작 (한국 시각)").input_value() != ""
    page.get_by_label("열람 목적").fill("시설물 파손 경위 확인")
    page.get_by_role("button", name="열람 시작").click()
    page.wait_for_url("**/vault/viewings/*/")

    played = page.evaluate(
        """async () => {
            const video = document.querySelector('video');
            await video.play();
            const started = Date.now();
            while (video.currentTime < 1.0 && Date.now() - started < 15000) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return {time: video.currentTime, error: video.error && video.error.code};
        }"""
    )
    assert played["error"] is None and played["time"] >= 1.0, played
    assert page.locator("[data-error]").is_hidden()

    entry = AuditEntry.objects.get(action="vault.view_footage")
    assert entry.target_id == str(device.pk) and entry.reason == "시설물 파손 경위 확인"
    assert entry.actor_label and entry.client_address  # who and from where (R41)
