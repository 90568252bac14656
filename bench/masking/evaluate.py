"""Scores a masked clip against the ground truth: which face boxes are masked in which frames.

Both tools are run with a solid black mask for scoring (deface ``--replacewith solid``, jikimi
``style.kind = solid``): the scene keeps every pixel's luma ≥ 40, so a pixel is masked when its
output luma is below 28. A face box counts as masked when ≥ 90 % of its visible pixels are.
Boxes less than half inside the frame or more than 30 % hidden behind another face are not scored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import av

MASKED_LUMA = 28
COVERED = 0.9
# Face heights of the targets: ≥ 99 % masked from 28 px, no face of 40 px or more bare in any frame.
BUCKETS = ((20, 28), (28, 40), (40, 80), (80, 100_000))


def bucket_of(height: float) -> str:
    for lo, hi in BUCKETS:
        if lo <= height < hi:
            return f"{lo}-{hi - 1}px" if hi < 100_000 else f"{lo}+px"
    return f"<{BUCKETS[0][0]}px"


def score(output: Path, truth_path: Path) -> dict[str, object]:
    truth = json.loads(truth_path.read_text())
    width, height = truth["width"], truth["height"]
    frames_gt = truth["frames"]
    scored: dict[str, int] = defaultdict(int)
    covered: dict[str, int] = defaultdict(int)
    leaked_actor_frames: dict[int, int] = defaultdict(int)
    # Faces left bare in a frame where they were ≥ 40 px high: the "no face ≥ 40 px bare" target.
    bare_ge_40: dict[int, int] = defaultdict(int)
    actor_height: dict[int, float] = {}
    decoded = 0
    out_size = None
    with av.open(str(output)) as container:
        stream = container.streams.video[0]
        out_size = (stream.codec_context.width, stream.codec_context.height)
        for index, frame in enumerate(container.decode(stream)):
            decoded += 1
            if index >= len(frames_gt):
                continue
            if (frame.width, frame.height) != (width, height):  # deface pads 1080 → 1088: scale back
                frame = frame.reformat(width, height)
            luma = frame.to_ndarray(format="gray")
            masked = luma < MASKED_LUMA
            for face in frames_gt[index]:
                if face["visible"] < 0.5 or face["occluded"] > 0.3:
                    continue
                x1, y1, x2, y2 = face["box"]
                x1, y1, x2, y2 = max(0, x1), max(0, y1), min(width, x2), min(height, y2)
                share = float(masked[y1:y2, x1:x2].mean())
                b = bucket_of(face["height"])
                scored[b] += 1
                actor_height[face["actor"]] = max(actor_height.get(face["actor"], 0), face["height"])
                if share >= COVERED:
                    covered[b] += 1
                else:
                    leaked_actor_frames[face["actor"]] += 1
                    if face["height"] >= 40:
                        bare_ge_40[face["actor"]] += 1
    buckets = sorted(scored, key=lambda b: int(b.split("-")[0].strip("<+px")))
    ge_28 = [b for b in buckets if not b.startswith(("<", "20-"))]
    leaks = {a: n for a, n in leaked_actor_frames.items()}
    min_height_leaked = {a: actor_height[a] for a in leaks}
    return {
        "output_size": list(out_size) if out_size else None,
        "frames_decoded": decoded,
        "frames_expected": len(frames_gt),
        "boxes_masked": round(sum(covered.values()) / max(1, sum(scored.values())), 4),
        "boxes_masked_by_size": {b: round(covered[b] / scored[b], 4) for b in buckets},
        "boxes_scored": sum(scored.values()),
        "boxes_masked_ge_28px": round(
            sum(covered[b] for b in ge_28) / max(1, sum(scored[b] for b in ge_28)), 4
        ),
        "boxes_scored_ge_28px": sum(scored[b] for b in ge_28),
        "bare_ge_40px": len(bare_ge_40),
        "bare_ge_40px_frames": {str(a): n for a, n in sorted(bare_ge_40.items())},
        "faces": len(actor_height),
        "leaked_faces": len(leaks),
        "leaked_faces_ge_20px": sum(1 for a, h in min_height_leaked.items() if h >= 20),
        "leaked_faces_ge_40px": sum(1 for a, h in min_height_leaked.items() if h >= 40),
        "leaks": {
            str(a): {"max_height": actor_height[a], "frames_unmasked": n} for a, n in sorted(leaks.items())
        },
    }
