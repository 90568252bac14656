"""The masking benchmark: jikimi (thorough, fast) beside deface 1.5.0 on labelled scene families.

    .venv/bin/python -m bench.masking [--quick] [--with-deface] [--families a,b] [--real]
    .venv/bin/python -m bench.masking --held-back [--with-deface]     # once, at the very end

Every family (bench/masking/families.py) is a short 1920×1080 30 fps clip with per-frame face
boxes; the held-back family is built from its own seeds and scored only with ``--held-back``:
never tune on it. Per family and tool: masked share by face height (20–27, 28–39, 40–79, 80+ px),
faces ≥ 40 px left bare in some frame, fps (wall, and what two free cores would reach from the CPU
seconds), output size / input size. Writes bench/results/masking.json (masking-held-back.json).
Speeds are of the whole command (decode → detect → mask → encode); CPU seconds include child
processes (deface's ffmpeg).
"""

from __future__ import annotations

import argparse
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
from bench.masking.families import HELD_BACK, HELD_BACK_SEEDS, TUNING, TUNING_SEED, build_family
from bench.masking.scene import REPO, TESTDATA

WORK = REPO / "var" / "bench"
RESULTS = REPO / "bench" / "results" / "masking.json"
SOLID = {"style": {"kind": "solid"}}


def find_deface() -> Path:
    """deface 1.5.0's entry point in the project's venv (pip install deface==1.5.0 and its extras)."""
    exe = Path(sys.executable).parent / "deface"
    if not exe.is_file():
        raise SystemExit(f"--with-deface: {exe} not found (pip install deface==1.5.0)")
    probe = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise SystemExit(f"--with-deface: deface does not start: {probe.stderr.strip()[-300:]}")
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
    label = f"deface 1.5.0{' --scale ' + scale if scale else ''}"
    return {"tool": label, "command": " ".join(cmd), **measured(cmd, frames)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.masking")
    parser.add_argument("--quick", action="store_true", help="2 s per family, thorough mode only")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each family's clip")
    parser.add_argument("--families", default=",".join(TUNING), help="tuning families to run")
    parser.add_argument(
        "--held-back",
        action="store_true",
        help=f"score only the held-back family ({HELD_BACK}, seeds {HELD_BACK_SEEDS}); never tune on it",
    )
    parser.add_argument("--with-deface", action="store_true", help="run deface 1.5.0 beside jikimi")
    parser.add_argument(
        "--deface-scale",
        default="640x360",
        help="deface's --scale ('none' for its full-resolution default, ~5× slower: 10+ min for the families)",
    )
    parser.add_argument("--real", action="store_true", help="also mask the real clips (speed, sizes)")
    args = parser.parse_args(argv)
    seconds = 2.0 if args.quick else args.seconds
    frames = int(round(seconds * 30))
    modes = ("thorough",) if args.quick else ("thorough", "fast")
    if args.held_back:
        plan = [(HELD_BACK, seed) for seed in HELD_BACK_SEEDS]
    else:
        names = [f for f in args.families.split(",") if f]
        unknown = [f for f in names if f not in TUNING]
        if unknown:
            parser.error(f"unknown or held-back families: {', '.join(unknown)} (tuning: {', '.join(TUNING)})")
        plan = [(f, TUNING_SEED + TUNING.index(f)) for f in names]
    deface_exe = find_deface() if args.with_deface else None

    WORK.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg(),
        },
        "held_back": args.held_back,
        "seconds_per_family": seconds,
        "families": [],
        "real_clips": [],
    }
    runs: list[dict[str, object]] = report["families"]  # type: ignore[assignment]
    for family, seed in plan:
        clip, truth = build_family(WORK, family, seed, frames)
        n = int(facts(clip)["frames"])  # type: ignore[call-overload]
        for mode in modes:
            out = WORK / f"{clip.stem}-jikimi-{mode}.mp4"
            run = jikimi(clip, out, mode, n, SOLID)
            _keep(runs, run, clip, out, **score(out, truth), family=family, seed=seed)
        if deface_exe:
            out = WORK / f"{clip.stem}-deface.mp4"
            run = deface(deface_exe, clip, out, n, None if args.deface_scale == "none" else args.deface_scale)
            _keep(runs, run, clip, out, **score(out, truth), family=family, seed=seed)

    if args.real:
        real: list[dict[str, object]] = report["real_clips"]  # type: ignore[assignment]
        for name in ("one-face-walk.mp4", "licence-plate.mp4"):
            source = TESTDATA / "real-clips" / name
            src_facts = facts(source)
            n = int(src_facts["frames"])  # type: ignore[call-overload]
            for mode in modes:
                out = WORK / f"real-{mode}-{name}"
                run = jikimi(source, out, mode, n)
                _keep(real, run, source, out, clip=name, input=src_facts, output=facts(out))
            if deface_exe:
                out = WORK / f"real-deface-{name}"
                run = deface(
                    deface_exe, source, out, n, None if args.deface_scale == "none" else args.deface_scale
                )
                _keep(real, run, source, out, clip=name, input=src_facts, output=facts(out))
    report["machine"]["load_after"] = os.getloadavg()  # type: ignore[index]
    results = RESULTS.with_name("masking-held-back.json") if args.held_back else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nwritten {results.relative_to(REPO)}")
    return 0


def _keep(
    runs: list[dict[str, object]], run: dict[str, object], source: Path, out: Path, **fields: object
) -> None:
    """One tool's run on one clip: its scores or facts, the output's size against the input's."""
    run.update(fields)
    run["size_ratio"] = round(out.stat().st_size / source.stat().st_size, 3)
    runs.append(run)
    _print_run(run)


def _print_run(run: dict[str, object]) -> None:
    where = run.get("family") or run.get("clip")
    line = (
        f"{where!s:<10} {run['tool']:<16} {run['fps']:>6} fps ({run['cpu_bound_fps_2_cores']} CPU-basis)"
        f"  size ×{run.get('size_ratio', '-')}"
    )
    if "boxes_masked" in run:
        by = run["boxes_masked_by_size"]
        assert isinstance(by, dict)
        line += "  " + " ".join(f"{k} {v:.1%}" for k, v in by.items())
        line += f"  ≥28px {run['boxes_masked_ge_28px']:.1%}  bare ≥40px {run['bare_ge_40px']}"
        line += f"  frames {run['frames_decoded']}/{run['frames_expected']}"
    if "output" in run:
        line += f"  in {run['input']} out {run['output']} tracks {run.get('tracks', '-')}"
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
