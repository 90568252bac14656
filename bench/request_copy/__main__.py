"""Masking a request's footage window, end to end, against a plain copy of the same window.

    .venv/bin/python -m bench.request_copy [--runs 3] [--fps 30] [--minutes 10] [--mode thorough]
                                           [--precision int8|float]

Setup (not timed): a 10-minute 1920×1080 clip from bench/masking's scene builder (clip.py; seeds
that no design was tuned on), a scratch data directory with a migrated SQLite database and footage
store, one device, the clip ingested (encrypted one-minute segments). Then, ``--runs`` times:

1. export — the window's segments decrypted, their hashes checked, joined into one MP4;
2. mask — ``mask_video`` (the request copy's spec: the mode's detection, mosaic, the receipt
   number as a watermark);
3. seal — ``build_package`` (manifest with hashes, Ed25519 signature) as a ZIP;
4. encrypt — that ZIP inside an AES-256 ZIP (pyzipper; opens in 7-Zip, 반디집);

and the baseline: the exported window decoded and re-encoded with the same encoder settings and
no masking (what any re-encoded copy costs). Wall and CPU seconds (all threads of the process:
FFmpeg's, x264's and onnxruntime's too) per stage; medians over the runs. The machine is shared:
"× real time if 2 cores were free" = footage seconds ÷ (CPU seconds ÷ 2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "request_copy.json"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(name: str, figures: dict[str, list[dict[str, float]]], work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = work()
    entry = {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(cpu_seconds() - cpu, 2)}
    figures.setdefault(name, []).append(entry)
    print(f"  {name:<9} wall {entry['wall_s']:>7.2f} s  cpu {entry['cpu_s']:>7.2f} s", flush=True)
    return result


def setup_django(data: Path) -> None:
    os.environ["JIKIMI_DATA_DIR"] = str(data)
    os.environ["JIKIMI_STORAGE_URL"] = f"file://{data / 'footage'}?reserve=0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jikimi.web.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def plain_copy(source: Path, target: Path, preset: str, crf: int) -> int:
    """Decode every frame and encode it again with the masked copy's encoder settings: the baseline."""
    from av.video.frame import PictureType

    from jikimi.engine.masking.media import H264Writer, decode_frames, open_input, video_info

    container = open_input(source)
    try:
        writer = H264Writer(target, video_info(container), preset, crf)
        for frame in decode_frames(container, source):
            frame.pict_type = PictureType.NONE
            writer.write(frame)
        writer.close()
    finally:
        container.close()
    return writer.frames


def encrypt_zip(package: Path, target: Path, password: str) -> Path:
    import pyzipper

    # Video does not compress: stored, AES-256 (WinZip AE-2), which 7-Zip and 반디집 open.
    with pyzipper.AESZipFile(target, "w", compression=pyzipper.ZIP_STORED, encryption=pyzipper.WZ_AES) as z:
        z.setpassword(password.encode())
        z.setencryption(pyzipper.WZ_AES, nbits=256)
        z.write(package, package.name)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.request_copy")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--fps", type=int, default=30, help="30 (the hard case) or 15 (every other frame)")
    parser.add_argument("--mode", default="thorough", choices=["thorough", "fast"])
    parser.add_argument(
        "--precision",
        choices=["int8", "float"],
        help="face detector model (detection.precision; default: float)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args(argv)

    from bench.request_copy.clip import joined

    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    clip = joined(WORK, args.minutes, args.fps)
    print(f"footage: {clip.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s to build)", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="request-copy-", dir=WORK))
    try:
        return run(args, clip, scratch)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, clip: Path, scratch: Path) -> int:
    setup_django(scratch / "data")
    from datetime import timedelta

    from bench.request_copy.vault import ingest, setup_device, window_of
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from django.utils.timezone import now

    from jikimi.engine.masking.spec import DetectionSpec, MaskSpec, WatermarkSpec

    device = setup_device()
    segments = ingest(device, clip, now() - timedelta(hours=2))
    start, end = window_of(device)
    print(f"vault: {segments} segments, {start.isoformat()} – {end.isoformat()}", flush=True)
    receipt = "2026-열람-0042"
    spec = MaskSpec(
        mode=args.mode,
        detection=DetectionSpec(precision=args.precision),
        watermark=WatermarkSpec(lines=[f"접수번호 {receipt}", "정보주체 열람·사본용"]),
    )
    key = Ed25519PrivateKey.generate()
    figures: dict[str, list[dict[str, float]]] = {}
    facts: dict[str, Any] = {}
    for n in range(args.runs):
        print(f"run {n + 1}/{args.runs} (load {os.getloadavg()[0]:.2f})", flush=True)
        run_dir = scratch / f"run{n}"
        run_dir.mkdir()
        facts = one_run(run_dir, device, (start, end), spec, key, receipt, figures)
        if n + 1 < args.runs:
            shutil.rmtree(run_dir)
    report = summarize(args, facts, figures)
    # One file per frame rate: the 30 fps and 15 fps figures are both kept.
    results = RESULTS if args.fps == 30 else RESULTS.with_name(f"request_copy-{args.fps}fps.json")
    if args.precision:  # a chosen model's figures beside the default's
        results = results.with_name(f"{results.stem}-{args.precision}.json")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print_table(report)
    print(f"\nwritten {results.relative_to(ROOT)}")
    return 0


def one_run(
    run_dir: Path,
    device: Any,
    window_span: tuple[Any, Any],
    spec: Any,
    key: Any,
    receipt: str,
    figures: dict[str, list[dict[str, float]]],
) -> dict[str, Any]:
    from bench.request_copy.vault import export_window

    from jikimi.engine import mask_video
    from jikimi.engine.masking.media import open_input, video_info
    from jikimi.engine.masking.package import PackageInfo, build_package

    start, end = window_span
    window = run_dir / "window.mp4"
    masked = run_dir / f"{receipt}.mp4"
    package = run_dir / f"{receipt}-package.zip"
    encrypted = run_dir / f"{receipt}.zip"
    info = PackageInfo(
        case=receipt,
        preparer="김담당",
        approver="이책임",
        recipient="정보주체",
        purpose="개인영상정보 열람 청구 (법 제35조)",
        devices=[device.name],
        time_ranges=[f"{start.isoformat()}/{end.isoformat()}"],
    )
    password = secrets.token_urlsafe(12)
    total_wall, total_cpu = time.perf_counter(), cpu_seconds()
    timed("export", figures, lambda: export_window(device, start, end, window))
    result = timed("mask", figures, lambda: mask_video(window, masked, spec))
    timed(
        "seal",
        figures,
        lambda: build_package(
            package, clips=[masked], sources=[window], info=info, key=key, spec=spec, as_zip=True
        ),
    )
    timed("encrypt", figures, lambda: encrypt_zip(package, encrypted, password))
    entry = {
        "wall_s": round(time.perf_counter() - total_wall, 2),
        "cpu_s": round(cpu_seconds() - total_cpu, 2),
    }
    figures.setdefault("total", []).append(entry)
    print(f"  {'total':<9} wall {entry['wall_s']:>7.2f} s  cpu {entry['cpu_s']:>7.2f} s", flush=True)
    preset, crf = spec.encoder_preset(), spec.encoding.crf
    timed("baseline", figures, lambda: plain_copy(window, run_dir / "plain.mp4", preset, crf))
    container = open_input(window)
    try:
        rate = float(video_info(container).rate)
    finally:
        container.close()
    return {
        "frames": result.frames,
        "size": [result.width, result.height],
        "fps": rate,
        "seconds": round(result.frames / rate, 2),
        "detector_runs": result.detector_runs,
        "mask_thread_cpu": result.thread_cpu,
        "window_bytes": window.stat().st_size,
        "masked_bytes": masked.stat().st_size,
        "encrypted_zip_bytes": encrypted.stat().st_size,
    }


def summarize(
    args: argparse.Namespace, facts: dict[str, Any], figures: dict[str, list[dict[str, float]]]
) -> dict[str, Any]:
    from jikimi.engine.masking.spec import DetectionSpec, MaskSpec

    seconds = float(facts["seconds"])
    stages: dict[str, Any] = {}
    for name, entries in figures.items():
        wall = statistics.median(e["wall_s"] for e in entries)
        cpu = statistics.median(e["cpu_s"] for e in entries)
        stages[name] = {
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "x_real_time_wall": round(seconds / wall, 2),
            # Two cores, nothing else running: the CPU seconds spread perfectly over both.
            "x_real_time_2_free_cores": round(seconds / (cpu / 2), 2) if cpu else None,
            "runs": entries,
        }
    base, total = stages["baseline"], stages["total"]
    return {
        "command": f"python -m bench.request_copy --runs {args.runs} --minutes {args.minutes} --fps {args.fps} --mode {args.mode}"
        + (f" --precision {args.precision}" if args.precision else ""),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_after": os.getloadavg(),
        },
        "footage": facts,
        "mode": args.mode,
        "precision": MaskSpec(
            mode=args.mode, detection=DetectionSpec(precision=args.precision)
        ).detector_precision(),
        "stages": stages,
        "total_vs_baseline_wall": round(total["wall_s"] / base["wall_s"], 2),
        "total_vs_baseline_cpu": round(total["cpu_s"] / base["cpu_s"], 2),
        "target_x_real_time": 3.0,
    }


def print_table(report: dict[str, Any]) -> None:
    f = report["footage"]
    print(
        f"\n{f['seconds']:.0f} s of {f['size'][0]}×{f['size'][1]} at {f['fps']:g} fps, {report['mode']}, medians:"
    )
    print(f"{'stage':<9} {'wall s':>8} {'CPU s':>8} {'× real time':>12} {'× if 2 cores free':>18}")
    for name, s in report["stages"].items():
        print(
            f"{name:<9} {s['wall_s']:>8} {s['cpu_s']:>8} {s['x_real_time_wall']:>12} {s['x_real_time_2_free_cores']:>18}"
        )
    print(f"total ÷ baseline: wall {report['total_vs_baseline_wall']}, CPU {report['total_vs_baseline_cpu']}")


if __name__ == "__main__":
    sys.exit(main())
