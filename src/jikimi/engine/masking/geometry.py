"""Axis-aligned boxes in frame pixels, as float arrays ``[x1, y1, x2, y2]``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

BoxArray = npt.NDArray[np.float32]


def iou_matrix(a: BoxArray, b: BoxArray) -> npt.NDArray[np.float32]:
    """Intersection over union of every box in ``a`` against every box in ``b``."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    iou: npt.NDArray[np.float32] = (inter / np.maximum(union, 1e-6)).astype(np.float32)
    return iou


def nms(boxes: BoxArray, scores: npt.NDArray[np.float32], threshold: float) -> list[int]:
    """Indices kept by greedy non-maximum suppression, best score first."""
    order = list(np.argsort(-scores))
    keep: list[int] = []
    overlaps = iou_matrix(boxes, boxes)
    suppressed = np.zeros(len(boxes), dtype=bool)
    for i in order:
        if suppressed[i]:
            continue
        keep.append(int(i))
        suppressed |= overlaps[i] >= threshold
    return keep


def grow(box: BoxArray, factor: float) -> BoxArray:
    """The box scaled about its centre, so that a mask covers hair, ears and chin."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    hw, hh = (box[2] - box[0]) * factor / 2, (box[3] - box[1]) * factor / 2
    return np.array([cx - hw, cy - hh, cx + hw, cy + hh], dtype=np.float32)


def clip_int(
    box: BoxArray | Sequence[float], width: int, height: int, align: int = 1
) -> tuple[int, int, int, int]:
    """Integer pixel bounds inside the frame, widened outwards to multiples of ``align``."""
    x1 = int(np.floor(box[0] / align) * align)
    y1 = int(np.floor(box[1] / align) * align)
    x2 = int(np.ceil(box[2] / align) * align)
    y2 = int(np.ceil(box[3] / align) * align)
    return max(0, x1), max(0, y1), min(width, x2), min(height, y2)
