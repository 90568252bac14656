"""Calibration frames for the INT8 detector, drawn in code: the same pixels on every machine.

Static quantisation fixes each activation's range from a few sample inputs. The samples are made
here rather than downloaded or shipped (the face photographs in the test data are licensed for
tests only): street-like scenes, smooth gradients and textures, with drawn faces of 16–320 px
(skin-toned ovals with hair, eyes, brows, nose and mouth, lit from one side). What matters for
the ranges is the spread of contrast, colour and scale, not photographic realism; the recall of
the quantised model is measured on real faces by ``python -m bench.masking.precision``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SEED = 20261206


def calibration_frames(width: int, height: int, count: int = 6) -> list[npt.NDArray[np.uint8]]:
    """``count`` RGB frames of ``width``×``height``, deterministic (seeded)."""
    rng = np.random.default_rng(SEED)
    return [_frame(rng, width, height, index) for index in range(count)]


def _smooth_noise(rng: np.random.Generator, width: int, height: int, cell: int) -> npt.NDArray[np.float32]:
    """Random values on a ``cell``-pixel grid, bilinearly interpolated: blotches of that size."""
    gh, gw = height // cell + 2, width // cell + 2
    grid = rng.standard_normal((gh, gw)).astype(np.float32)
    ys = np.arange(height, dtype=np.float32) / cell
    xs = np.arange(width, dtype=np.float32) / cell
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = grid[y0][:, x0] * (1 - fx) + grid[y0][:, x0 + 1] * fx
    bottom = grid[y0 + 1][:, x0] * (1 - fx) + grid[y0 + 1][:, x0 + 1] * fx
    smooth: npt.NDArray[np.float32] = (top * (1 - fy) + bottom * fy).astype(np.float32)
    return smooth


def _frame(rng: np.random.Generator, width: int, height: int, index: int) -> npt.NDArray[np.uint8]:
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.empty((height, width, 3), np.float32)
    base = rng.uniform(60, 190, size=3)
    slope = rng.uniform(-60, 60, size=(2, 3))
    for c in range(3):
        img[..., c] = base[c] + slope[0, c] * yy / height + slope[1, c] * xx / width
    # Blotches at several scales (foliage, pavement, walls) and sharp-edged blocks (buildings, cars).
    for cell, amp in ((128, 30.0), (32, 14.0), (8, 8.0)):
        img += amp * _smooth_noise(rng, width, height, cell)[..., None] * rng.uniform(0.5, 1.5, size=3)
    for _ in range(int(rng.integers(8, 30))):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = (
            int(rng.integers(width // 40 + 4, width // 4 + 8)),
            int(rng.integers(height // 30 + 4, height // 3 + 8)),
        )
        img[y : y + h, x : x + w] = rng.uniform(20, 240, size=3)
    faces = int(rng.integers(4, 12))
    for _ in range(faces):
        size = float(np.exp(rng.uniform(np.log(16), np.log(min(320, height * 0.6)))))
        cx = float(rng.uniform(0, width))
        cy = float(rng.uniform(size, height - size * 0.5))
        _draw_face(rng, img, xx, yy, cx, cy, size)
    img += rng.normal(0, 3 if index % 2 else 8, size=img.shape).astype(np.float32)  # sensor noise
    if index % 3 == 2:  # a dark scene (night, indoor)
        img *= 0.45
    return np.clip(img, 0, 255).astype(np.uint8)


def _draw_face(
    rng: np.random.Generator,
    img: npt.NDArray[np.float32],
    xx: npt.NDArray[np.float32],
    yy: npt.NDArray[np.float32],
    cx: float,
    cy: float,
    size: float,
) -> None:
    """A face ``size`` px high centred at (cx, cy): only the pixels of its bounding square are touched."""
    half = size * 0.9
    height, width = img.shape[:2]
    x1, x2 = max(0, int(cx - half)), min(width, int(cx + half) + 1)
    y1, y2 = max(0, int(cy - half * 1.2)), min(height, int(cy + half) + 1)
    if x2 <= x1 or y2 <= y1:
        return
    px = (xx[y1:y2, x1:x2] - cx) / (size * 0.5)  # -1…1 across the face
    py = (yy[y1:y2, x1:x2] - cy) / (size * 0.5)
    region = img[y1:y2, x1:x2]

    def paint(mask: npt.NDArray[np.float32], colour: npt.NDArray[np.float64]) -> None:
        a = np.clip(mask, 0, 1)[..., None]
        region[:] = region * (1 - a) + colour * a

    def blob(x: float, y: float, rx: float, ry: float) -> npt.NDArray[np.float32]:
        r = ((px - x) / rx) ** 2 + ((py - y) / ry) ** 2
        return np.clip((1 - r) * max(2.0, size / 12), 0, 1).astype(np.float32)

    skin = np.array([rng.uniform(150, 235), 0, 0])
    skin[1] = skin[0] * rng.uniform(0.68, 0.82)
    skin[2] = skin[0] * rng.uniform(0.52, 0.72)
    hair = rng.uniform(10, 90, size=3)
    paint(blob(0, -0.55, 0.95, 0.7), hair)  # hair behind and above
    light = 1 + rng.uniform(-0.25, 0.25) * px  # lit from one side
    face = blob(0, 0.05, 0.78, 1.0)
    a = face[..., None]
    region[:] = region * (1 - a) + (skin[None, None, :] * light[..., None]) * a
    paint(blob(0, -0.75, 0.8, 0.3) * (rng.random() < 0.8), hair)  # fringe
    dark = skin * 0.25
    for side in (-1, 1):
        paint(blob(side * 0.33, -0.15, 0.16, 0.08), np.array([235.0, 235.0, 230.0]))  # white of the eye
        paint(blob(side * 0.33, -0.15, 0.08, 0.08), dark)  # iris
        paint(blob(side * 0.33, -0.36, 0.2, 0.05), hair)  # brow
    paint(blob(0, 0.2, 0.08, 0.18) * 0.4, skin * 0.7)  # nose shade
    paint(blob(0, 0.55, 0.26, 0.06), np.array([rng.uniform(110, 170), 60.0, 60.0]))  # mouth
