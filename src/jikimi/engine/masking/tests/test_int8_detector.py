"""The quantised CenterFace (thorough's default) finds the faces the float model finds."""

from __future__ import annotations

import numpy as np
import pytest

from jikimi.engine import parse_spec
from jikimi.engine.errors import SpecError
from jikimi.engine.masking.detect import create_detector
from jikimi.engine.masking.detect.base import Detections, DetectorConfig
from jikimi.engine.masking.model_store import centerface_path, model_versions
from jikimi.engine.masking.tests.conftest import resize
from jikimi.engine.synthetic import textured_background


def crowd(
    faces: list[np.ndarray], width: int, height: int
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Every faces-dlib crop once, 24–150 px high, on a grid over a textured background."""
    rgb = textured_background(width, height, seed=9)
    boxes = []
    x, y, row = 8, 8, 0
    for n, crop in enumerate(faces):
        h = int(24 * (150 / 24) ** ((n * 7 % len(faces)) / (len(faces) - 1)))
        w = int(crop.shape[1] * h / crop.shape[0])
        if x + w > width:
            x, y, row = 8, y + row + 8, 0
        if y + h > height:
            break
        rgb[y : y + h, x : x + w] = resize(crop, w, h)
        boxes.append((x, y, x + w, y + h))
        x, row = x + w + 8, max(row, h)
    return rgb, boxes


def found(detections: Detections, boxes: list[tuple[int, int, int, int]]) -> set[int]:
    """Indexes of the placed crops with a detection centred inside them."""
    centres = (detections.boxes[:, :2] + detections.boxes[:, 2:]) / 2
    return {
        i
        for i, (x1, y1, x2, y2) in enumerate(boxes)
        if ((centres[:, 0] > x1) & (centres[:, 0] < x2) & (centres[:, 1] > y1) & (centres[:, 1] < y2)).any()
    }


@pytest.mark.parametrize("size", [(960, 544), (1440, 832)])
def test_the_int8_model_finds_the_faces_the_float_model_finds(faces, size):
    rgb, boxes = crowd(faces, *size)
    results = {}
    for precision in ("float", "int8"):
        detector = create_detector("centerface", DetectorConfig(size, 0.4, threads=1, precision=precision))
        results[precision] = detector.detect(rgb)
    by_float, by_int8 = found(results["float"], boxes), found(results["int8"], boxes)
    assert len(by_float) >= len(boxes) * 0.8  # the scene is a fair test: most crops are faces found
    assert by_float <= by_int8
    assert results["int8"].scores.max() > 0.85  # scores are not cut at a calibrated range
    # Same places, same sizes, about the same scores: each confident float box has an int8 box
    # overlapping it by half or more (boxes just above the threshold may come and go).
    int8 = results["int8"].boxes
    for box, score in zip(results["float"].boxes, results["float"].scores, strict=True):
        if score < 0.5:
            continue
        inter = np.prod(
            np.clip(np.minimum(box[2:], int8[:, 2:]) - np.maximum(box[:2], int8[:, :2]), 0, None), axis=1
        )
        union = np.prod(box[2:] - box[:2]) + np.prod(int8[:, 2:] - int8[:, :2], axis=1) - inter
        assert (inter / union).max() >= 0.5


def test_thorough_uses_int8_with_a_lower_candidate_threshold_and_fast_uses_float():
    thorough = parse_spec("{}")
    assert thorough.detector_precision() == "int8"
    plan = thorough.refine_plan()
    assert plan is not None and plan.candidate_threshold == 0.06
    float_plan = parse_spec('{"detection": {"precision": "float"}}').refine_plan()
    assert float_plan is not None and float_plan.candidate_threshold == 0.08
    assert parse_spec('{"mode": "fast"}').detector_precision() == "float"
    assert parse_spec('{"detection": {"precision": "int8"}}').detector_precision() == "int8"
    assert parse_spec('{"mode": "fast", "detection": {"precision": "int8"}}').detector_precision() == "int8"
    with pytest.raises(SpecError):
        parse_spec('{"detection": {"precision": "fp16"}}')
    int8, float32 = centerface_path(640, 384, "int8"), centerface_path(640, 384, "float")
    assert int8 != float32
    assert int8.stat().st_size < float32.stat().st_size / 3  # 8-bit weights
    # An export's manifest says what the int8 model was made from and with.
    assert "quantised by onnxruntime==" in model_versions()["centerface_int8"]
