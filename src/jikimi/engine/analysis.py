"""Which detector runs on which part of which frame, and how results become tracks.

The design (see docs/masking.md): a full-frame pass at 640×384 every ``interval`` frames finds
faces from ~40 px up at 1080p. In thorough mode, tiles cut from a higher-resolution copy of the
frame find smaller faces; a tile is detected when it moves (fixed cameras: the background is
still), when a track is in it, and in any case once per ``sweep`` frames, so a face standing
still is found too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from jikimi.engine.detect import Detections, Detector, DetectorConfig, create_detector
from jikimi.engine.geometry import nms
from jikimi.engine.media import VideoInfo
from jikimi.engine.spec import MaskSpec, TileSpec
from jikimi.engine.tracking import Tracker

THUMB_STEP = 8  # motion is judged on the luma plane subsampled 8×
MIN_TILE_OVERLAP = 64  # a face up to this size cut by one tile's edge is whole in its neighbour


@dataclass
class DecodedFrame:
    """A decoded frame and the detector inputs the decoding thread prepared for it."""

    index: int
    frame: av.VideoFrame
    full_rgb: npt.NDArray[Any] | None = None
    tile_rgb: npt.NDArray[Any] | None = None
    thumb: npt.NDArray[np.int16] | None = None
    plate_rgb: npt.NDArray[Any] | None = None


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    width: int
    height: int


def tile_grid(width: int, height: int, tile_w: int, tile_h: int) -> list[Tile]:
    """Tiles of ``tile_w × tile_h`` covering ``width × height`` with at least MIN_TILE_OVERLAP."""

    def starts(total: int, size: int) -> list[int]:
        if size >= total:
            return [0]
        count = int(np.ceil((total - size) / (size - MIN_TILE_OVERLAP))) + 1
        return [round(i * (total - size) / (count - 1)) for i in range(count)]

    tw, th = min(tile_w, width), min(tile_h, height)
    return [Tile(x, y, tw, th) for y in starts(height, th) for x in starts(width, tw)]


class FramePreparer:
    """Runs in the decoding thread: scales frames for the detectors (PyAV releases the GIL)."""

    def __init__(self, spec: MaskSpec, info: VideoInfo) -> None:
        self.full_size = spec.full_frame_size(info.width, info.height)
        self.interval = spec.full_frame_interval()
        self.tiles = spec.tile_plan()
        self.plates = spec.detection.plates
        if self.plates is not None:
            self.plate_size = self.plates.input_size(info.width, info.height)
        if self.tiles is not None:
            scale = self.tiles.scale
            self.tile_frame_size = (_even(info.width * scale), _even(info.height * scale))

    def prepare(self, index: int, frame: av.VideoFrame) -> DecodedFrame:
        item = DecodedFrame(index, frame)
        if index % self.interval == 0:
            w, h = self.full_size
            item.full_rgb = frame.reformat(w, h, format="rgb24", interpolation="AREA").to_ndarray()
        if self.plates is not None and index % self.plates.interval == 0:
            w, h = self.plate_size
            item.plate_rgb = frame.reformat(w, h, format="rgb24", interpolation="AREA").to_ndarray()
        if self.tiles is not None and index % self.tiles.interval == 0:
            w, h = self.tile_frame_size
            if (w, h) == (frame.width, frame.height):
                item.tile_rgb = frame.to_ndarray(format="rgb24")
            else:
                item.tile_rgb = frame.reformat(w, h, format="rgb24", interpolation="AREA").to_ndarray()
            luma = np.frombuffer(memoryview(frame.planes[0]), np.uint8).reshape(
                frame.height, frame.planes[0].line_size
            )
            item.thumb = luma[::THUMB_STEP, : frame.width : THUMB_STEP].astype(np.int16)
        return item


class Analyzer:
    """Runs in the analysis thread: detection on prepared inputs, then tracking."""

    def __init__(self, spec: MaskSpec, info: VideoInfo, tracker: Tracker) -> None:
        det = spec.detection
        self.full_size = spec.full_frame_size(info.width, info.height)
        config = DetectorConfig(self.full_size, spec.detection_threshold(), det.providers, det.threads)
        self.detector: Detector = create_detector(det.detector, config)
        self.tracker = tracker
        self.info = info
        self.tiles_spec: TileSpec | None = spec.tile_plan()
        self.tiles: list[Tile] = []
        self.detector_runs = 0
        self.plate_detector: Detector | None = None
        if det.plates is not None:
            plate_size = det.plates.input_size(info.width, info.height)
            plate_config = DetectorConfig(plate_size, det.plates.threshold, det.providers, det.threads)
            self.plate_detector = create_detector(det.plates.detector, plate_config)
        if self.tiles_spec is not None:
            tw = _even(info.width * self.tiles_spec.scale)
            th = _even(info.height * self.tiles_spec.scale)
            self.tile_scale = (info.width / tw, info.height / th)
            self.tiles = tile_grid(tw, th, *self.full_size)
            self._last_thumb: npt.NDArray[np.int16] | None = None
            self._tile_visits = 0

    def analyse(self, item: DecodedFrame) -> None:
        parts: list[Detections] = []
        if item.full_rgb is not None:
            found = self.detector.detect(item.full_rgb)
            self.detector_runs += 1
            sx, sy = self.info.width / self.full_size[0], self.info.height / self.full_size[1]
            parts.append(_scaled(found, sx, sy, 0, 0))
        if item.tile_rgb is not None:
            parts.extend(self._detect_tiles(item))
        if item.plate_rgb is not None and self.plate_detector is not None:
            plates = self.plate_detector.detect(item.plate_rgb)
            self.detector_runs += 1
            w, h = self.plate_detector.input_size
            self.tracker.update(item.index, _scaled(plates, self.info.width / w, self.info.height / h, 0, 0))
        if not parts:
            self.tracker.mark_processed(item.index)
            return
        boxes = np.concatenate([p.boxes for p in parts])
        scores = np.concatenate([p.scores for p in parts])
        keep = nms(boxes, scores, 0.3) if len(boxes) else []
        self.tracker.update(item.index, Detections(boxes[keep], scores[keep], self.detector.label))

    def _detect_tiles(self, item: DecodedFrame) -> list[Detections]:
        assert self.tiles_spec is not None and item.tile_rgb is not None and item.thumb is not None
        spec = self.tiles_spec
        moving = np.zeros(item.thumb.shape, bool)
        if self._last_thumb is not None and spec.motion_threshold > 0:
            moving = np.abs(item.thumb - self._last_thumb) > spec.motion_threshold
        self._last_thumb = item.thumb
        small_tracks = self._small_track_boxes(item.index)
        rounds = max(1, spec.sweep // spec.interval)
        visit = item.index // spec.interval
        found = []
        sx, sy = self.tile_scale
        for n, tile in enumerate(self.tiles):
            x1, y1 = int(tile.x * sx), int(tile.y * sy)
            x2, y2 = int((tile.x + tile.width) * sx), int((tile.y + tile.height) * sy)
            forced = (visit + n) % rounds == 0 or spec.motion_threshold == 0
            t = THUMB_STEP
            has_motion = int(moving[y1 // t : y2 // t + 1, x1 // t : x2 // t + 1].sum()) >= 2
            has_track = any(b[2] > x1 and b[0] < x2 and b[3] > y1 and b[1] < y2 for b in small_tracks)
            if not (forced or has_motion or has_track):
                continue
            crop = item.tile_rgb[tile.y : tile.y + tile.height, tile.x : tile.x + tile.width]
            if crop.shape[:2] != (self.full_size[1], self.full_size[0]):
                crop = _pad_to(crop, self.full_size)
            result = self.detector.detect(np.ascontiguousarray(crop))
            self.detector_runs += 1
            found.append(_scaled(result, sx, sy, tile.x, tile.y))
        return found

    def _small_track_boxes(self, frame: int) -> list[npt.NDArray[np.float32]]:
        """Recent tracks too small for the full-frame pass: their tiles are kept under watch."""
        limit = self.info.width / self.full_size[0] * 18  # ≈ 18 px at full-frame detector input
        out = []
        for track in self.tracker.tracks[-200:]:
            if frame - track.last <= self.tracker.max_gap:
                box = track.boxes[-1]
                if box[3] - box[1] < limit:
                    out.append(box)
        return out


def _scaled(found: Detections, sx: float, sy: float, ox: int, oy: int) -> Detections:
    boxes = found.boxes.copy()
    boxes[:, [0, 2]] = (boxes[:, [0, 2]] + ox) * sx
    boxes[:, [1, 3]] = (boxes[:, [1, 3]] + oy) * sy
    return Detections(boxes, found.scores, found.label)


def _pad_to(crop: npt.NDArray[np.uint8], size: tuple[int, int]) -> npt.NDArray[np.uint8]:
    out = np.zeros((size[1], size[0], 3), np.uint8)
    out[: crop.shape[0], : crop.shape[1]] = crop
    return out


def _even(value: float) -> int:
    v = int(round(value))
    return v - v % 2
