"""Measure what encrypting footage at rest costs (see bench/footage/__init__.py).

1. Throughput, file to file with fsync, median of N runs: a plain copy of the bytes, the same bytes
   through `encrypt_stream`, and back through `decrypt_stream`; plus the in-memory cost of
   `encrypt_bytes` against a bytes copy (no disk), and its two components alone (AES-GCM, SHA-256).
2. Range-read latency on one envelope (as playback seeks): 64 KiB and 1 MiB ranges at random
   offsets, and the last 64 KiB (a player reading the end of a segment), per chunk size.
3. Ingest of a real H.264 clip (probe + remux + encrypt + DirectoryStore put), as × real time.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import av
import cryptography
import numpy as np
from cryptography.hazmat.backends.openssl.backend import backend as openssl_backend
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jikimi.engine.footage.envelope import (
    DEFAULT_CHUNK_SIZE,
    EnvelopeReader,
    decrypt_stream,
    encrypt_bytes,
    encrypt_stream,
)
from jikimi.engine.footage.ingest import ingest_file
from jikimi.engine.footage.keys import DataKey
from jikimi.engine.footage.storage import DirectoryStore
from jikimi.engine.synthetic import Painter, textured_background, write_clip

MIB = 1 << 20
RESULTS = Path(__file__).resolve().parents[1] / "results" / "footage.json"


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float], size: int) -> dict[str, float]:
    median = statistics.median(times)
    return {
        "median_s": round(median, 4),
        "min_s": round(min(times), 4),
        "mb_per_s": round(size / median / 1e6, 1),
    }


def footage_like(size: int) -> bytes:
    """Incompressible bytes, as H.264 slices are; the content does not change AES-GCM's speed."""
    return np.random.default_rng(7).integers(0, 256, size, dtype=np.uint8).tobytes()


def fsynced(path: Path, write: Callable[[io.BufferedWriter], object]) -> None:
    with open(path, "wb") as out:
        write(out)
        out.flush()
        os.fsync(out.fileno())


def throughput(work: Path, size: int, runs: int) -> dict[str, object]:
    key = DataKey.generate("day/bench/2026-11-23")
    source, plain, sealed, opened = (
        work / "segment.mp4",
        work / "copy.mp4",
        work / "segment.jkv",
        work / "opened.mp4",
    )
    data = footage_like(size)
    source.write_bytes(data)

    def copy() -> None:
        with open(source, "rb") as f:
            fsynced(plain, lambda out: shutil.copyfileobj(f, out, MIB))

    def encrypt() -> None:
        with open(source, "rb") as f:
            fsynced(sealed, lambda out: encrypt_stream(f, out, key))

    def decrypt() -> None:
        with open(sealed, "rb") as f:
            fsynced(opened, lambda out: decrypt_stream(f, out, key))

    results = {"copy": summary(timed(copy, runs), size)}
    results["encrypt"] = summary(timed(encrypt, runs), size)
    results["decrypt_and_verify"] = summary(timed(decrypt, runs), size)
    assert hashlib.sha256(opened.read_bytes()).digest() == hashlib.sha256(data).digest()
    results["memory_copy"] = summary(timed(lambda: bytes(bytearray(data)), runs), size)
    results["memory_encrypt"] = summary(timed(lambda: encrypt_bytes(data, key), runs), size)
    for name in ("encrypt", "decrypt_and_verify"):
        results[f"{name}_vs_copy_time_ratio"] = round(
            results[name]["median_s"] / results["copy"]["median_s"], 2
        )
    results["memory_encrypt_vs_copy_time_ratio"] = round(
        results["memory_encrypt"]["median_s"] / results["memory_copy"]["median_s"], 2
    )
    results["ciphertext_overhead_bytes"] = sealed.stat().st_size - size
    # Where the time goes: encrypt_stream = AES-GCM + SHA-256 of the plaintext and of the ciphertext.
    aead, nonce = AESGCM(key.secret), bytes(12)
    chunks = [data[i : i + MIB] for i in range(0, size, MIB)]
    results["component_aes_gcm_1MiB_chunks"] = summary(
        timed(lambda: [aead.encrypt(nonce, c, b"") for c in chunks], runs), size
    )
    results["component_sha256"] = summary(timed(lambda: hashlib.sha256(data).digest(), runs), size)
    return results


def range_latency(work: Path, size: int, samples: int) -> dict[str, object]:
    data = footage_like(size)
    rng = random.Random(11)
    out: dict[str, object] = {}
    for chunk in (256 * 1024, DEFAULT_CHUNK_SIZE, 4 * MIB):
        key = DataKey.generate("day/bench/2026-11-23")
        path = work / f"range-{chunk}.jkv"
        path.write_bytes(encrypt_bytes(data, key, chunk_size=chunk)[0])
        per_kind = {}
        with open(path, "rb") as f:
            for label, length in (
                ("64KiB_random", 64 * 1024),
                ("1MiB_random", MIB),
                ("64KiB_at_end", 64 * 1024),
            ):
                times = []
                for _ in range(samples):
                    start = size - length if label.endswith("at_end") else rng.randrange(0, size - length)
                    t0 = time.perf_counter()
                    got = EnvelopeReader(f, key).read(start, start + length)  # header read + auth each time
                    times.append(time.perf_counter() - t0)
                    assert got == data[start : start + length]
                times.sort()
                per_kind[label] = {
                    "median_ms": round(statistics.median(times) * 1000, 3),
                    "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 3),
                }
        out[f"chunk_{chunk // 1024}KiB"] = per_kind
    return out


def camera_scene(width: int, height: int) -> Painter:
    """What a camera might see: a textured background and a red block crossing it."""
    background = textured_background(width, height, seed=3)

    def paint(index: int, rgb: np.ndarray) -> None:
        rgb[:] = background
        x = (index * 4) % (width - 40)
        rgb[height // 3 : height // 3 + 60, x : x + 40] = (220, 60, 60)

    return paint


def ingest_speed(work: Path, seconds: int, runs: int) -> dict[str, object]:
    clip = work / "camera.mp4"
    # A clip a camera might send: H.264 with a keyframe a second, and an audio track to be dropped.
    write_clip(clip, width=640, height=360, fps=25, seconds=seconds, paint=camera_scene(640, 360), crf=23)
    key = DataKey.generate("day/bench/2026-11-23")
    reports = []

    def once() -> None:
        store = DirectoryStore(work / f"store-{len(reports)}", reserve_bytes=0)
        reports.append(
            ingest_file(
                clip,
                store,
                device="bench",
                recording_start=datetime(2026, 11, 23, tzinfo=UTC),
                key_for_day=lambda d: key,
                segment_seconds=10,
            )
        )

    times = timed(once, runs)
    median = statistics.median(times)
    return {
        "clip": f"{seconds} s, 640x360, H.264 + AAC, {clip.stat().st_size} bytes",
        "segments": len(reports[-1].rows),
        "median_s": round(median, 3),
        "times_real_time": round(seconds / median, 1),
    }


def machine() -> dict[str, object]:
    flags = ""
    with contextlib.suppress(OSError, StopIteration):
        flags = next(
            line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags")
        )
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "aes_ni": " aes " in f" {flags} ",
        "cryptography": cryptography.__version__,
        "openssl": openssl_backend.openssl_version_text(),
        "pyav": av.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.footage", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size-mib",
        type=int,
        default=64,
        help="segment size for throughput (default 64 MiB, ~60 s at 8 Mbit/s)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=200, help="range reads per kind")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 8 MiB, 3 runs, 30 samples, 10 s clip"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.size_mib, args.runs, args.samples = 8, 3, 30
    size = args.size_mib * MIB
    with tempfile.TemporaryDirectory(prefix="jikimi-bench-footage-") as tmp:
        work = Path(tmp)
        results = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "settings": {
                "size_bytes": size,
                "runs": args.runs,
                "range_samples": args.samples,
                "default_chunk": DEFAULT_CHUNK_SIZE,
            },
            "throughput": throughput(work, size, args.runs),
            "range_read_latency": range_latency(work, size, args.samples),
            "ingest": ingest_speed(work, 10 if args.quick else 60, 1 if args.quick else 3),
        }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
