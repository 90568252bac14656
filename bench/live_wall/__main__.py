"""The live wall's latency and what it costs the recorder node (issue 17: < 2 s, < 10% CPU).

    python -m bench.live_wall [--cameras 16] [--seconds 20] [--viewer hls|chromium] [--server gunicorn|runserver]

A throw-away jikimi (SQLite in a temporary data directory) with N simulated RTSP cameras (tools/simcam,
640×360, 15 fps, a keyframe a second, the frame index burnt into the picture; bench.live_wall.cameras,
in its own process: cameras are not on the recorder node), the real `jikimi record` and the web server
as separate processes — the recorder node. The web server is gunicorn (`--server gunicorn`, the default:
the image's 3 workers, gthread with 8 threads each, since a blocking playlist reload holds a worker until
the next part) or Django's `runserver`; its whole process tree (master and workers) is measured.

Three phases, each measured over the same window (user+system CPU of the processes, as a share of the
whole machine, all cores):

1. baseline: the recorder with live publishing off (JIKIMI_LIVE_DIR=""), nobody watching;
2. live, 0 viewers: the recorder publishing every camera's LL-HLS window, nobody watching;
3. live, N viewers: the wall of N cameras watched by an operator logged in with his second factor.

Latency, on the camera's own clock (the simulator knows when it sent each frame index; one machine,
one clock), median and p90 per tile and over all, and the share of samples with no readable index:

- `--viewer hls` (the default): the stream's latency, camera to client. N LL-HLS clients in a process of
  their own (bench.live_wall.viewers: the operator's computer, not counted in the node's CPU) open the
  wall as the operator does and follow each tile's playlist as hls.js does (blocking reloads with
  `_HLS_msn`/`_HLS_part`, every new part, one decoder per tile); latency = when a part's first frame is
  decoded − when the camera sent it. It leaves out what the browser adds: the player's hold-back behind
  the newest part (PART-HOLD-BACK, two parts) and the decode and paint of every frame.
- `--viewer chromium`: camera to screen. Headless Chromium plays the N-up wall; every ~200 ms each tile's
  <video> is drawn to a canvas, the index read (tools.simcam.stamp), and latency = the browser's clock −
  when the camera sent that frame. With many tiles on a small machine this is the browser's figure (it
  decodes N streams in software on the cores the recorder node uses too).

(The recorder's own dating of the picture, shown on the tiles, is an estimate and is not used.)
Writes bench/results/live_wall.json: the last run of each viewer, with the load average around it.
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
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.simcam.stamp import BROWSER_LEVELS_JS, decode_levels

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")
CHROMIUM = "/usr/bin/chromium"
GUNICORN_WORKERS = 3  # as the image (Dockerfile)
GUNICORN_THREADS = 16  # as the image: a 16-up wall's blocking reloads each hold a thread
MEASURED = {
    "chromium": "camera to screen: the frame index burnt into the picture, read off the <video> drawn to a "
    "canvas every ~200 ms, minus when the camera sent it",
    "hls": "camera to client: the index burnt into each LL-HLS part's first frame, decoded as the part "
    "arrives, minus when the camera sent it (no player hold-back, no browser decode or paint)",
}
Samples = tuple[list[list[float]], int, float, float]  # per tile (ms), unread, node CPU %, web CPU %


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants (gunicorn's master and workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdecimal():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


class CpuWindow:
    """CPU the processes used from now on, per process (a worker started meanwhile counts from 0)."""

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self.pids = pids
        self.before = {pid: cpu_seconds(pid) for pid in pids()}
        self.start = time.monotonic()

    def percent(self) -> float:
        """Share of the whole machine (percent of all cores) used since the window opened."""
        used = sum(cpu_seconds(pid) - self.before.get(pid, 0.0) for pid in self.pids())
        return 100 * used / (time.monotonic() - self.start) / (os.cpu_count() or 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(pids: Callable[[], list[int]], seconds: float) -> float:
    """Share of the whole machine (percent of all cores) the processes used over `seconds`."""
    window = CpuWindow(pids)
    time.sleep(seconds)
    return window.percent()


def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the web server did not listen on port {port} within {timeout:.0f} s")


def web_command(server: str, port: int, workers: int = GUNICORN_WORKERS) -> list[str]:
    if server == "runserver":
        return [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"]
    # Threads, not the image's sync workers: a blocking playlist reload holds its worker until the next
    # part (~0.5 s), and a 16-up wall keeps 16 of them open at once; 3 sync workers would queue them.
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "jikimi.web.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(GUNICORN_THREADS),
        "--timeout",
        "120",
    ]


def sent_at(clock: tuple[float, int, int], index: int, now: float) -> float | None:
    """When the camera last sent loop frame ``index`` at or before ``now`` (tools.simcam.rtsp)."""
    started, frames, fps = clock
    if not 0 <= index < frames:
        return None
    cycle = (now - started - index / fps) // (frames / fps)
    return None if cycle < 0 else started + cycle * frames / fps + index / fps


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


Clock = tuple[float, int, int]


def watch_in_chromium(
    base: str,
    session: str,
    size: int,
    seconds: float,
    clock_of: dict[int, Clock],
    node: Callable[[], list[int]],
    web: Callable[[], list[int]],
) -> Samples:
    """One headless Chromium playing the N-up wall; every ~200 ms each tile's picture is read."""
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
        page.goto(f"{base}/control/wall/?size={size}")
        page.get_by_role("button", name="저장하고 관제 시작").click()
        page.wait_for_url("**/control/wall/*/")
        page.evaluate(
            """async (n) => { const end = Date.now() + 60000; while (Date.now() < end) {
                const l = window.jikimiWall ? window.jikimiWall.latencies() : [];
                if (l.length === n && l.every((x) => x != null)) return; await new Promise((r) => setTimeout(r, 200)); } }""",
            size,
        )
        time.sleep(5)
        tiles = [
            int(d)
            for d in page.eval_on_selector_all("[data-tile]", "(ts) => ts.map((t) => t.dataset.device)")
        ]
        per_tile: list[list[float]] = [[] for _ in tiles]
        unread = 0
        node_window, web_window = CpuWindow(node), CpuWindow(web)
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            for n, tile in enumerate(page.evaluate(BROWSER_LEVELS_JS, "[data-tile] video")):
                index = None if tile is None else decode_levels(tile["levels"])
                sent = None if index is None else sent_at(clock_of[tiles[n]], index, tile["now"] / 1000)
                if sent is None:
                    unread += 1
                else:
                    per_tile[n].append(tile["now"] - sent * 1000)
            page.wait_for_timeout(200)
        watched = node_window.percent(), web_window.percent()
        browser.close()
    return per_tile, unread, *watched


def watch_with_hls_clients(
    base: str,
    session: str,
    size: int,
    seconds: float,
    clock_of: dict[int, Clock],
    node: Callable[[], list[int]],
    web: Callable[[], list[int]],
    env: dict[str, str],
) -> Samples:
    """N LL-HLS clients (bench.live_wall.viewers, a process of their own: the operator's computer)."""
    viewers = subprocess.Popen(
        [sys.executable, "-m", "bench.live_wall.viewers", base, session, str(size)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: list[dict[str, Any]] = []
    ready = threading.Event()

    def read() -> None:
        assert viewers.stdout is not None
        for line in viewers.stdout:
            if line.strip() == "ready":
                ready.set()
            elif line.strip():
                lines.append(json.loads(line))
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(90) or viewers.poll() is not None:
            raise SystemExit("the LL-HLS viewers did not read every tile within 90 s")
        time.sleep(5)
        node_window, web_window = CpuWindow(node), CpuWindow(web)
        start = time.time()
        time.sleep(seconds)
        end = time.time()
        watched = node_window.percent(), web_window.percent()
    finally:
        viewers.terminate()
        try:
            viewers.wait(20)
        except subprocess.TimeoutExpired:
            viewers.kill()
        reader.join(5)
    per_tile: list[list[float]] = [[] for _ in range(size)]
    unread = 0
    for sample in lines:
        if "at" not in sample or not start <= sample["at"] < end:
            continue
        index = sample["index"]
        sent = None if index is None else sent_at(clock_of[sample["device"]], index, sample["at"])
        if sent is None:
            unread += 1
        else:
            per_tile[sample["tile"]].append(1000 * (sample["at"] - sent))
    errors = [s for s in lines if "error" in s]
    if errors:
        print(f"{len(errors)} viewer errors, e.g. {errors[0]}", file=sys.stderr)
    return per_tile, unread, *watched


def table(runs: dict[str, dict[str, Any]], current: str) -> str:
    rows = [
        f"{'viewer':<9} {'server':<10} {'tiles':>5} {'median':>8} {'p90':>8} {'unread':>7} "
        f"{'live pub.':>9} {'viewers':>8} {'web':>6} {'load':>5}  when"
    ]
    for name in ("hls", "chromium"):
        run = runs.get(name)
        if run is None:
            continue
        added = run["added_cpu_percent_of_node"]
        cpu = run["cpu_percent_of_node"]
        web = cpu.get(f"web_{run['cameras']}_viewers")
        share = run.get("latency_unread_share")
        rows.append(
            f"{name:<9} {run.get('server', 'runserver'):<10} {run['cameras']:>5} "
            f"{run['latency_ms_median'] or 0:>6}ms {run['latency_ms_p90'] or 0:>6}ms "
            f"{100 * share if share is not None else float('nan'):>6.0f}% "
            f"{added['live_publishing']:>8.1f}% {added['viewers_vs_0_viewers']:>7.1f}% "
            f"{web if web is not None else float('nan'):>5.1f}% "
            f"{run.get('load_average_1m_before_after', ['?'])[0]:>5}  {run.get('when', '?')}"
            + ("  (this run)" if name == current else "")
        )
    rows.append(
        "latency: hls = camera to client (part's first frame), chromium = camera to screen; CPU as % of the "
        "node (all cores): live pub. = recorder with live vs without, viewers = recorder+web with N viewers "
        "vs 0, web = the web server's process tree with N viewers"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.live_wall", description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=16, choices=[1, 4, 9, 16])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window of each phase")
    parser.add_argument(
        "--viewer",
        choices=["hls", "chromium"],
        default="hls",
        help="hls: N LL-HLS clients in a process of their own (the stream's latency); "
        "chromium: the wall in headless Chromium (camera to screen, on this machine the browser's)",
    )
    parser.add_argument(
        "--server",
        choices=["gunicorn", "runserver"],
        default="gunicorn",
        help="the web server: gunicorn (production: gthread workers) or Django's runserver",
    )
    parser.add_argument(
        "--gunicorn-workers", type=int, default=GUNICORN_WORKERS, help="gunicorn's worker processes"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "live_wall.json"))
    args = parser.parse_args(argv)
    load_before = round(os.getloadavg()[0], 2)

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
    processes: list[subprocess.Popen[Any]] = []
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

        def recorder(live: bool) -> subprocess.Popen[bytes]:
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
        baseline = measure(lambda: [rec.pid], args.seconds)
        rec.terminate()
        rec.wait(30)

        # 2. live publishing, nobody watching; the web server idle beside it
        port = free_port()
        web = subprocess.Popen(
            web_command(args.server, port, args.gunicorn_workers),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(web)
        wait_listening(port)
        rec = recorder(live=True)
        processes.append(rec)
        wait_recording(live=True)
        recorder_live = measure(lambda: [rec.pid], args.seconds)

        def web_tree() -> list[int]:
            return process_tree(web.pid)

        def node() -> list[int]:
            return [rec.pid, *web_tree()]

        node_idle = measure(node, args.seconds)
        web_idle = measure(web_tree, args.seconds)

        # 3. the wall: N viewers
        clock_of = {device.pk: clocks[n] for n, device in enumerate(devices)}
        base = f"http://127.0.0.1:{port}"
        if args.viewer == "chromium":
            wall = watch_in_chromium(base, session, args.cameras, args.seconds, clock_of, node, web_tree)
        else:
            wall = watch_with_hls_clients(
                base, session, args.cameras, args.seconds, clock_of, node, web_tree, env
            )
        per_tile, unread, node_watched, web_watched = wall

        samples = [x for tile in per_tile for x in tile]
        median = statistics.median(samples) if samples else float("nan")
        run = {
            "viewer": args.viewer,
            "server": args.server,
            "gunicorn": f"{args.gunicorn_workers} workers × {GUNICORN_THREADS} threads (gthread)"
            if args.server == "gunicorn"
            else None,
            "cameras": args.cameras,
            "viewers": args.cameras,
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "load_average_1m_before_after": [load_before, round(os.getloadavg()[0], 2)],
            "camera": "simcam 640x360 15 fps H.264, 1 s GOP, RTSP/TCP on loopback",
            "window_seconds": args.seconds,
            "cores": os.cpu_count(),
            "machine": platform.platform(),
            "latency_measured": MEASURED[args.viewer],
            "latency_ms_median": round(median) if samples else None,
            "latency_ms_p90": round(p90(samples)) if samples else None,
            "latency_samples": len(samples),
            "latency_unread_samples": unread,
            "latency_unread_share": round(unread / (unread + len(samples)), 3)
            if unread + len(samples)
            else None,
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
                "web_0_viewers": round(web_idle, 2),
                f"recorder_and_web_{args.cameras}_viewers": round(node_watched, 2),
                f"web_{args.cameras}_viewers": round(web_watched, 2),
            },
            "added_cpu_percent_of_node": {
                "live_publishing": round(recorder_live - baseline, 2),
                "viewers_vs_0_viewers": round(node_watched - node_idle, 2),
                "wall_vs_recording_alone": round(node_watched - baseline, 2),
            },
            "targets": {"latency_ms": 2000, "added_cpu_percent": 10},
        }
        out = Path(args.out)
        stored = json.loads(out.read_text()) if out.exists() else {}
        runs = stored.get("runs", {}) if isinstance(stored.get("runs"), dict) else {}
        runs[args.viewer] = run
        result = {"bench": "live_wall", "runs": runs}
        print(json.dumps(run, ensure_ascii=False, indent=2))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        print(table(runs, current=args.viewer))
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
