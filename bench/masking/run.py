"""The masking benchmark: jikimi fast and thorough against deface 1.5.0, same clips, same command.

    .venv/bin/python -m bench.masking [--skip-deface-default] [--no-real]

Prints a table and writes bench/results/masking.json. Speeds are wall-clock frames per second of
the whole command (decode → detect → mask → encode); CPU seconds include child processes
(deface's ffmpeg); peak memory is the largest process's maximum RSS.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
from bench.masking.evaluate import score
from bench.masking.scene import DEFAULT_SEED, REPO, TESTDATA, build

WORK = REPO / "var" / "bench"
DEFACE_VENV = REPO / "var" / "deface-venv"
RESULTS = REPO / "bench" / "results" / "masking.json"
SOLID = {"style": {"kind": "solid"}}


def ensure_deface() -> Path:
    """deface 1.5.0 in its own venv (with onnxruntime, its fastest backend), never in the project's."""
    exe = DEFACE_VENV / "bin" / "deface"
    if not exe.is_file():
        subprocess.run([sys.executable, "-m", "venv", str(DEFACE_VENV)], check=True)
        pip = str(DEFACE_VENV / "bin" / "pip")
        subprocess.run([pip, "install", "-q", "deface==1.5.0", "onnx", "onnxruntime"], check=True)
    return exe


def measured(cmd: list[str], frames: int) -> dict[str, float]:
    # stderr goes to a file: deface's progress bar would fill a pipe and stall it.
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        log.seek(0)
        err = log.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {err.strip()[-500:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "wall_s": round(wall, 2),
        "fps": round(frames / wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_frame": round(1000 * cpu / frames, 1),
        # What two otherwise idle cores would reach if the work overlapped perfectly.
        "cpu_bound_fps_2_cores": round(2 * frames / cpu, 1),
        "load_avg_1min_after": round(os.getloadavg()[0], 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
    }


def facts(path: Path) -> dict[str, object]:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        frames = sum(1 for _ in container.demux(video) if _.size)
        return {
            "size": [video.codec_context.width, video.codec_context.height],
            "frames": frames,
            "audio_streams": len(container.streams.audio),
        }


def jikimi(
    source: Path, out: Path, mode: str, frames: int, extra: dict[str, object] | None = None
) -> dict[str, object]:
    spec = out.with_suffix(".spec.json")
    spec.write_text(json.dumps({"mode": mode, **(extra or {})}))
    cmd = [sys.executable, "-m", "jikimi.engine", "mask", str(source), str(out), "--spec", str(spec)]
    result: dict[str, object] = {
        "tool": f"jikimi {mode}",
        "command": " ".join(cmd[1:]),
        **measured(cmd, frames),
    }
    tracks = json.loads(out.with_suffix(".tracks.json").read_text())
    result["tracks"] = len(tracks["tracks"])
    return result


def deface(exe: Path, source: Path, out: Path, frames: int, scale: str | None) -> dict[str, object]:
    cmd = [str(exe), str(source), "-o", str(out), "--replacewith", "solid"]
    if scale:
        cmd += ["--scale", scale]
    label = f"deface 1.5.0{' --scale ' + scale if scale else ' (defaults)'}"
    return {"tool": label, "command": " ".join(cmd), **measured(cmd, frames)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.masking")
    parser.add_argument(
        "--skip-deface-default", action="store_true", help="skip deface at full resolution (slow)"
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real clips")
    parser.add_argument(
        "--seeds",
        default="7,11",
        help="more scenes (builder seeds, comma-separated) to mask with jikimi only: a design must "
        "hold on scenes it was not tuned on",
    )
    parser.add_argument("--no-deface", action="store_true")
    parser.add_argument(
        "--reuse-deface", action="store_true", help="take deface's rows from the last results (same clip)"
    )
    args = parser.parse_args(argv)
    previous: list[dict[str, object]] = []
    if args.reuse_deface and RESULTS.is_file():
        old = json.loads(RESULTS.read_text())
        previous = [r for r in old["runs"] + old["real_clips"] if str(r["tool"]).startswith("deface")]
        args.no_deface = True

    WORK.mkdir(parents=True, exist_ok=True)
    clip, truth = build(WORK)
    frames = facts(clip)["frames"]
    assert isinstance(frames, int)
    report: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg(),
        },
        "scene": {"clip": str(clip.relative_to(REPO)), "frames": frames, "size": [1920, 1080], "fps": 30},
        "runs": [],
        "real_clips": [],
    }
    runs: list[dict[str, object]] = report["runs"]  # type: ignore[assignment]
    plan = [("fast", SOLID), ("thorough", SOLID)]
    for mode, extra in plan:
        out = WORK / f"jikimi-{mode}.mp4"
        run = jikimi(clip, out, mode, frames, extra)
        run.update(score(out, truth))
        runs.append(run)
        _print_run(run)
    # The default style (mosaic) costs a little more than solid black: speed only, not scored.
    run = jikimi(clip, WORK / "jikimi-fast-mosaic.mp4", "fast", frames)
    run["tool"] = "jikimi fast (mosaic, speed only)"
    runs.append(run)
    _print_run(run)
    if not args.no_deface:
        exe = ensure_deface()
        scales = [None, "640x360"] if not args.skip_deface_default else ["640x360"]
        for scale in scales:
            out = WORK / f"deface-{scale or 'default'}.mp4"
            run = deface(exe, clip, out, frames, scale)
            run.update(score(out, truth))
            runs.append(run)
            _print_run(run)
    seeds: list[dict[str, object]] = []
    report["seeds"] = seeds
    for seed in [int(x) for x in args.seeds.split(",") if x.strip()]:
        other, other_truth = build(WORK, seed)
        for mode in ("fast", "thorough"):
            out = WORK / f"jikimi-{mode}-seed{seed}.mp4"
            run = jikimi(other, out, mode, frames, SOLID)
            run.update(score(out, other_truth))
            run["seed"] = seed
            seeds.append(run)
            _print_run(run)
    report["scene"]["seed"] = DEFAULT_SEED  # type: ignore[index]
    runs.extend(r for r in previous if "clip" not in r)
    base = next((r for r in runs if r["tool"] == "deface 1.5.0 --scale 640x360"), None)
    if base:
        for run in runs:
            run["speed_vs_deface_640x360"] = round(float(run["fps"]) / float(base["fps"]), 2)  # type: ignore[arg-type]
            run["cpu_speed_vs_deface_640x360"] = round(float(base["cpu_s"]) / float(run["cpu_s"]), 2)  # type: ignore[arg-type]

    if not args.no_real:
        real: list[dict[str, object]] = report["real_clips"]  # type: ignore[assignment]
        for name in ("one-face-walk.mp4", "licence-plate.mp4"):
            source = TESTDATA / "real-clips" / name
            src_facts = facts(source)
            n = int(src_facts["frames"])  # type: ignore[call-overload]
            for mode in ("fast", "thorough"):
                out = WORK / f"real-{mode}-{name}"
                run = jikimi(source, out, mode, n)
                run.update({"clip": name, "input": src_facts, "output": facts(out)})
                real.append(run)
                _print_run(run)
            if name == "licence-plate.mp4" and _has_text_model():
                # Plates: PP-OCR text regions at the default 2560 px, every 5th frame (detection.plates).
                out = WORK / f"real-fast-plates-{name}"
                run = jikimi(source, out, "fast", n, {"detection": {"plates": {"interval": 5}}})
                run["tool"] = "jikimi fast + plates"
                tracks = json.loads(out.with_suffix(".tracks.json").read_text())["tracks"]
                run["plate_tracks"] = sum(1 for t in tracks if t["label"] == "plate")
                run.update({"clip": name, "input": src_facts, "output": facts(out)})
                real.append(run)
                _print_run(run)
            if not args.no_deface:
                out = WORK / f"real-deface-{name}"
                run = deface(ensure_deface(), source, out, n, "640x360")
                run.update({"clip": name, "input": src_facts, "output": facts(out)})
                real.append(run)
                _print_run(run)
    if previous:
        report["real_clips"] = sorted(  # type: ignore[type-var]
            [*report["real_clips"], *(r for r in previous if "clip" in r)],  # type: ignore[misc]
            key=lambda r: (r["clip"], r["tool"]),
        )
        report["deface_rows_reused_from_previous_run"] = True
    report["machine"]["load_after"] = os.getloadavg()  # type: ignore[index]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nwritten {RESULTS.relative_to(REPO)}")
    return 0


def _has_text_model() -> bool:
    try:
        importlib.metadata.distribution("rapidocr_onnxruntime")
    except importlib.metadata.PackageNotFoundError:
        print("skipping plates: pip install rapidocr_onnxruntime==1.4.4 --no-deps", flush=True)
        return False
    return True


def _print_run(run: dict[str, object]) -> None:
    line = (
        f"{run['tool']:<32} {run.get('clip', 'seed ' + str(run['seed']) if 'seed' in run else 'scene'):<20} {run['fps']:>7} fps ({run['cpu_bound_fps_2_cores']} cpu-bound)"
        f"  {run['cpu_s']:>7} cpu-s  {run['peak_rss_mib']:>7} MiB  load {run['load_avg_1min_after']}"
    )
    if "boxes_masked" in run:
        by = run["boxes_masked_by_size"]
        line += f"  masked {run['boxes_masked']:.3f} {by}  leaks ≥20px {run['leaked_faces_ge_20px']} ≥40px {run['leaked_faces_ge_40px']}"
        line += f"  frames {run['frames_decoded']}/{run['frames_expected']} size {run['output_size']}"
    if "output" in run:
        line += f"  in {run['input']} out {run['output']} tracks {run.get('tracks', '-')}"
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
