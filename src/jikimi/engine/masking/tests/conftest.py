"""Real clips made with PyAV (`jikimi.engine.synthetic`) for the masking tests, with real faces from
../shared/testdata."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import av
import numpy as np
import pytest

from jikimi.engine.synthetic import Painter, textured_background, write_clip

REPO = Path(__file__).resolve().parents[5]
TESTDATA = (REPO / ".." / "shared" / "testdata").resolve()
FACES = TESTDATA / "faces-dlib"


def face_crops() -> list[np.ndarray]:
    """Each labelled face from faces-dlib with some context around it, as RGB arrays."""
    crops = []
    for xml in ("training.xml", "testing.xml"):
        root = ET.parse(FACES / xml).getroot()  # noqa: S314 (trusted test data)
        for image in root.iter("image"):
            with av.open(str(FACES / image.get("file", ""))) as container:
                rgb = next(container.decode(video=0)).to_ndarray(format="rgb24")
            for box in image.iter("box"):
                t, left = int(box.get("top", 0)), int(box.get("left", 0))
                w, h = int(box.get("width", 0)), int(box.get("height", 0))
                y1, y2 = max(0, t - h // 2), min(rgb.shape[0], t + h + h // 3)
                x1, x2 = max(0, left - w // 2), min(rgb.shape[1], left + w + w // 2)
                crops.append(rgb[y1:y2, x1:x2].copy())
    return crops


def resize(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
    return frame.reformat(width, height, interpolation="AREA").to_ndarray()


def masking_clip(
    path: Path, frames: int, width: int, height: int, paint: Painter, *, audio: bool = False
) -> Path:
    """A masking test's scene: 30 fps, nearly lossless (CRF 12) so that the detector sees what was painted."""
    return write_clip(
        path,
        frames=frames,
        width=width,
        height=height,
        fps=30,
        paint=paint,
        crf=12,
        keyframe_seconds=None,
        audio="aac" if audio else None,
    )


def read_frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def read_luma(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray") for f in container.decode(video=0)]


@pytest.fixture(scope="session")
def faces() -> list[np.ndarray]:
    if not FACES.is_dir():
        pytest.skip(f"test data not found at {FACES}")
    return face_crops()


@pytest.fixture(scope="session")
def two_faces_clip(
    tmp_path_factory: pytest.TempPathFactory, faces: list[np.ndarray]
) -> tuple[Path, list[tuple[int, int, int, int]]]:
    """320×240, 30 frames: two still faces over a textured background, and where they are."""
    width, height = 320, 240
    background = textured_background(width, height)
    placed = []
    layers = []
    for crop, x in ((faces[13], 30), (faces[16], 190)):  # crops with exactly one face
        h = 110
        w = int(crop.shape[1] * h / crop.shape[0])
        layers.append((resize(crop, w, h), x, 60))
        placed.append((x, 60, x + w, 60 + h))

    def paint(i: int, rgb: np.ndarray) -> None:
        rgb[:] = background
        for img, x, y in layers:
            rgb[y : y + img.shape[0], x : x + img.shape[1]] = img

    path = masking_clip(
        tmp_path_factory.mktemp("clips") / "two-faces.mp4", 30, width, height, paint, audio=True
    )
    return path, placed
