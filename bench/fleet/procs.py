"""Child processes of the simulation and what they cost (CPU and resident memory, from /proc)."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb(pid: int) -> float | None:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except OSError:
        return None
    return pages * PAGE / 1e6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Sampler:
    """Samples every `period` seconds the CPU share (of one core) and RSS of named processes, between
    `mark()`ed instants: the steady window's medians per process, and the machine's load."""

    def __init__(self, period: float = 2.0) -> None:
        self.period = period
        self.processes: dict[str, subprocess.Popen[bytes] | subprocess.Popen[str]] = {}
        self.samples: dict[str, list[tuple[float, float]]] = {}  # name → (cpu %, rss MB)
        self.recording = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def add(self, name: str, process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
        self.processes[name] = process

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)

    def _run(self) -> None:
        last: dict[str, tuple[float, float]] = {}
        while not self._stop.wait(self.period):
            now = time.monotonic()
            for name, process in list(self.processes.items()):
                cpu, rss = cpu_seconds(process.pid), rss_mb(process.pid)
                if cpu is None or rss is None or process.poll() is not None:
                    last.pop(name, None)
                    continue
                before = last.get(name)
                last[name] = (now, cpu)
                if before is not None and self.recording:
                    share = 100 * (cpu - before[1]) / (now - before[0])
                    self.samples.setdefault(name, []).append((share, rss))

    def medians(self) -> dict[str, dict[str, float]]:
        return {
            name: {
                "cpu_percent_of_one_core": round(statistics.median(s[0] for s in samples), 1),
                "rss_mb": round(statistics.median(s[1] for s in samples), 1),
                "samples": len(samples),
            }
            for name, samples in sorted(self.samples.items())
            if samples
        }


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str], seconds: float = 60) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
