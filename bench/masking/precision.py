"""Float against int8 CenterFace: recall on the masking benchmark's scenes, and ms per detector pass.

    .venv/bin/python -m bench.masking.precision [--seeds 7,11] [--passes 15] [--no-recall]

Recall: each scene (the tuning scene and the seeds) is masked in both modes with both models
(``detection.precision``), solid black, and scored like ``python -m bench.masking``: boxes masked
per face size and faces left bare in some frame. Speed: one onnxruntime session per model and
input size, one thread (the engine's default), on real frames of the scene, taking turns; the
median CPU milliseconds of a pass. Writes bench/results/masking-precision.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

import av
import numpy as np
from bench.masking.evaluate import score
from bench.masking.run import REPO, SOLID, WORK, facts, jikimi
from bench.masking.scene import DEFAULT_SEED, build

from jikimi.engine.masking.detect.base import DetectorConfig, onnx_session
from jikimi.engine.masking.model_store import centerface_path

RESULTS = REPO / "bench" / "results" / "masking-precision.json"
PRECISIONS = ("float", "int8")
# Full passes of thorough (16:9) and fast, and thorough's 2× look at small faces.
PASS_SIZES = ((1440, 832), (960, 544), (160, 160))


def recall(seeds: list[int]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for seed in seeds:
        clip, truth = build(WORK, seed)
        frames = int(facts(clip)["frames"])  # type: ignore[call-overload]
        for mode in ("fast", "thorough"):
            for precision in PRECISIONS:
                out = WORK / f"precision-{mode}-{precision}-seed{seed}.mp4"
                run = jikimi(clip, out, mode, frames, {**SOLID, "detection": {"precision": precision}})
                run.update(score(out, truth))
                run.update({"seed": seed, "mode": mode, "precision": precision})
                rows.append(run)
                print(
                    f"seed {seed:<9} {mode:<8} {precision:<5} masked {run['boxes_masked']:.4f} "
                    f"{run['boxes_masked_by_size']}  bare ≥20px {run['leaked_faces_ge_20px']} "
                    f"≥40px {run['leaked_faces_ge_40px']}  {run['cpu_ms_per_frame']} ms CPU/frame",
                    flush=True,
                )
    return rows


def pass_times(passes: int) -> list[dict[str, object]]:
    clip, _ = build(WORK, DEFAULT_SEED)
    with av.open(str(clip)) as container:
        sample = [f for i, f in enumerate(container.decode(video=0)) if i % 40 == 20]
    rows: list[dict[str, object]] = []
    for width, height in PASS_SIZES:
        sessions = {}
        for precision in PRECISIONS:
            config = DetectorConfig((width, height), 0.1, threads=1, precision=precision)
            sessions[precision] = onnx_session(str(centerface_path(width, height, precision)), config)
        blobs = [
            np.ascontiguousarray(
                f.reformat(width, height).to_ndarray(format="rgb24").transpose(2, 0, 1)[None]
            ).astype(np.float32)
            for f in sample
        ]
        times: dict[str, list[float]] = {p: [] for p in PRECISIONS}
        for n in range(passes + 1):
            blob = blobs[n % len(blobs)]
            for precision in PRECISIONS if n % 2 else PRECISIONS[::-1]:  # alternate who goes first
                session = sessions[precision]
                started = time.process_time()
                session.run(None, {session.get_inputs()[0].name: blob})
                if n:  # the first pass of a session warms it up
                    times[precision].append(1000 * (time.process_time() - started))
        row: dict[str, object] = {"input": f"{width}x{height}", "passes": passes}
        for precision in PRECISIONS:
            row[f"{precision}_ms"] = round(statistics.median(times[precision]), 1)
        row["speed_up"] = round(float(row["float_ms"]) / float(row["int8_ms"]), 2)  # type: ignore[arg-type]
        print(
            f"{width}x{height}: float {row['float_ms']} ms, int8 {row['int8_ms']} ms CPU per pass "
            f"(median of {passes}), ×{row['speed_up']}",
            flush=True,
        )
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.masking.precision")
    parser.add_argument("--seeds", default="7,11", help="scenes besides the tuning scene (builder seeds)")
    parser.add_argument("--passes", type=int, default=15, help="timed passes per model and size")
    parser.add_argument("--no-recall", action="store_true", help="only time the detector passes")
    args = parser.parse_args(argv)
    report: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg(),
        },
        "passes": pass_times(args.passes),
    }
    if not args.no_recall:
        seeds = [DEFAULT_SEED] + [int(s) for s in args.seeds.split(",") if s.strip()]
        report["recall"] = recall(seeds)
    report["machine"]["load_after"] = os.getloadavg()  # type: ignore[index]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"\nwritten {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
