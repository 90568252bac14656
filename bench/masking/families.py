"""Scene families for the masking benchmark: short labelled 1080p30 clips that look like CCTV footage.

Every family composes the labelled faces of faces-dlib (43 real faces) over a street-like still
background, with per-frame ground truth (bench.masking.scene.labels). The families:

- ``street``: people walking, standing, entering and leaving at ordinary speeds, 20–200 px;
- ``fast``: faces crossing the frame at 0.2–0.6 of their own height per frame (a brisk walk or
  a cyclist close to the camera);
- ``crossing``: pairs walking towards each other on the same line, one passing in front of the
  other (the hidden face is not scored while > 30 % covered, but must be masked again after);
- ``cctv``: seen from a ceiling camera: faces squashed vertically (0.55–0.8), tilted ±20°, most
  wearing a surgical mask over the lower face, some a cap over the forehead;
- ``crowd``: 32–40 faces of 22–90 px at once, milling slowly;
- ``night``: IR-like: grey, dark, low contrast (luma ~40–105) and noisy (σ ≈ 5 per frame).

HELD-BACK family (``--held-back`` only; never tune on it): ``heldback`` mixes CCTV angles, masks
and caps with night-like grey, fast walkers and crossings, from its own seeds (HELD_BACK_SEEDS), so
that no seed or composition of it is ever seen while tuning. Score it once, at the end.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench.masking.scene import FPS, HEIGHT, WIDTH, Actor, background, compose, labels, load_faces, resize
from PIL import Image, ImageDraw

from jikimi.engine.synthetic import write_clip

TUNING = ("street", "fast", "crossing", "cctv", "crowd", "night")
HELD_BACK = "heldback"
# Seeds of the tuning families: one per family (its index added). The held-back family has its own.
TUNING_SEED = 20261206
HELD_BACK_SEEDS = (77001,)


@dataclass(frozen=True)
class Look:
    squash: tuple[float, float] = (1.0, 1.0)  # vertical scale of the face (camera from above)
    tilt: float = 0.0  # degrees, ±
    masked: float = 0.0  # share wearing a surgical mask
    capped: float = 0.0  # share wearing a cap


PLAIN = Look()
CCTV = Look(squash=(0.55, 0.8), tilt=20.0, masked=0.7, capped=0.4)


def _face_patch(
    rng: np.random.Generator,
    faces: list[tuple[np.ndarray, tuple[int, int, int, int]]],
    face_h: float,
    look: Look,
) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """A face crop scaled to ``face_h`` (after squash), dressed and tilted: patch, alpha, face box."""
    crop, (fx1, fy1, fx2, fy2) = faces[int(rng.integers(0, len(faces)))]
    squash = float(rng.uniform(*look.squash))
    scale = face_h / squash / (fy2 - fy1)
    pw, ph = max(4, int(crop.shape[1] * scale)), max(4, int(crop.shape[0] * scale * squash))
    patch = resize(crop, pw, ph)
    sy = scale * squash
    box = [fx1 * scale, fy1 * sy, fx2 * scale, fy2 * sy]
    image = Image.fromarray(patch)
    draw = ImageDraw.Draw(image)
    bx1, by1, bx2, by2 = box
    bw, bh = bx2 - bx1, by2 - by1
    if rng.random() < look.masked:  # surgical mask: nose to chin
        colour = tuple(int(c) for c in rng.choice([(170, 200, 225), (235, 235, 235), (60, 60, 70)]))
        draw.rounded_rectangle(
            (bx1 + 0.08 * bw, by1 + 0.52 * bh, bx2 - 0.08 * bw, by2 + 0.02 * bh),
            radius=max(1, int(0.12 * bw)),
            fill=colour,  # type: ignore[arg-type]
        )
    if rng.random() < look.capped:  # a cap over the forehead, its peak over the eyebrows
        colour = tuple(int(c) for c in rng.integers(20, 200, size=3))
        draw.rectangle((bx1 - 0.1 * bw, max(0, by1 - 0.3 * bh), bx2 + 0.1 * bw, by1 + 0.2 * bh), fill=colour)  # type: ignore[arg-type]
    tilt = float(rng.uniform(-look.tilt, look.tilt)) if look.tilt else 0.0
    alpha = _feather(pw, ph)
    if tilt:
        rgba = image.convert("RGBA")
        rgba.putalpha(Image.fromarray((alpha * 255).astype(np.uint8)))
        rotated = rgba.rotate(tilt, resample=Image.Resampling.BICUBIC, expand=True)
        cx, cy = (bx1 + bx2) / 2 - pw / 2, (by1 + by2) / 2 - ph / 2
        a = math.radians(tilt)
        ncx = cx * math.cos(a) + cy * math.sin(a) + rotated.width / 2
        ncy = -cx * math.sin(a) + cy * math.cos(a) + rotated.height / 2
        box = [ncx - bw / 2, ncy - bh / 2, ncx + bw / 2, ncy + bh / 2]
        arr = np.asarray(rotated)
        return arr[..., :3].copy(), arr[..., 3].astype(np.float32) / 255, tuple(int(v) for v in box)  # type: ignore[return-value]
    return np.asarray(image).copy(), alpha, tuple(int(v) for v in box)  # type: ignore[return-value]


def _feather(pw: int, ph: int) -> np.ndarray:
    yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
    edge = np.minimum.reduce([xx, yy, pw - 1 - xx, ph - 1 - yy]) / max(2.0, 0.12 * min(pw, ph))
    return np.clip(edge, 0, 1)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _actor(rng, faces, face_h, look, start, end, x0, y0, vx, vy) -> Actor:  # type: ignore[no-untyped-def]
    patch, alpha, box = _face_patch(rng, faces, face_h, look)
    return Actor(0, patch, alpha, box, start, end, x0, y0, vx, vy)


def _walker(rng, faces, frames, face_h, look, speed_h: tuple[float, float]) -> Actor:  # type: ignore[no-untyped-def]
    """Crosses the frame horizontally (or diagonally) at ``speed_h`` × its face height per frame."""
    speed = float(rng.uniform(*speed_h)) * face_h
    direction = 1 if rng.random() < 0.5 else -1
    patch, alpha, box = _face_patch(rng, faces, face_h, look)
    ph, pw = patch.shape[:2]
    travel = WIDTH + pw
    start = int(rng.integers(0, max(1, frames // 2)))
    # Start somewhere on the way so that a fast face is in the clip for most of it.
    offset = float(rng.uniform(0, max(0.0, travel - speed * (frames - start))))
    x0 = -pw + offset if direction > 0 else WIDTH - offset
    y0 = float(rng.uniform(HEIGHT * 0.1, HEIGHT * 0.9 - ph))
    vy = float(rng.uniform(-0.15, 0.15)) * speed
    return Actor(0, patch, alpha, box, start, frames, x0, y0, direction * speed, vy)


def make_family(family: str, seed: int, frames: int) -> tuple[list[Actor], bool]:
    """The actors of one family's clip, and whether it is night-like."""
    rng = np.random.default_rng(seed)
    faces = load_faces()
    actors: list[Actor] = []
    night = family in ("night", HELD_BACK)
    if family == "street" or family == "night":
        for _ in range(14):
            face_h = _log_uniform(rng, 20, 200)
            actors.append(_walker(rng, faces, frames, face_h, PLAIN, (0.0, 0.12)))
    elif family == "fast":
        for _ in range(12):
            face_h = _log_uniform(rng, 20, 220)
            actors.append(_walker(rng, faces, frames, face_h, PLAIN, (0.2, 0.6)))
    elif family == "crossing":
        for _ in range(6):
            actors.extend(_pair(rng, faces, frames, _log_uniform(rng, 24, 160), PLAIN))
    elif family == "cctv":
        for _ in range(14):
            face_h = _log_uniform(rng, 20, 160)
            actors.append(_walker(rng, faces, frames, face_h, CCTV, (0.0, 0.3)))
    elif family == "crowd":
        for _ in range(int(rng.integers(32, 41))):
            face_h = _log_uniform(rng, 22, 90)
            patch, alpha, box = _face_patch(rng, faces, face_h, Look(masked=0.3, capped=0.2))
            ph, pw = patch.shape[:2]
            x0, y0 = float(rng.uniform(0, WIDTH - pw)), float(rng.uniform(HEIGHT * 0.2, HEIGHT - ph))
            v = rng.normal(0, 0.04 * face_h, size=2)
            actors.append(Actor(0, patch, alpha, box, 0, frames, x0, y0, float(v[0]), float(v[1])))
        actors.sort(key=lambda a: a.y0 + a.patch.shape[0])  # nearer (lower) faces drawn last, in front
    elif family == HELD_BACK:
        for _ in range(8):
            face_h = _log_uniform(rng, 20, 180)
            actors.append(_walker(rng, faces, frames, face_h, CCTV, (0.05, 0.5)))
        for _ in range(3):
            actors.extend(_pair(rng, faces, frames, _log_uniform(rng, 24, 120), CCTV))
    else:
        raise ValueError(f"unknown family {family}")
    for n, actor in enumerate(actors):
        actor.face = n
    return actors, night


def _pair(rng, faces, frames, face_h, look) -> list[Actor]:  # type: ignore[no-untyped-def]
    """Two faces walking towards each other on nearly the same line; they meet mid-clip."""
    speed = float(rng.uniform(0.05, 0.3)) * face_h
    y = float(rng.uniform(HEIGHT * 0.15, HEIGHT * 0.8))
    meet = float(rng.uniform(WIDTH * 0.25, WIDTH * 0.75))
    t_meet = frames / 2
    out = []
    for direction in (1, -1):
        h = face_h * float(rng.uniform(0.85, 1.15))
        patch, alpha, box = _face_patch(rng, faces, h, look)
        ph, pw = patch.shape[:2]
        x0 = meet - pw / 2 - direction * speed * t_meet
        out.append(
            Actor(
                0, patch, alpha, box, 0, frames, x0, y - ph / 2 + direction * 0.1 * ph, direction * speed, 0.0
            )
        )
    return out


def night_look(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Grey, dark, low-contrast and noisy, with luma kept ≥ 40 (a solid black mask stays measurable)."""
    grey = img.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    grey = 40 + (grey - 40) * 0.33 + rng.normal(0, 5, size=grey.shape).astype(np.float32)
    return np.repeat(np.clip(grey, 40, 255).astype(np.uint8)[..., None], 3, axis=2)


def build_family(directory: Path, family: str, seed: int, frames: int) -> tuple[Path, Path]:
    name = f"family-{family}-{seed}-{frames}"
    clip, truth = directory / f"{name}.mp4", directory / f"{name}.json"
    if clip.is_file() and truth.is_file():
        return clip, truth
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    scene = background(rng)
    actors, night = make_family(family, seed, frames)
    noise = np.random.default_rng(seed + 1)
    frames_gt = []
    tmp = directory / f"{name}.part.mp4"

    def paint(frame: int, rgb: np.ndarray) -> None:
        img, placed = compose(scene, actors, frame)
        frames_gt.append(labels(placed))
        rgb[:] = night_look(img, noise) if night else img

    write_clip(
        tmp, width=WIDTH, height=HEIGHT, fps=FPS, frames=frames, paint=paint,
        bframes=True, crf=18, keyframe_seconds=None, audio=None,
    )  # fmt: skip
    tmp.replace(clip)
    truth.write_text(
        json.dumps(
            {
                "width": WIDTH,
                "height": HEIGHT,
                "fps": FPS,
                "family": family,
                "seed": seed,
                "frames": frames_gt,
            }
        )
    )
    return clip, truth
