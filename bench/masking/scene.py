"""Builds the labelled benchmark clip: real faces (faces-dlib crops) moving over a still scene.

1920×1080, 30 fps, 20 s. Faces of 20–300 px height walk, stand, enter and leave; every frame has
ground-truth face boxes. The clip and its labels are written under var/bench/ (never committed):
this builder is the source of truth, seeded so the clip is the same on every machine.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from jikimi.engine.synthetic import write_clip

REPO = Path(__file__).resolve().parents[2]
# The shared test data sits beside the checkout (/work/main) or beside the worktrees (/work/wt/NAME).
TESTDATA = next(
    (
        p.resolve()
        for p in (REPO / ".." / "shared" / "testdata", REPO / ".." / ".." / "shared" / "testdata")
        if p.is_dir()
    ),
    (REPO / ".." / "shared" / "testdata").resolve(),
)
WIDTH, HEIGHT, FPS, SECONDS = 1920, 1080, 30, 20
FRAMES = FPS * SECONDS
# Luma of every pixel is kept in 40…235 so that a solid (black, Y=16) mask is measurable.
LOW, HIGH = 40, 235
BUCKETS = ((20, 40), (40, 80), (80, 160), (160, 301))


@dataclass
class Actor:
    face: int
    patch: np.ndarray  # RGB
    alpha: np.ndarray  # 0…1, feathered edges
    box: tuple[int, int, int, int]  # face box inside the patch
    start: int
    end: int  # exclusive
    x0: float
    y0: float
    vx: float
    vy: float

    def position(self, frame: int) -> tuple[int, int]:
        t = frame - self.start
        return int(round(self.x0 + self.vx * t)), int(round(self.y0 + self.vy * t))


def load_faces() -> list[tuple[np.ndarray, tuple[int, int, int, int]]]:
    """Crops with a third of context around each labelled face, and the face box inside."""
    folder = TESTDATA / "faces-dlib"
    out = []
    for xml in ("training.xml", "testing.xml"):
        root = ET.parse(folder / xml).getroot()  # noqa: S314 (trusted local test data)
        for image in root.iter("image"):
            with av.open(str(folder / image.get("file", ""))) as container:
                rgb = next(container.decode(video=0)).to_ndarray(format="rgb24")
            for b in image.iter("box"):
                t, left = int(b.get("top", 0)), int(b.get("left", 0))
                w, h = int(b.get("width", 0)), int(b.get("height", 0))
                mx, my = w // 3, h // 3
                x1, y1 = max(0, left - mx), max(0, t - my)
                x2, y2 = min(rgb.shape[1], left + w + mx), min(rgb.shape[0], t + h + my)
                out.append((rgb[y1:y2, x1:x2].copy(), (left - x1, t - y1, left - x1 + w, t - y1 + h)))
    return out


def resize(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    return frame.reformat(
        width, height, interpolation="AREA" if width < rgb.shape[1] else "BICUBIC"
    ).to_ndarray()


def background(rng: np.random.Generator) -> np.ndarray:
    """A still street-like scene: gradient sky, blocks of 'buildings', textured ground."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    img = np.zeros((HEIGHT, WIDTH, 3), np.float32)
    img[..., 0] = 120 + 60 * (yy / HEIGHT)
    img[..., 1] = 140 + 40 * (xx / WIDTH)
    img[..., 2] = 180 - 50 * (yy / HEIGHT)
    for _ in range(40):
        x, y = int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT // 2))
        w, h = int(rng.integers(60, 400)), int(rng.integers(80, 500))
        img[y : y + h, x : x + w] = rng.integers(50, 220, size=3)
    noise = rng.normal(0, 6, size=(HEIGHT // 4, WIDTH // 4, 3)).repeat(4, 0).repeat(4, 1)
    img += noise
    return np.clip(img, 0, 255).astype(np.uint8)


def make_actors(rng: np.random.Generator) -> list[Actor]:
    faces = load_faces()
    actors = []
    n_per_bucket = 8
    for bucket_index, (lo, hi) in enumerate(BUCKETS):
        for k in range(n_per_bucket):
            index = int(rng.integers(0, len(faces)))
            crop, (fx1, fy1, fx2, fy2) = faces[index]
            face_h = float(np.exp(rng.uniform(np.log(lo), np.log(hi - 1))))
            scale = face_h / (fy2 - fy1)
            pw, ph = max(4, int(crop.shape[1] * scale)), max(4, int(crop.shape[0] * scale))
            patch = resize(crop, pw, ph)
            box = (int(fx1 * scale), int(fy1 * scale), int(fx2 * scale), int(fy2 * scale))
            yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
            edge = np.minimum.reduce([xx, yy, pw - 1 - xx, ph - 1 - yy]) / max(2.0, 0.12 * min(pw, ph))
            alpha = np.clip(edge, 0, 1)
            kind = (bucket_index + k) % 4  # 0 walk across, 1 enter and stop, 2 still, 3 leave
            duration = int(rng.integers(FPS * 4, FPS * 12))
            start = int(rng.integers(0, FRAMES - duration))
            speed = float(rng.uniform(1.0, 6.0)) * (1 if rng.random() < 0.5 else -1)
            y0 = float(rng.uniform(HEIGHT * 0.15, HEIGHT * 0.85 - ph))
            if kind == 0:  # walks in from one edge and out of the other
                speed = abs(speed) * (1 if k % 2 else -1)
                duration = min(FRAMES - start, int((WIDTH + pw) / abs(speed)) + 1)
                x0 = -pw if speed > 0 else WIDTH
                vx, vy = speed, float(rng.uniform(-0.3, 0.3))
            elif kind == 1:  # enters from the left edge slowly
                x0, vx, vy = float(-pw * 0.8), abs(speed) * 0.5, 0.0
            elif kind == 2:  # stands still (a fixed camera must find still faces too)
                x0, vx, vy = float(rng.uniform(0, WIDTH - pw)), 0.0, 0.0
            else:  # leaves through the right edge
                x0 = float(WIDTH - pw - abs(speed) * duration * 0.6)
                x0, vx, vy = max(0.0, x0), abs(speed), float(rng.uniform(-0.5, 0.5))
            actors.append(Actor(index, patch, alpha, box, start, start + duration, x0, y0, vx, vy))
    return actors


def compose(scene: np.ndarray, actors: list[Actor], frame: int) -> tuple[np.ndarray, list[dict[str, object]]]:
    img = scene.astype(np.float32)
    placed = []
    for n, actor in enumerate(actors):
        if not actor.start <= frame < actor.end:
            continue
        x, y = actor.position(frame)
        ph, pw = actor.patch.shape[:2]
        x1, y1, x2, y2 = max(0, x), max(0, y), min(WIDTH, x + pw), min(HEIGHT, y + ph)
        if x2 <= x1 or y2 <= y1:
            continue
        a = actor.alpha[y1 - y : y2 - y, x1 - x : x2 - x, None]
        img[y1:y2, x1:x2] = img[y1:y2, x1:x2] * (1 - a) + actor.patch[y1 - y : y2 - y, x1 - x : x2 - x] * a
        bx1, by1, bx2, by2 = actor.box
        placed.append({"actor": n, "box": [x + bx1, y + by1, x + bx2, y + by2], "patch": [x1, y1, x2, y2]})
    img = LOW + img * ((HIGH - LOW) / 255.0)
    return img.astype(np.uint8), placed


def labels(placed: list[dict[str, object]]) -> list[dict[str, object]]:
    """Ground truth for one frame: visible part of each face box, and whether a later face covers it."""
    out = []
    for i, item in enumerate(placed):
        x1, y1, x2, y2 = item["box"]  # type: ignore[misc]
        area = (x2 - x1) * (y2 - y1)
        cx1, cy1, cx2, cy2 = max(0, x1), max(0, y1), min(WIDTH, x2), min(HEIGHT, y2)
        visible = max(0, cx2 - cx1) * max(0, cy2 - cy1) / area
        occluded = 0.0
        for later in placed[i + 1 :]:
            px1, py1, px2, py2 = later["patch"]  # type: ignore[misc]
            ix, iy = max(0, min(cx2, px2) - max(cx1, px1)), max(0, min(cy2, py2) - max(cy1, py1))
            occluded = max(occluded, ix * iy / area)
        out.append({"actor": item["actor"], "box": [x1, y1, x2, y2], "height": y2 - y1,
                    "visible": round(visible, 3), "occluded": round(occluded, 3)})  # fmt: skip
    return out


DEFAULT_SEED = 20261123


def build(directory: Path, seed: int = DEFAULT_SEED) -> tuple[Path, Path]:
    """Write the clip and its ground truth in ``directory`` unless already there.

    The seed decides the background, which faces appear, their sizes, paths and times; other
    seeds give other scenes, so a design is checked on more than the one clip it was tuned on.
    """
    name = "scene" if seed == DEFAULT_SEED else f"scene-{seed}"
    clip, truth = directory / f"{name}.mp4", directory / f"{name}.json"
    if clip.is_file() and truth.is_file():
        return clip, truth
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    scene = background(rng)
    actors = make_actors(rng)
    frames_gt = []
    tmp = directory / f"{name}.part.mp4"

    def paint(frame: int, rgb: np.ndarray) -> None:
        img, placed = compose(scene, actors, frame)
        frames_gt.append(labels(placed))
        rgb[:] = img

    write_clip(
        tmp, width=WIDTH, height=HEIGHT, fps=FPS, frames=FRAMES, paint=paint,
        bframes=True, crf=18, keyframe_seconds=None, audio=None,
    )  # fmt: skip
    tmp.replace(clip)
    truth.write_text(json.dumps({"width": WIDTH, "height": HEIGHT, "fps": FPS, "frames": frames_gt}))
    return clip, truth


if __name__ == "__main__":
    import sys

    print(build(REPO / "var" / "bench", int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEED))
