"""The live wall end to end (issue 17): a simulated camera is recorded by the vault's recorder, which
also publishes it live; an operator arranges a 4-up wall, starts watching, and the camera plays live in
Chromium with hls.js in low-latency mode. The view is audited (R41), and one camera opens full-size and
goes back over its last seconds (instant replay), then returns to live.

Latency is measured against the camera's own clock, not the recorder's: the simulated camera burns each
frame's index into the picture (tools.simcam.stamp) and knows when it sent it; the test draws the
<video> to a canvas, reads the index, and latency = the browser's clock − when the camera sent that
frame (one machine, one clock). That is camera to screen: RTSP, the recorder's remux into 0.5 s parts,
the web server, hls.js and Chromium's decoder.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from tools.simcam import stamp
from tools.simcam.rtsp import RtspCameraServer
from tools.simcam.scenes import encode_scene

from jikimi.accounts.testing import make_user
from jikimi.audit.models import AuditEntry
from jikimi.engine.recording import RecorderSupervisor
from jikimi.vault.actions.devices import add_device
from jikimi.vault.recording import camera_sources
from jikimi.vault.tests.conftest import ACTOR, place, traffic_group
from tests.browser.login import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("realtime"),
]
FPS = 15

# Camera to screen here read 1.50–1.61 s median over eight runs (one tile, 320×180, load average 5–7
# on the shared 2 cores), and 1.48–1.62 s back at live after a replay; issue 17's target is 2 s
# (bench/live_wall measures 4- and 16-up walls). The bound leaves ~0.9 s for a loaded CI machine; the
# failure this test exists for — a player frozen or seconds behind the live edge — read 5–12 s.
LIVE_BOUND_MS = 2500


@pytest.fixture
def camera() -> Iterator[RtspCameraServer]:
    # 60 s of stamped loop: any latency under 30 s reads unambiguously.
    loop = encode_scene("testsrc2", width=320, height=180, fps=FPS, seconds=60, gop_seconds=1, stamp=True)
    with RtspCameraServer({"cam1": loop}) as server:
        yield server


@pytest.fixture
def recording(settings, tmp_path: Path, live_server, camera: RtspCameraServer):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.LIVE_DIR = tmp_path / "live"
    group = traffic_group()
    place(group, "front-gate", "시청 정문")
    device = add_device(ACTOR, group, "정문 1번", location="front-gate", source_url=camera.url("cam1"))
    # The vault's own camera list (hours, sources, the live directory), recorded by the engine's
    # supervisor with a sink that keeps nothing: the recorder's database work would contend with the
    # live server's; `jikimi record` itself runs in bench/live_wall.
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


def _sample(page, camera: RtspCameraServer) -> dict | None:
    """The picture on screen now: its latency (ms, camera to screen) and the player's media time."""
    tiles = page.evaluate(stamp.BROWSER_LEVELS_JS, "[data-tile] video")
    if not tiles or tiles[0] is None or tiles[0]["paused"]:
        return None
    index = stamp.decode_levels(tiles[0]["levels"])
    # The camera dates what it sends by Python's clock, which make test may shift by whole days
    # (tests/clock_shift.py); the browser's clock is the machine's. Bring the browser's reading onto it.
    seen = tiles[0]["now"] / 1000
    now = seen + round((time.time() - seen) / 3600) * 3600
    sent = None if index is None else camera.sent_at("cam1", index, now)
    if sent is None:
        return None
    return {"latency": (now - sent) * 1000, "media": tiles[0]["media"], "sent": sent}


def _sample_soon(page, camera: RtspCameraServer) -> dict:
    """A sample within five seconds: a single read can fall on a moment without a picture (a part
    being appended after a seek), and a seek on the loaded 2-core CI machine stalled hls.js's buffer
    for over two seconds once (bufferStalledError) while the other test worker ran beside it."""
    end = time.monotonic() + 5
    while time.monotonic() < end:
        found = _sample(page, camera)
        if found is not None:
            return found
        page.wait_for_timeout(50)
    tiles = page.evaluate(stamp.BROWSER_LEVELS_JS, "[data-tile] video")
    problems = page.evaluate("() => window.jikimiWall.problems()")
    pytest.fail(f"no stamped picture on the tile for 5 s: {tiles} {problems}")


def _live_window(page, camera: RtspCameraServer, seconds: float, tries: int = 3) -> list[float]:
    """The first of up to `tries` sampling windows whose median is within LIVE_BOUND_MS (else the last).

    Under make test's parallel load (another browser decoding on the same two cores) the player now and
    then stalls (hls.js bufferStalledError) and catches up again; one window then reads seconds behind.
    A picture that stays behind — the frozen player this test was written against — fails all windows."""
    samples: list[float] = []
    for _ in range(tries):
        samples = _latencies(page, camera, seconds)
        if samples and statistics.median(samples) < LIVE_BOUND_MS:
            break
    return samples


def _latencies(page, camera: RtspCameraServer, seconds: float) -> list[float]:
    samples, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        found = _sample(page, camera)
        if found is not None:
            samples.append(found["latency"])
        page.wait_for_timeout(150)
    return samples


def _wait_until_playing(page, camera: RtspCameraServer) -> None:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if _sample(page, camera) is not None:
            return
        page.wait_for_timeout(200)
    pytest.fail("the wall did not start playing (no stamped picture read from the video)")


def test_the_wall_plays_a_camera_live_and_audits_it(page, live_server, recording, camera):
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

    # Wait until it plays, let hls.js settle on its live edge, then sample camera-to-screen latency.
    _wait_until_playing(page, camera)
    page.wait_for_timeout(3000)
    samples = _live_window(page, camera, 8)
    assert len(samples) >= 20, samples
    live = statistics.median(samples)
    print(f"live wall latency, camera to screen: median {live:.0f} ms, max {max(samples):.0f} ms")
    problems = page.evaluate("() => window.jikimiWall.problems()")
    assert 0 < live < LIVE_BOUND_MS, ([round(x) for x in samples], problems)
    assert page.locator("[data-error]").first.is_hidden()
    # The tile shows the picture's time (KST) and the recorder's own latency estimate beside it.
    assert page.locator("[data-clock]").first.text_content() != "—"
    assert page.locator("[data-latency]").first.is_visible()

    # R41: who, which camera, when, from where.
    entry = AuditEntry.objects.get(action="control.watch_live")
    assert entry.target_id == str(device.pk)
    assert entry.actor_label and entry.client_address
    assert entry.details["layout"] == 4 and entry.details["live_hours"] == "in_hours"

    # Full-size with its last minutes: a viewing of its own, audited as a replay; it goes back and returns.
    page.get_by_role("button", name="크게 보기·다시 보기").click()
    page.wait_for_url("**/control/wall/*/")
    _wait_until_playing(page, camera)
    page.wait_for_timeout(4000)
    before = _sample_soon(page, camera)
    page.get_by_role("button", name="10초 전").click()
    page.wait_for_timeout(2000)
    after = _sample_soon(page, camera)
    behind = statistics.median(_latencies(page, camera, 2))
    print(f"replay 10 s back: latency {behind:.0f} ms (live {before['latency']:.0f} ms)")
    # The picture is the frame the seek asked for, exactly by the camera's clock: ten seconds before
    # the one on screen at the click, give or take a frame (and the time played since).
    moved_sent, moved_media = after["sent"] - before["sent"], after["media"] - before["media"]
    problems = page.evaluate("() => window.jikimiWall.problems()")
    assert abs(moved_sent - moved_media) <= 2 / FPS, (before, after, problems)
    assert -10.2 < moved_media < -7, (before, after)
    # ...and it stays ten seconds (plus the seek's stall: up to five seconds on a loaded machine) behind live.
    assert 9500 < behind - before["latency"] < 15_000, (before, behind)

    page.get_by_role("button", name="실시간").click()
    page.wait_for_timeout(3000)
    returned = _live_window(page, camera, 2)
    back = statistics.median(returned)
    print(f"back to live: latency {back:.0f} ms {[round(x) for x in returned]}")
    assert back < LIVE_BOUND_MS, back
    replay = AuditEntry.objects.filter(action="control.watch_live", details__replay=True)
    assert replay.count() == 1


def test_a_frozen_tile_says_so_and_rejoins_live_by_itself(page, live_server, recording, camera):
    """The network between the operator's PC and the recorder hangs (requests go out, nothing comes
    back): the picture freezes, the tile says so, and once the network is back the tile is live again
    without anyone touching it (wall.js' watchdog)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL에서 실행합니다 (SQLite 테스트 데이터베이스의 테이블 잠금)")
    make_user("oper", "operator", departments=["교통행정과"], name="이관제")
    log_in(page, live_server, "oper")
    page.goto(f"{live_server.url}/control/wall/?size=1")
    page.get_by_label("화면 1").select_option(str(recording.pk))
    page.get_by_role("button", name="저장하고 관제 시작").click()
    page.wait_for_url("**/control/wall/*/")
    _wait_until_playing(page, camera)

    held = []
    page.route("**/control/live/**", lambda route: held.append(route))  # unanswered: the network "hangs"
    error = page.locator("[data-error]").first
    error.filter(has_text="영상이 멈췄습니다").wait_for(state="visible", timeout=20_000)
    problems = page.evaluate("() => window.jikimiWall.problems()")
    assert "watchdog:frozen" in problems[0], problems

    page.unroute("**/control/live/**")
    error.wait_for(state="hidden", timeout=40_000)
    samples = _live_window(page, camera, 4)
    assert samples and statistics.median(samples) < LIVE_BOUND_MS, [round(x) for x in samples]
