"""Turning one frame's tracks, manual regions and watermark into masked pixels."""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt

from jikimi.engine.masking.geometry import grow
from jikimi.engine.masking.media import VideoInfo
from jikimi.engine.masking.spec import MaskSpec
from jikimi.engine.masking.styles import MaskShape, apply_inverse, apply_shape, cell_size, frame_planes
from jikimi.engine.masking.tracking import FrameMask
from jikimi.engine.masking.watermark import Overlay, render_overlay


class Renderer:
    def __init__(self, spec: MaskSpec, info: VideoInfo, subject_track: int | None) -> None:
        self.spec = spec
        self.dropped = spec.dropped_tracks()
        self.subject_track = subject_track
        self.width, self.height = info.width, info.height
        self.overlay: Overlay | None = (
            render_overlay(spec.watermark, info.width, info.height) if spec.watermark else None
        )
        # Cells of the whole-frame mosaic in subject mode: coarse enough that no bystander is recognisable.
        self.inverse_cell = max(16, info.height // 30)
        self.inverse_cell += self.inverse_cell % 2

    def render(self, frame: av.VideoFrame, index: int, masks: list[FrameMask]) -> None:
        shapes = self.shapes_at(index, masks)
        keep = self.subject_boxes(masks)
        if not shapes and keep is None and self.overlay is None:
            return
        planes = frame_planes(frame)
        if keep is not None:
            # R25 subject viewing: everything but the data subject is masked.
            apply_inverse(planes, keep, self.inverse_cell)
        style = self.spec.style
        for shape in shapes:
            apply_shape(planes, shape, cell_size(shape.box, style.cells, style.min_cell))
        if self.overlay is not None:
            self.overlay.blend(planes)

    def subject_boxes(self, masks: list[FrameMask]) -> list[tuple[float, float, float, float]] | None:
        if self.spec.subject is None:
            return None
        expand = self.spec.subject.expand / self.spec.tracking.margin
        # R25: only where the subject's own track is (its detections and between them), never its
        # pre-roll or hold, which may hold a bystander; other faces are masked over it (shapes_at).
        return [
            _tuple(grow(m.seen, expand))
            for m in masks
            if m.track_id == self.subject_track and m.seen is not None
        ]

    def _to_border(self, box: npt.NDArray[np.float32]) -> tuple[float, float, float, float]:
        """A face cut by the frame border gets a truncated box: restore its width and reach the border."""
        x1, y1, x2, y2 = _tuple(box)
        w, h = x2 - x1, y2 - y1
        if x2 > self.width - 0.25 * w:
            x1, x2 = min(x1, x2 - 0.85 * h), float(self.width)
        if x1 < 0.25 * w:
            x1, x2 = 0.0, max(x2, x1 + 0.85 * h)
        if y2 > self.height - 0.25 * h:
            y1, y2 = min(y1, y2 - w), float(self.height)
        if y1 < 0.25 * h:
            y1, y2 = 0.0, max(y2, y1 + w)
        return (x1, y1, x2, y2)

    def shapes_at(self, index: int, masks: list[FrameMask]) -> list[MaskShape]:
        style = self.spec.style.kind
        shapes = [
            MaskShape(self._to_border(m.box), style)
            for m in masks
            if m.track_id not in self.dropped and m.track_id != self.subject_track
        ]
        for region in self.spec.regions:
            if region.start_frame <= index <= region.end_frame:
                kind = region.style or style
                if region.box is not None:
                    shapes.append(MaskShape(region.box, kind))
                elif region.polygon is not None:
                    xs = [p[0] for p in region.polygon]
                    ys = [p[1] for p in region.polygon]
                    shapes.append(
                        MaskShape((min(xs), min(ys), max(xs), max(ys)), kind, tuple(region.polygon))
                    )
        return shapes


def _tuple(box: npt.NDArray[np.float32]) -> tuple[float, float, float, float]:
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
