"""An officer states a purpose, plays a device's range as one timeline in Chromium and seeks into its
third segment from the timeline bar; the KST clock follows, and the audit chain holds exactly one
viewing entry (R41). Real footage through the real ingest path, real server, real browser."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jikimi.accounts.testing import make_user
from jikimi.audit.models import AuditEntry
from jikimi.engine.synthetic import write_clip
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.models import Segment, Viewing
from jikimi.vault.tests.conftest import ACTOR, new_device
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEOUL = ZoneInfo("Asia/Seoul")
# Three 4-second clips: [0, 4), [4, 8), a gap, [20, 24) seconds after T0.
OFFSETS = (0, 4, 20)


@pytest.fixture
def recorded(settings, tmp_path: Path, live_server):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    clip = write_clip(tmp_path / "clip.mp4", seconds=4, audio=None)
    t0 = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    device = new_device()
    for offset in OFFSETS:
        ingest(ACTOR, device, clip, t0 + timedelta(seconds=offset))
    assert Segment.objects.filter(device=device).count() == 3
    return device, t0


def local(moment: datetime) -> str:
    return moment.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")


def test_an_officer_plays_a_range_and_seeks_into_the_third_segment(page, live_server, recorded):
    device, t0 = recorded
    make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/vault/devices/{device.pk}/play/")
    page.get_by_label("시작 (한국 시각)").fill(local(t0 - timedelta(minutes=1)))
    page.get_by_label("끝 (한국 시각)").fill(local(t0 + timedelta(minutes=2)))
    page.get_by_label("열람 목적").fill("교통사고 경위 확인")
    page.get_by_role("button", name="열람 시작").click()
    page.wait_for_url("**/vault/viewings/*/")

    assert page.evaluate("MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.42C00A\"')")
    played = page.evaluate(
        """async () => {
            const video = document.querySelector('video');
            await video.play();
            const started = Date.now();
            while (video.currentTime < 0.5 && Date.now() - started < 10000) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return {time: video.currentTime, error: video.error && video.error.code};
        }"""
    )
    assert played["error"] is None and played["time"] >= 0.5, played
    assert page.locator("[data-error]").is_hidden()

    # Paused (so only the seek can move it), click the bar 21.5 s after T0: inside the third segment,
    # past the 12-second gap.
    page.evaluate("document.querySelector('video').pause()")
    target = t0 + timedelta(seconds=21.5)
    bar = page.locator(".jk-timeline-bar")
    box = bar.bounding_box()
    start_ms = int(page.locator("[data-timeline-seek]").get_attribute("data-start-ms"))
    end_ms = int(page.locator("[data-timeline-seek]").get_attribute("data-end-ms"))
    share = (target.timestamp() * 1000 - start_ms) / (end_ms - start_ms)
    bar.click(position={"x": box["width"] * share, "y": box["height"] / 2})

    third = (t0 + timedelta(seconds=20)).timestamp() * 1000
    page.wait_for_function(
        "([low, high]) => { const c = document.querySelector('[data-clock]');"
        " const wall = Number(c.dataset.wallMs); return wall >= low && wall < high; }",
        arg=[third, third + 4000],
        timeout=5000,
    )
    assert page.evaluate("document.querySelector('video').paused")
    seeked = page.evaluate(
        """async () => {
            const video = document.querySelector('video');
            const before = video.currentTime;
            await video.play();
            await new Promise((resolve) => setTimeout(resolve, 800));
            return {before, after: video.currentTime, error: video.error && video.error.code,
                    wall: Number(document.querySelector('[data-clock]').dataset.wallMs),
                    text: document.querySelector('[data-clock]').textContent};
        }"""
    )
    assert seeked["error"] is None and seeked["after"] > seeked["before"], seeked
    assert third <= seeked["wall"] < third + 4000, seeked
    # The clock shows the third segment's KST time (to the second; the bar's pixel is about 0.2 s).
    shown = datetime.strptime(seeked["text"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SEOUL)
    assert t0 + timedelta(seconds=20) <= shown <= t0 + timedelta(seconds=24), seeked["text"]
    assert page.locator("[data-error]").is_hidden()

    # The span list does the same from the keyboard: back to the first footage, at T0.
    page.evaluate("document.querySelector('video').pause()")
    page.get_by_text("구간 목록 (한국 시각)").click()
    page.get_by_role("button", name="이 시각으로 이동").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(t0) => Math.abs(Number(document.querySelector('[data-clock]').dataset.wallMs) - t0) < 100",
        arg=t0.timestamp() * 1000,
        timeout=5000,
    )

    viewing = Viewing.objects.get()
    entries = AuditEntry.objects.filter(action="vault.view_footage")
    assert entries.count() == 1
    assert entries.get().details["viewing"] == viewing.pk and entries.get().reason == "교통사고 경위 확인"
