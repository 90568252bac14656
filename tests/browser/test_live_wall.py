"""The live wall end to end (issue 17): a simulated camera is recorded by the vault's recorder, which
also publishes it live; an operator arranges a 4-up wall, starts watching, and the camera plays live in
Chromium with hls.js in low-latency mode. The latency is measured on the page: the wall clock of the
picture on screen (EXT-X-PROGRAM-DATE-TIME: when the recorder received the frame) against the browser's
clock — the same machine's clock. The 2 s target of issue 17 is a speed figure, measured by
`python -m bench.live_wall` (README); inside the suite, on a machine shared with other tests, this test
shows the wall playing, audited, and the replay ten seconds further back than live. The view is audited (R41), and one camera opens
full-size and goes back over its last seconds (instant replay)."""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from jikimi.accounts.testing import make_user
from jikimi.audit.models import AuditEntry
from jikimi.engine.recording import RecorderSupervisor
from jikimi.vault.actions.devices import add_device
from jikimi.vault.recording import camera_sources
from jikimi.vault.tests.conftest import ACTOR, place, traffic_group
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def camera_url() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.simcam", "--cameras", "1", "--audio", "0", "--port", "0"]
        + ["--size", "320x180", "--fps", "15", "--loop", "4", "--gop", "1"],
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
def recording(settings, tmp_path: Path, live_server, camera_url: str):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.LIVE_DIR = tmp_path / "live"
    group = traffic_group()
    place(group, "front-gate", "시청 정문")
    device = add_device(ACTOR, group, "정문 1번", location="front-gate", source_url=camera_url)
    # The vault's own camera list (hours, sources, the live directory), recorded by the engine's
    # supervisor with a sink that keeps nothing: the recorder's database work would contend with the
    # live server's on the test's SQLite; `jikimi record` itself runs in bench/live_wall.
    supervisor = RecorderSupervisor(_Discard())
    supervisor.start(camera_sources(10.0))
    yield device
    supervisor.stop()


class _Discard:
    def on_segment(self, camera, segment) -> None:
        pass

    def on_state(self, status) -> None:
        pass

    def on_gap(self, gap) -> None:
        pass


def _latencies(page, seconds: float) -> list[float]:
    return page.evaluate(
        """async (seconds) => {
            const samples = [];
            const end = Date.now() + seconds * 1000;
            while (Date.now() < end) {
                const now = window.jikimiWall ? window.jikimiWall.latencies()[0] : null;
                if (now != null) samples.push(now);
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
            return samples;
        }""",
        seconds,
    )


def _wait_until_playing(page) -> None:
    # A polling evaluate, not wait_for_function: the page's CSP forbids evaluating a string.
    playing = page.evaluate(
        """async () => {
            const end = Date.now() + 30000;
            while (Date.now() < end) {
                if (window.jikimiWall && window.jikimiWall.latencies()[0] != null) return true;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return false;
        }"""
    )
    assert playing, "the wall did not start playing"


def test_the_wall_plays_a_camera_live_and_audits_it(page, live_server, recording):
    if connection.vendor != "postgresql":
        # The recorder's threads and the live server share SQLite's test database, whose table locks
        # made this test fail now and then ("database table is locked"); make test runs it on PostgreSQL.
        pytest.skip("PostgreSQL에서 실행합니다 (SQLite 테스트 데이터베이스의 테이블 잠금)")
    device = recording
    make_user("oper", "operator", departments=["교통행정과"], name="이관제")
    log_in(page, live_server, "oper")

    page.goto(f"{live_server.url}/control/wall/?size=4")
    assert page.locator("tr[data-device]", has_text="정문 1번").is_visible()
    page.get_by_label("화면 1").select_option(str(device.pk))
    page.get_by_role("button", name="저장하고 관제 시작").click()
    page.wait_for_url("**/control/wall/*/")

    # Wait until it plays, then sample the latency for a while.
    _wait_until_playing(page)
    page.wait_for_timeout(3000)  # hls.js settles on its live edge
    samples = _latencies(page, 8)
    assert len(samples) >= 20, samples
    median = statistics.median(samples)
    print(f"live wall latency: median {median:.0f} ms over {len(samples)} samples")
    # No bound on the figure itself: the picture's time is the recorder's estimate of when the frame
    # arrived (corrected for the burst of packets at connect), and across runs it read from -1.3 s to 7 s
    # for the same setup. What the estimate does show reliably is relative: replay stands ten seconds
    # further back than live, and going back to live comes forward again (below). Issue 17's 2 s is open.
    assert page.locator("[data-error]").first.is_hidden()

    # R41: who, which camera, when, from where.
    entry = AuditEntry.objects.get(action="control.watch_live")
    assert entry.target_id == str(device.pk)
    assert entry.actor_label and entry.client_address
    assert entry.details["layout"] == 4 and entry.details["live_hours"] == "in_hours"

    # Full-size with its last minutes: a viewing of its own, audited as a replay; it goes back and returns.
    page.get_by_role("button", name="크게 보기·다시 보기").click()
    page.wait_for_url("**/control/wall/*/")
    _wait_until_playing(page)
    page.wait_for_timeout(4000)
    page.get_by_role("button", name="10초 전").click()
    page.wait_for_timeout(1500)
    behind = _latencies(page, 1)
    # showing footage from ten seconds before the live edge it showed
    assert behind and min(behind) > median + 8000, (median, behind)
    page.get_by_role("button", name="실시간").click()
    page.wait_for_timeout(2000)
    assert statistics.median(_latencies(page, 2)) < min(behind) - 5000
    replay = AuditEntry.objects.filter(action="control.watch_live", details__replay=True)
    assert replay.count() == 1
