"""Recording capacity: N simulated 1080p cameras (H.264, 4 Mbit/s, 25 fps) recorded by one
RecorderSupervisor — remuxed, encrypted with `store_segment` and written to a DirectoryStore — for a
measured window, and what it cost.

    python -m bench.recording --cameras 100 --seconds 60

The cameras are tools/simcam's RTSP server in a separate process (its CPU is reported apart: on a
real site the cameras are not on the recording machine). The recorder's CPU is its own process's
user+system time over the window, as a share of the whole machine (all cores). A real-time ratio
below 1 means the streams arrived slower than they play: the machine (shared with the simulator,
and with anything else running) did not keep up. A segment is lost if a camera's run of segments
has a hole, a segment lacks frames (fewer than segment × fps), a gap or a reconnection is
reported, or a worker fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC
from pathlib import Path

from jikimi.engine.footage.ingest import store_segment
from jikimi.engine.footage.keys import DataKey
from jikimi.engine.footage.segmenter import Segment
from jikimi.engine.footage.storage import DirectoryStore
from jikimi.engine.recording import CameraSource, CameraState, CameraStatus, Gap, RecorderSupervisor

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


class BenchSink:
    def __init__(self, store: DirectoryStore | None, key: DataKey) -> None:
        self.store, self.key = store, key
        self.lock = threading.Lock()
        self.segments: dict[str, list[Segment]] = defaultdict(list)
        self.failed: list[CameraStatus] = []
        self.reconnects: list[CameraStatus] = []
        self.gaps: list[Gap] = []
        self.recording: set[str] = set()
        self.stored_bytes = 0

    def on_segment(self, camera: str, segment: Segment) -> None:
        if self.store is not None:
            row = store_segment(self.store, segment, device=camera, key_for_day=lambda day: self.key)
            self.store.delete(row.name)  # keep the disk from filling during long runs; the write was made
            size = row.size
        else:
            size = segment.size
        light = Segment(segment.index, segment.start, segment.end, b"", segment.sha256, segment.frames, False)
        with self.lock:
            self.segments[camera].append(light)
            self.stored_bytes += size

    def on_state(self, status: CameraStatus) -> None:
        with self.lock:
            if status.state is CameraState.RECORDING:
                self.recording.add(status.camera)
            elif status.state is CameraState.FAILED:
                self.failed.append(status)
            elif status.state is CameraState.RECONNECTING:
                self.reconnects.append(status)

    def on_gap(self, gap: Gap) -> None:
        with self.lock:
            self.gaps.append(gap)


def start_cameras(args: argparse.Namespace) -> tuple[subprocess.Popen[str], list[str]]:
    command = [
        sys.executable, "-m", "tools.simcam", "--port", "0", "--cameras", str(args.cameras),
        "--audio", "0", "--scene", "testsrc2", "--size", args.size, "--fps", str(args.fps),
        "--bitrate", str(args.bitrate), "--gop", "1", "--loop", "10",
    ]  # fmt: skip
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    urls = []
    for line in child.stdout:
        if line.strip() == "ready":
            return child, urls
        urls.append(line.split()[0])
    raise RuntimeError("the simulated cameras did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recording", description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60, help="measured window")
    parser.add_argument("--segment", type=float, default=10, help="segment length, seconds")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--bitrate", type=int, default=4_000_000)
    parser.add_argument("--no-store", action="store_true", help="remux only: no encryption, no disk")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here too")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench-recording-"))
    store = None if args.no_store else DirectoryStore(workdir)
    sink = BenchSink(store, DataKey.generate("day/bench/2026-01-01"))
    print(f"encoding the scene and starting {args.cameras} simulated cameras …", flush=True)
    cameras, urls = start_cameras(args)
    supervisor = RecorderSupervisor(sink)
    try:
        supervisor.start(
            CameraSource(f"cam{n + 1:03d}", url, segment_seconds=args.segment, day_zone=UTC)
            for n, url in enumerate(urls)
        )
        deadline = time.monotonic() + 60
        while len(sink.recording) < len(urls) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(args.segment)  # warm-up: every camera past its first (probing) segment
        with sink.lock:
            before = {c: len(s) for c, s in sink.segments.items()}
            bytes_before = sink.stored_bytes
        cpu0, sim0, wall0 = (
            process_cpu_seconds(os.getpid()),
            process_cpu_seconds(cameras.pid),
            time.monotonic(),
        )
        time.sleep(args.seconds)
        cpu1, sim1, wall1 = (
            process_cpu_seconds(os.getpid()),
            process_cpu_seconds(cameras.pid),
            time.monotonic(),
        )
        with sink.lock:
            window = {c: s[before.get(c, 0) :] for c, s in sink.segments.items()}
            stored = sink.stored_bytes - bytes_before
    finally:
        supervisor.stop()
        cameras.terminate()
        cameras.wait(30)
        shutil.rmtree(workdir, ignore_errors=True)

    expected_frames = round(args.segment * args.fps)
    short = sum(1 for segs in window.values() for s in segs if s.frames < expected_frames)
    holes = sum(
        1
        for segs in window.values()
        for a, b in zip(segs, segs[1:], strict=False)
        if b.index != a.index + 1 or b.start != a.end
    )
    silent = len(urls) - sum(1 for segs in window.values() if segs)
    elapsed = wall1 - wall0
    cores = os.cpu_count() or 1
    result = {
        "cameras": len(urls),
        "picture": f"{args.size} {args.fps} fps H.264 {args.bitrate / 1e6:g} Mbit/s",
        "segment_seconds": args.segment,
        "window_seconds": round(elapsed, 1),
        "encrypted_and_stored": not args.no_store,
        "segments": sum(len(s) for s in window.values()),
        "lost": {"short_segments": short, "holes": holes, "cameras_without_segments": silent,
                 "gaps": len(sink.gaps), "reconnections": len(sink.reconnects), "failures": len(sink.failed)},
        "reconnection_reasons": sorted({s.detail for s in sink.reconnects})[:5],
        # Frames handed over per camera-second of the window: 1.0 when the streams keep real time
        # (unbiased over many cameras: segment boundaries fall at random phases of the window).
        "real_time_ratio": round(
            sum(s.frames for segs in window.values() for s in segs) / (len(urls) * args.fps * elapsed), 3
        ),
        "recorder_cpu_percent_of_machine": round(100 * (cpu1 - cpu0) / elapsed / cores, 1),
        "recorder_cpu_percent_of_one_core": round(100 * (cpu1 - cpu0) / elapsed, 1),
        "simulator_cpu_percent_of_machine": round(100 * (sim1 - sim0) / elapsed / cores, 1),
        "ingest_mbit_per_s": round(stored * 8 / elapsed / 1e6, 1),
        "cores": cores,
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }  # fmt: skip
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
