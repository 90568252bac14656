"""The live wall's latency and what it costs the recorder node (issue 17: < 2 s, < 10% CPU).

    python -m bench.live_wall [--cameras 16] [--seconds 20]

A throw-away jikimi (SQLite in a temporary data directory) with N simulated RTSP cameras (tools/simcam,
640×360, 15 fps, a keyframe a second, the frame index burnt into the picture; bench.live_wall.cameras,
in its own process: cameras are not on the recorder node), the
real `jikimi record` and the web server (`runserver`, WhiteNoise) as separate processes — the recorder
node — and Chromium playing an N-up wall as an operator logged in with his second factor.

Three phases, each measured over the same window (user+system CPU of the processes, as a share of the
whole machine, all cores):

1. baseline: the recorder with live publishing off (JIKIMI_LIVE_DIR=""), nobody watching;
2. live, 0 viewers: the recorder publishing every camera's LL-HLS window, nobody watching;
3. live, N viewers: the wall playing the N cameras (one browser, N streams).

Latency, camera to screen: every ~200 ms each tile's <video> is drawn to a canvas, the frame index
burnt into its picture read (tools.simcam.stamp), and latency = the browser's clock − when the camera
sent that frame (one machine, one clock); median and p90 per tile and over all. (The recorder's own
dating of the picture, shown on the tiles, is an estimate and is not used.)
Writes bench/results/live_wall.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.simcam.stamp import BROWSER_LEVELS_JS, decode_levels

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")
CHROMIUM = "/usr/bin/chromium"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def tree_cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(pids: list[int], seconds: float) -> float:
    """Share of the whole machine (percent of all cores) the processes used over `seconds`."""
    before, start = tree_cpu(pids), time.monotonic()
    time.sleep(seconds)
    used, elapsed = tree_cpu(pids) - before, time.monotonic() - start
    return 100 * used / elapsed / (os.cpu_count() or 1)


def sent_at(clock: tuple[float, int, int], index: int, now: float) -> float | None:
    """When the camera last sent loop frame ``index`` at or before ``now`` (tools.simcam.rtsp)."""
    started, frames, fps = clock
    if not 0 <= index < frames:
        return None
    cycle = (now - started - index / fps) // (frames / fps)
    return None if cycle < 0 else started + cycle * frames / fps + index / fps


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.live_wall", description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=16, choices=[1, 4, 9, 16])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window of each phase")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "live_wall.json"))
    args = parser.parse_args(argv)

    data = Path(tempfile.mkdtemp(prefix="jikimi-live-wall-"))
    env = {
        **os.environ,
        "JIKIMI_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'jikimi.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "jikimi.web.settings",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
    }
    os.environ.update(env)
    processes: list[subprocess.Popen] = []
    try:
        simcam = subprocess.Popen(
            [sys.executable, "-m", "bench.live_wall.cameras", str(args.cameras)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        processes.append(simcam)
        assert simcam.stdout is not None
        urls, clocks = [], []
        for line in simcam.stdout:
            if line.strip() == "ready":
                break
            url, started, frames, fps = line.split()
            urls.append(url)
            clocks.append((float(started), int(frames), int(fps)))

        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from jikimi.accounts.testing import log_in, make_group, make_user
        from jikimi.control.actions.live import save_layout
        from jikimi.control.models import WallLayout
        from jikimi.vault.actions.devices import add_device
        from jikimi.vault.tests.conftest import ACTOR

        call_command("migrate", verbosity=0)
        group = make_group("안전총괄과", "safety", purpose="방범 및 시설물관리")
        devices = [add_device(ACTOR, group, f"방범 {n + 1}번", source_url=url) for n, url in enumerate(urls)]
        operator = make_user("bench-operator", "operator", departments=["안전총괄과"])
        from jikimi.audit.context import Actor

        save_layout(Actor.for_user(operator, "127.0.0.1"), "기본", args.cameras, list(devices))
        assert WallLayout.objects.filter(user=operator).exists()
        client = Client(REMOTE_ADDR="127.0.0.1")
        log_in(client, operator)
        session = client.cookies["sessionid"].value

        def recorder(live: bool) -> subprocess.Popen:
            extra = {} if live else {"JIKIMI_LIVE_DIR": ""}
            return subprocess.Popen(
                [sys.executable, "-m", "django", "record", "--segment-seconds", "10"],
                cwd=ROOT,
                env={**env, **extra},
                stdout=subprocess.DEVNULL,
            )

        def wait_recording(live: bool) -> None:
            deadline = time.monotonic() + 60
            live_dir = data / "live"
            while time.monotonic() < deadline:
                if not live or all((live_dir / d.storage_name / "index.json").exists() for d in devices):
                    time.sleep(5 if live else 8)  # settle: every camera connected and publishing
                    return
                time.sleep(0.5)
            raise SystemExit("the recorder did not publish every camera within 60 s")

        # 1. baseline: recording without live publishing
        rec = recorder(live=False)
        processes.append(rec)
        wait_recording(live=False)
        baseline = measure([rec.pid], args.seconds)
        rec.terminate()
        rec.wait(30)

        # 2. live publishing, nobody watching; the web server idle beside it
        port = free_port()
        web = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(web)
        rec = recorder(live=True)
        processes.append(rec)
        wait_recording(live=True)
        recorder_live = measure([rec.pid], args.seconds)
        node_idle = measure([rec.pid, web.pid], args.seconds)

        # 3. the wall: one browser playing every camera
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--autoplay-policy=no-user-gesture-required",
                ],
            )
            context = browser.new_context(locale="ko-KR")
            context.add_cookies([{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/control/wall/?size={args.cameras}")
            page.get_by_role("button", name="저장하고 관제 시작").click()
            page.wait_for_url("**/control/wall/*/")
            page.evaluate(
                """async (n) => { const end = Date.now() + 60000; while (Date.now() < end) {
                    const l = window.jikimiWall ? window.jikimiWall.latencies() : [];
                    if (l.length === n && l.every((x) => x != null)) return; await new Promise((r) => setTimeout(r, 200)); } }""",
                args.cameras,
            )
            time.sleep(5)
            tiles = [
                int(d)
                for d in page.eval_on_selector_all("[data-tile]", "(ts) => ts.map((t) => t.dataset.device)")
            ]
            clock_of = {device.pk: clocks[n] for n, device in enumerate(devices)}
            per_tile: list[list[float]] = [[] for _ in tiles]
            unread = 0
            before, start = tree_cpu([rec.pid, web.pid]), time.monotonic()
            while time.monotonic() - start < args.seconds:
                for n, tile in enumerate(page.evaluate(BROWSER_LEVELS_JS, "[data-tile] video")):
                    index = None if tile is None else decode_levels(tile["levels"])
                    sent = None if index is None else sent_at(clock_of[tiles[n]], index, tile["now"] / 1000)
                    if sent is None:
                        unread += 1
                    else:
                        per_tile[n].append(tile["now"] - sent * 1000)
                page.wait_for_timeout(200)
            elapsed = time.monotonic() - start
            node_watched = 100 * (tree_cpu([rec.pid, web.pid]) - before) / elapsed / (os.cpu_count() or 1)
            browser.close()

        samples = [x for tile in per_tile for x in tile]
        median = statistics.median(samples) if samples else float("nan")
        result = {
            "bench": "live_wall",
            "cameras": args.cameras,
            "viewers": args.cameras,
            "camera": "simcam 640x360 15 fps H.264, 1 s GOP, RTSP/TCP on loopback",
            "window_seconds": args.seconds,
            "cores": os.cpu_count(),
            "machine": platform.platform(),
            "latency_ms_median": round(median),
            "latency_ms_p90": round(p90(samples)) if samples else None,
            "latency_measured": "camera to screen, on the frame index burnt into the picture",
            "latency_samples": len(samples),
            "latency_unread_samples": unread,
            "latency_ms_per_tile": [
                {"median": round(statistics.median(t)), "p90": round(p90(t)), "samples": len(t)}
                if t
                else None
                for t in per_tile
            ],
            "cpu_percent_of_node": {
                "recorder_without_live": round(baseline, 2),
                "recorder_with_live": round(recorder_live, 2),
                "recorder_and_web_0_viewers": round(node_idle, 2),
                "recorder_and_web_16_viewers": round(node_watched, 2),
            },
            "added_cpu_percent_of_node": {
                "live_publishing": round(recorder_live - baseline, 2),
                "viewers_vs_0_viewers": round(node_watched - node_idle, 2),
                "wall_vs_recording_alone": round(node_watched - baseline, 2),
            },
            "targets": {"latency_ms": 2000, "added_cpu_percent": 10},
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        print(
            f"wall latency, camera to screen: median {median:.0f} ms, p90 {p90(samples) if samples else float('nan'):.0f} ms; added CPU for {args.cameras} viewers "
            f"{node_watched - node_idle:.1f}% of the node (live publishing {recorder_live - baseline:.1f}%)"
        )
        return 0
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
