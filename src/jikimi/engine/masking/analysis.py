"""Which detector runs on which part of which frame, and how results become tracks.

The design (see docs/masking.md): a full-frame pass every ``interval`` frames (fast: 960 px,
faces from ~40 px at 1080p; thorough: 1440 px at a low threshold). In thorough mode small
candidates are confirmed or dropped by a 2× look at a window of the native frame (``Refiner``),
small tracks are followed at 2× between full passes, and a small face first found late is
looked for in the frames still waiting for look-ahead. Optional motion-gated tiles (a tile is
detected when it moves, when a small track is in it, and once per ``sweep`` frames) remain.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, cast

import av
import numpy as np
import numpy.typing as npt
from av.video.reformatter import Interpolation, VideoReformatter

from jikimi.engine.masking.detect import Detections, Detector, DetectorConfig, create_detector
from jikimi.engine.masking.geometry import nms
from jikimi.engine.masking.media import VideoInfo
from jikimi.engine.masking.spec import MaskSpec, RefineSpec, TileSpec
from jikimi.engine.masking.tracking import Track, Tracker

THUMB_STEP = 8  # motion is judged on the luma plane subsampled 8×
MIN_TILE_OVERLAP = 64  # a face up to this size cut by one tile's edge is whole in its neighbour
CONTINUE_SHARE = 0.5  # a detection scoring half the threshold continues a track, never starts one
MAX_SPEED = 0.6  # of its own height per frame: a brisk walk or a cyclist at 1080p (issue 15)
FRESH_FRAMES = 2  # a track found once is looked for this many frames after, to learn its speed


@dataclass
class DecodedFrame:
    """A decoded frame and the detector inputs the decoding thread prepared for it."""

    index: int
    frame: av.VideoFrame
    full_rgb: npt.NDArray[Any] | None = None
    tile_rgb: npt.NDArray[Any] | None = None
    thumb: npt.NDArray[np.int16] | None = None
    plate_rgb: npt.NDArray[Any] | None = None
    full_found: Detections | None = None  # the full pass's answer (detector input px), when run there


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
    """Runs in the decoding thread: scales frames for the detectors (PyAV releases the GIL) and,
    given the full-pass detector, runs it there.

    The full pass depends on nothing but the frame's pixels, so it runs in this thread on its own
    onnxruntime thread while the analyser follows tracks on another: each inference on one thread
    (a second intra-op thread costs ~12 % more CPU on this machine for the same answer) and the
    two cores busy all the same.
    """

    def __init__(self, spec: MaskSpec, info: VideoInfo, full_detector: Detector | None = None) -> None:
        self.full_detector = full_detector
        # FFmpeg's scaler kept from frame to frame: set up once, not for every scaled frame.
        self._full_scaler = VideoReformatter()
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
            scaled = self._full_scaler.reformat(frame, w, h, format="rgb24", interpolation=Interpolation.AREA)
            item.full_rgb = scaled.to_ndarray()
            if self.full_detector is not None:
                item.full_found = self.full_detector.detect(cast(npt.NDArray[np.uint8], item.full_rgb))
                item.full_rgb = None
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
        self.threshold = spec.detection_threshold()
        self.refiner: Refiner | None = None
        refine = spec.refine_plan()
        # Detections down to half the threshold continue tracks (never start them): Tracker.update.
        full_threshold = self.threshold * CONTINUE_SHARE
        if refine is not None:
            self.refiner = Refiner(
                refine, create_detector(det.detector, refine_config(spec, info, refine)), info
            )
            # Small boxes are only candidates: the enlarged look decides, so the full pass may go lower.
            full_threshold = min(full_threshold, refine.candidate_threshold)
        config = DetectorConfig(
            self.full_size,
            full_threshold,
            det.providers,
            spec.detector_threads(),
            precision=spec.detector_precision(),
        )
        self.detector: Detector = create_detector(det.detector, config)
        self.tracker = tracker
        self.info = info
        # Recent frames (every ``follow``-th), for looking back when a small face is first found.
        self._recent: deque[tuple[int, av.VideoFrame]] = deque(
            maxlen=tracker.lookahead // refine.follow + 2 if refine is not None else 1
        )
        self.tiles_spec: TileSpec | None = spec.tile_plan()
        self.tiles: list[Tile] = []
        self.detector_runs = 0
        self.plate_detector: Detector | None = None
        if det.plates is not None:
            plate_size = det.plates.input_size(info.width, info.height)
            plate_config = DetectorConfig(
                plate_size, det.plates.threshold, det.providers, spec.detector_threads()
            )
            self.plate_detector = create_detector(det.plates.detector, plate_config)
        if self.tiles_spec is not None:
            tw = _even(info.width * self.tiles_spec.scale)
            th = _even(info.height * self.tiles_spec.scale)
            self.tile_scale = (info.width / tw, info.height / th)
            self.tiles = tile_grid(tw, th, *self.full_size)
            self._last_thumb: npt.NDArray[np.int16] | None = None
            self._tile_visits = 0

    def analyse(self, item: DecodedFrame) -> None:
        if self.refiner is None:
            self._analyse(item)
            return
        known = len(self.tracker.tracks)
        self._analyse(item)
        for track in self.tracker.tracks[known:]:
            small = track.boxes[0][3] - track.boxes[0][1] < self.refiner.plan.below
            if track.label == self.detector.label and (small or self.refiner.plan.follow_large):
                self._trace_back(track, item.index)
        if item.index % self.refiner.plan.follow == 0:
            self._recent.append((item.index, item.frame))

    def _trace_back(self, track: Track, now: int) -> None:
        """A face just found was probably there before: look back (small ones at 2×) while it is found.

        The full pass may find a small face late (it scored 0.1 in earlier passes), and with full
        passes every 16th frame a face walking in is first found up to 15 frames after it entered;
        frames not yet released to the encoder get its masks too, so it does not leak before that.
        """
        assert self.refiner is not None
        oldest = now - self.tracker.lookahead  # frames up to now - 1 - lookahead are released
        step = np.zeros(4, np.float32)  # the face's movement per frame, once two looks tell it
        for index, frame in reversed(self._recent):
            if index >= track.first:
                continue
            if index < oldest:
                break
            ref = (track.boxes[0] - step * (track.first - index)).astype(np.float32)
            found = self.refiner.look(frame, [ref])
            self.detector_runs += self.refiner.runs_last
            # Before its speed is known a face may have moved more than its size (4 frames apart).
            match = _same_face(ref, found, 1.0 if step.any() else 1.5)
            if match is None:
                break
            box = found.boxes[match]
            step = ((track.boxes[0] - box) / (track.first - index)).astype(np.float32)
            self.tracker.prepend(track, index, box, float(found.scores[match]))

    def _analyse(self, item: DecodedFrame) -> None:
        parts: list[Detections] = []
        found = item.full_found
        if found is None and item.full_rgb is not None:
            found = self.detector.detect(item.full_rgb)
        if found is not None:
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
            if self.refiner is not None:
                self._follow(item)
            self.tracker.mark_processed(item.index)
            return
        boxes = np.concatenate([p.boxes for p in parts])
        scores = np.concatenate([p.scores for p in parts])
        if self.refiner is not None:
            boxes, scores = self._refine(item, boxes, scores)
        keep = nms(boxes, scores, 0.3) if len(boxes) else []
        self.tracker.update(
            item.index, Detections(boxes[keep], scores[keep], self.detector.label), self.threshold
        )

    def _refine(
        self, item: DecodedFrame, boxes: npt.NDArray[np.float32], scores: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Small candidates and lost small tracks, confirmed (or dropped) by an enlarged look."""
        assert self.refiner is not None
        refiner = self.refiner
        heights = boxes[:, 3] - boxes[:, 1]
        small = heights < refiner.plan.below
        big = ~small
        looks = [boxes[i] for i in np.flatnonzero(small)[np.argsort(-scores[small])]]
        # A small face the full pass lost (it scores 0.07 one frame, 0.36 the next) is looked for
        # where its track predicts it: once found, a small face is followed at the enlarged scale.
        for track in self.tracker.active(item.index, self.detector.label):
            predicted = track.predict(item.index)
            if predicted[3] - predicted[1] < refiner.plan.below:
                looks.append(predicted)
        found = refiner.look(item.frame, looks)
        self.detector_runs += refiner.runs_last
        out_boxes = [boxes[big], found.boxes]
        out_scores = [scores[big], found.scores]
        return np.concatenate(out_boxes).astype(np.float32), np.concatenate(out_scores).astype(np.float32)

    def _follow(self, item: DecodedFrame) -> None:
        """Between full passes, tracks are looked for again where they are predicted.

        A small face moves its own height in a few frames: followed every ``follow`` frames (at
        2×) it stays one track, with a velocity, instead of breaking into single detections.
        Larger faces are followed every ``follow_large`` frames in a window about three times
        their size (at most 1×): a face walking 6 px a frame moves 96 px between two full passes
        16 frames apart, more than a 60 px face's own size, and would otherwise become a new
        track with no velocity whose masks stay behind the face.
        """
        assert self.refiner is not None
        plan = self.refiner.plan
        small_due = item.index % plan.follow == 0
        large_due = bool(plan.follow_large) and item.index % plan.follow_large == 0
        label = self.detector.label
        looks = []
        fresh = []
        for track in self.tracker.active(item.index, label):
            since = item.index - track.last
            if len(track.frames) == 1 and since <= FRESH_FRAMES:
                # Issue 15: a track found once has no velocity, and a face moving 0.6 of its height
                # a frame is 2.4 heights away 4 frames later, out of any window centred where it
                # was, and found again at the next full pass as a new track whose mask stays
                # behind. Looked for 1–2 frames later in a window it cannot have left, it gets one.
                fresh.append((track.boxes[0], since))
                continue
            predicted = track.predict(item.index)
            small = predicted[3] - predicted[1] < plan.below
            if (small and small_due) or (not small and large_due):
                looks.append(predicted)
        found = self.refiner.look(item.frame, looks) if looks else Detections.empty(label)
        self.detector_runs += self.refiner.runs_last if looks else 0
        if fresh:
            wide = self.refiner.look_around(item.frame, fresh)
            self.detector_runs += self.refiner.runs_last
            found = _joined(found, wide)
        if len(found):
            keep = nms(found.boxes, found.scores, 0.3)
            # A follow look continues tracks; only what scores as a full pass would starts one.
            self.tracker.update(
                item.index, Detections(found.boxes[keep], found.scores[keep], label), self.threshold
            )

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


def _same_face(ref: npt.NDArray[np.float32], found: Detections, within: float = 1.0) -> int | None:
    """The detection closest to ``ref`` within ``within`` face sizes and of about its size, if any."""
    if not len(found):
        return None
    size = float(max(ref[2] - ref[0], ref[3] - ref[1], 1.0))
    centre = (ref[:2] + ref[2:]) / 2
    centres = (found.boxes[:, :2] + found.boxes[:, 2:]) / 2
    dist = np.linalg.norm(centres - centre, axis=1) / size
    sizes = np.maximum(found.boxes[:, 2] - found.boxes[:, 0], found.boxes[:, 3] - found.boxes[:, 1])
    ratio = np.minimum(sizes, size) / np.maximum(sizes, size)
    ok = (dist <= within) & (ratio >= 0.6)
    if not ok.any():
        return None
    return int(np.flatnonzero(ok)[np.argmin(dist[ok])])


def refine_config(spec: MaskSpec, info: VideoInfo, plan: RefineSpec) -> DetectorConfig:
    side = plan.input_side()
    det = spec.detection
    return DetectorConfig(
        (side, side),
        plan.threshold,
        det.providers,
        spec.detector_threads(),
        precision=spec.detector_precision(),
    )


class Refiner:
    """Re-detects around given boxes in a window of the native frame, enlarged ``plan.scale`` times."""

    EDGE = 2  # px: a detection touching the window's edge (not the frame's) is cut, and dropped

    def __init__(self, plan: RefineSpec, detector: Detector, info: VideoInfo) -> None:
        self.plan = plan
        self.detector = detector
        self.width, self.height = info.width, info.height
        side = min(plan.window, info.width, info.height)
        self.window = side - side % 4  # yuv420p crops need sides divisible by 4
        self.side = detector.input_size[0]
        self.runs_last = 0
        # One scaler for every look: setting up FFmpeg's scaler took 0.7 of a look's 1 ms of cropping
        # (small faces' windows all have one size, so it is set up once).
        self._scaler = VideoReformatter()

    def window_for(self, box: npt.NDArray[np.float32]) -> int:
        """Side of the native window for ``box``: ``plan.window`` for small faces (enlarged
        ``plan.scale`` times); about three times a larger face's size (seen at most at 1×)."""
        size = float(max(box[2] - box[0], box[3] - box[1]))
        if size < self.plan.below:
            return self.window
        side = int(min(max(self.side, 3 * size), self.width, self.height))
        return side - side % 4

    def window_at(self, box: npt.NDArray[np.float32], window: int | None = None) -> tuple[int, int]:
        """Top-left corner of the window centred on ``box``, kept inside the frame, even."""
        w = window or self.window
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        x = int(np.clip(round(cx - w / 2), 0, self.width - w))
        y = int(np.clip(round(cy - w / 2), 0, self.height - w))
        return x - x % 2, y - y % 2

    def look_around(
        self, frame: av.VideoFrame, seen_at: list[tuple[npt.NDArray[np.float32], int]]
    ) -> Detections:
        """Looks for faces last seen at a box ``frames`` ago, of unknown speed.

        A face moving up to MAX_SPEED of its height a frame is within (0.5 + MAX_SPEED × frames)
        heights of its last centre; the window leaves 0.4 of a height more, so the face is not cut
        by the window's edge (a cut box is dropped).
        """
        windows = []
        for box, frames in seen_at:
            size = float(max(box[2] - box[0], box[3] - box[1]))
            side = int(
                min(max(self.window_for(box), size * (1.8 + 2 * MAX_SPEED * frames)), self.width, self.height)
            )
            windows.append(side - side % 4)
        return self.look(frame, [box for box, _ in seen_at], windows)

    def look(
        self, frame: av.VideoFrame, boxes: list[npt.NDArray[np.float32]], windows: list[int] | None = None
    ) -> Detections:
        self.runs_last = 0
        seen: list[tuple[int, int, int]] = []
        out_boxes, out_scores = [], []
        for n, box in enumerate(boxes):
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            window = windows[n] if windows is not None else self.window_for(box)
            # Already inside the central part of a window as large looked at: that look covered it.
            if any(w >= window and x + w // 4 <= cx <= x + w - w // 4 and y + w // 4 <= cy <= y + w - w // 4
                   for x, y, w in seen):  # fmt: skip
                continue
            x, y = self.window_at(box, window)
            seen.append((x, y, window))
            found = self.detector.detect(self._crop(frame, x, y, window))
            self.runs_last += 1
            k = window / self.side
            for b, score in zip(found.boxes, found.scores, strict=True):
                mapped = b * k + np.array([x, y, x, y], np.float32)
                if self._cut(b, x, y, window):
                    continue
                out_boxes.append(mapped.astype(np.float32))
                out_scores.append(float(score))
        if not out_boxes:
            return Detections.empty(self.detector.label)
        return Detections(np.stack(out_boxes), np.array(out_scores, np.float32), self.detector.label)

    def _cut(self, b: npt.NDArray[np.float32], x: int, y: int, window: int) -> bool:
        """True when a box touches an edge of the window that is not an edge of the frame."""
        e, s = self.EDGE, self.side
        return bool(
            (b[0] <= e and x > 0)
            or (b[1] <= e and y > 0)
            or (b[2] >= s - e and x + window < self.width)
            or (b[3] >= s - e and y + window < self.height)
        )

    def _crop(self, frame: av.VideoFrame, x: int, y: int, w: int) -> npt.NDArray[np.uint8]:
        """The window as RGB at the detector's input size, converted from the yuv420p planes."""
        planes = []
        for n, (px, py, pw) in enumerate(((x, y, w), (x // 2, y // 2, w // 2), (x // 2, y // 2, w // 2))):
            plane = frame.planes[n]
            rows = frame.height if n == 0 else frame.height // 2
            data = np.frombuffer(memoryview(plane), np.uint8).reshape(rows, plane.line_size)
            planes.append(data[py : py + pw, px : px + pw].reshape(-1, w))
        window = av.VideoFrame.from_ndarray(np.concatenate(planes), format="yuv420p")
        # Enlarged (small faces): bicubic; shrunk (large faces): area averaging, as the full pass.
        method = Interpolation.BICUBIC if w <= self.side else Interpolation.AREA
        rgb = self._scaler.reformat(window, self.side, self.side, format="rgb24", interpolation=method)
        return cast(npt.NDArray[np.uint8], rgb.to_ndarray())


def _joined(a: Detections, b: Detections) -> Detections:
    if not len(a):
        return b
    if not len(b):
        return a
    return Detections(
        np.concatenate([a.boxes, b.boxes]).astype(np.float32),
        np.concatenate([a.scores, b.scores]).astype(np.float32),
        a.label,
    )


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
