"""Text regions (licence-plate characters) with PP-OCR's detector from ``rapidocr_onnxruntime``.

No package ships an open plate detector. PP-OCRv4 det (Apache-2.0, inside the rapidocr wheel) is a
DB text detector: its probability map, thresholded, gives word boxes. Plate characters are found
when the plate is ~25 px high or more at the detector input, so it runs at ≥1280 px. It masks all
text (signs too): over-masking is the safe error. A real plate model plugs in by the same key.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from jikimi.engine.errors import ModelError
from jikimi.engine.masking.detect.base import Detections, DetectorConfig, onnx_session, register_detector

PIXEL_THRESHOLD = 0.3
BOX_THRESHOLD = 0.5
UNCLIP = 1.6


def text_model_path() -> Path:
    try:
        dist = importlib.metadata.distribution("rapidocr_onnxruntime")
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(
            "text detector model missing: pip install rapidocr_onnxruntime==1.4.4 --no-deps"
        ) from None
    for entry in dist.files or []:
        if str(entry).endswith("_det_infer.onnx"):
            return Path(str(dist.locate_file(entry)))
    raise ModelError("text detector model missing from the rapidocr_onnxruntime wheel")


class TextRegions:
    label = "plate"

    def __init__(self, config: DetectorConfig) -> None:
        self.input_size = config.input_size
        self.threshold = config.threshold
        self._session = onnx_session(str(text_model_path()), config)
        self._input = self._session.get_inputs()[0].name

    def detect(self, rgb: npt.NDArray[np.uint8]) -> Detections:
        # Trained on BGR, normalised to −1…1.
        blob = (rgb[..., ::-1].astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)[None]
        (prob,) = self._session.run(None, {self._input: np.ascontiguousarray(blob)})
        return regions(prob[0, 0], max(self.threshold, BOX_THRESHOLD))


def regions(prob: npt.NDArray[np.float32], box_threshold: float) -> Detections:
    """Bounding boxes of connected text pixels whose mean probability reaches ``box_threshold``."""
    mask = prob > PIXEL_THRESHOLD
    boxes, scores = [], []
    for x1, y1, x2, y2 in _components(mask):
        if x2 - x1 < 3 or y2 - y1 < 3:
            continue
        score = float(prob[y1:y2, x1:x2][mask[y1:y2, x1:x2]].mean())
        if score < box_threshold:
            continue
        # DB shrinks text when training: grow the box back by area × ratio / perimeter.
        w, h = x2 - x1, y2 - y1
        d = w * h * UNCLIP / (2 * (w + h))
        boxes.append([x1 - d, y1 - d, x2 + d, y2 + d])
        scores.append(score)
    if not boxes:
        return Detections.empty("plate")
    return Detections(np.array(boxes, np.float32), np.array(scores, np.float32), "plate")


def _components(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of 8-connected components, by run-length union-find (no OpenCV, no SciPy)."""
    parent: list[int] = []
    bounds: list[list[int]] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[tuple[int, int, int]] = []
    for y in range(mask.shape[0]):
        row = mask[y]
        if not row.any():
            previous = []
            continue
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.view(np.int8), [0]))))
        current = []
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            label = len(parent)
            parent.append(label)
            bounds.append([int(start), y, int(end), y + 1])
            for p_start, p_end, p_label in previous:
                if p_start <= end and start <= p_end:  # touching, diagonals included
                    a, b = find(label), find(p_label)
                    if a != b:
                        parent[b] = a
            current.append((int(start), int(end), label))
        previous = current
    merged: dict[int, list[int]] = {}
    for label, (x1, y1, x2, y2) in enumerate(bounds):
        root = find(label)
        box = merged.setdefault(root, [x1, y1, x2, y2])
        box[0], box[1] = min(box[0], x1), min(box[1], y1)
        box[2], box[3] = max(box[2], x2), max(box[3], y2)
    return [(b[0], b[1], b[2], b[3]) for b in merged.values()]


@register_detector("text")
def _text(config: DetectorConfig) -> TextRegions:
    return TextRegions(config)
