"""Mask tracks: detections joined across frames, with look-ahead back-fill.

Exports are offline, so a frame is only released once detections up to ``lookahead`` frames
later are known. A face the detector misses between two detections of the same track is masked
by interpolation (back-fill); a track is also masked ``preroll`` frames before its first
detection and ``hold`` frames after its last, so faces entering or leaving do not flash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from jikimi.engine.masking.detect import Detections
from jikimi.engine.masking.geometry import grow, iou_matrix


@dataclass
class Track:
    track_id: int
    label: str
    frames: list[int] = field(default_factory=list)
    boxes: list[npt.NDArray[np.float32]] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.frames[0]

    @property
    def last(self) -> int:
        return self.frames[-1]

    def velocity(self) -> npt.NDArray[np.float32]:
        """Box change per frame over the last two detections (zero for a single one)."""
        if len(self.frames) < 2:
            return np.zeros(4, np.float32)
        dt = self.frames[-1] - self.frames[-2]
        return ((self.boxes[-1] - self.boxes[-2]) / max(dt, 1)).astype(np.float32)

    def predict(self, frame: int) -> npt.NDArray[np.float32]:
        return (self.boxes[-1] + self.velocity() * (frame - self.last)).astype(np.float32)

    def box_at(self, frame: int, hold: int, preroll: int) -> npt.NDArray[np.float32] | None:
        """The (ungrown) box of this track at ``frame``, or None when the track is not there."""
        if frame < self.first - preroll or frame > self.last + hold:
            return None
        if frame <= self.first:
            if frame == self.first or len(self.frames) < 2:
                return self.boxes[0]
            # Pre-roll: the first box, widened to where the face came from.
            step = ((self.boxes[1] - self.boxes[0]) / (self.frames[1] - self.frames[0])).astype(np.float32)
            return _hull(self.boxes[0], self.boxes[0] - step * (self.first - frame))
        if frame >= self.last:
            # Hold: the last box, widened to where the face was heading.
            return _hull(self.boxes[-1], self.predict(frame))
        i = int(np.searchsorted(self.frames, frame))
        if self.frames[i] == frame:
            return self.boxes[i]
        f0, f1 = self.frames[i - 1], self.frames[i]
        b0, b1 = self.boxes[i - 1], self.boxes[i]
        if iou_matrix(b0[None], b1[None])[0, 0] < 0.3:
            # The face moved far (or another face took over the track): mask the whole way between.
            return _hull(b0, b1)
        t = (frame - f0) / (f1 - f0)
        # Back-fill: a frame the detector missed is interpolated from detections on both sides.
        return ((1 - t) * b0 + t * b1).astype(np.float32)

    def seen_box(self, frame: int) -> npt.NDArray[np.float32] | None:
        """Where the face itself is at ``frame``: a detection, or linear between two detections.

        None before the first detection and after the last: unlike ``box_at`` nothing is
        extrapolated or widened, so the box is safe to leave unmasked (R25 subject viewing).
        """
        if frame < self.first or frame > self.last:
            return None
        i = int(np.searchsorted(self.frames, frame))
        if self.frames[i] == frame:
            return self.boxes[i]
        f0, f1 = self.frames[i - 1], self.frames[i]
        t = (frame - f0) / (f1 - f0)
        return ((1 - t) * self.boxes[i - 1] + t * self.boxes[i]).astype(np.float32)

    def to_json(self) -> dict[str, object]:
        return {
            "track_id": self.track_id,
            "label": self.label,
            "detections": [
                {"frame": f, "box": [round(float(v), 1) for v in b], "score": round(s, 3)}
                for f, b, s in zip(self.frames, self.boxes, self.scores, strict=True)
            ],
        }


@dataclass(frozen=True)
class FrameMask:
    """One track's box at one frame (already grown by the margin).

    ``seen`` is where the face itself is (``Track.seen_box``, grown alike), None in the pre-roll
    and hold, where ``box`` only guesses: a subject is unmasked only there.
    """

    track_id: int
    label: str
    box: npt.NDArray[np.float32]
    seen: npt.NDArray[np.float32] | None = None


class Tracker:
    """Online association at detection frames; boxes for any frame once it is final."""

    def __init__(self, iou_threshold: float, max_gap: int, hold: int, preroll: int, margin: float) -> None:
        self.iou_threshold = iou_threshold
        self.max_gap = max_gap
        self.hold = hold
        self.preroll = preroll
        self.margin = margin
        self.tracks: list[Track] = []
        self._active: list[Track] = []
        self._next_id = 1
        self.processed_until = -1
        self._asked = -1
        self._live_from = 0

    @property
    def lookahead(self) -> int:
        """Frames that must be analysed beyond a frame before its masks are final."""
        return max(self.max_gap, self.preroll)

    def update(self, frame: int, detections: Detections, start_threshold: float = 0.0) -> None:
        """Feed the merged detections of one analysed frame (frames in increasing order).

        Detections scoring below ``start_threshold`` only continue existing tracks, never start
        one: a face found with confidence stays followed while its score sags (a still face
        whose score drifts from 0.5 to 0.3 as the encoder's noise changes), and false positives
        at that low score do not become masks of their own.
        """
        self._active = [t for t in self._active if frame - t.last <= self.max_gap]
        # Faces continue faces and plates continue plates.
        candidates = [t for t in self._active if t.label == detections.label]
        boxes = detections.boxes
        unmatched = set(range(len(boxes)))
        if candidates and len(boxes):
            predicted = np.stack([t.predict(frame) for t in candidates])
            score = iou_matrix(predicted, boxes)
            score = np.maximum(score, _centre_affinity(predicted, boxes))
            # A face does not halve or double in size between detections: such a match is another face.
            score[_size_ratio(predicted, boxes) < 0.6] = 0
            while True:
                ti, di = np.unravel_index(int(np.argmax(score)), score.shape)
                if score[ti, di] < self.iou_threshold or score[ti, di] <= 0:
                    break
                track = candidates[ti]
                track.frames.append(frame)
                track.boxes.append(boxes[di].copy())
                track.scores.append(float(detections.scores[di]))
                unmatched.discard(int(di))
                score[ti, :] = -1
                score[:, di] = -1
        for new in sorted(unmatched):
            if detections.scores[new] < start_threshold:
                continue
            track = Track(
                self._next_id, detections.label, [frame], [boxes[new].copy()], [float(detections.scores[new])]
            )
            self._next_id += 1
            self.tracks.append(track)
            self._active.append(track)
        self.processed_until = frame

    def prepend(self, track: Track, frame: int, box: npt.NDArray[np.float32], score: float) -> None:
        """An earlier detection of ``track`` found by looking back (frames not yet final only)."""
        assert frame < track.first
        track.frames.insert(0, frame)
        track.boxes.insert(0, box.astype(np.float32))
        track.scores.insert(0, score)

    def active(self, frame: int, label: str) -> list[Track]:
        """Tracks of ``label`` that a detection at ``frame`` may still continue."""
        return [t for t in self._active if t.label == label and frame - t.last <= self.max_gap]

    def mark_processed(self, frame: int) -> None:
        """A frame was analysed without running a detector (between detection frames)."""
        self.processed_until = max(self.processed_until, frame)

    def _finished(self, track: Track, frame: int) -> bool:
        """True once ``track`` can neither be extended nor be shown at ``frame`` or later."""
        return frame - track.last > max(self.max_gap, self.hold)

    def is_final(self, frame: int) -> bool:
        return self.processed_until >= frame + self.lookahead

    def masks_at(self, frame: int) -> list[FrameMask]:
        """Masks of every track at ``frame``; frames are asked for in increasing order."""
        if frame < self._asked:
            self._live_from = 0  # asked out of order: scan from the start again
        self._asked = frame
        # Tracks are created in order of their first detection; skip the ones long finished.
        while self._live_from < len(self.tracks) and self._finished(self.tracks[self._live_from], frame):
            self._live_from += 1
        out = []
        for track in self.tracks[self._live_from :]:
            if track.first - self.preroll > frame:
                continue  # not yet (a track traced back may start before one created earlier)
            box = track.box_at(frame, self.hold, self.preroll)
            if box is not None:
                seen = track.seen_box(frame)
                if track.label == "face":
                    box = _head(box)
                    seen = None if seen is None else _head(seen)
                out.append(
                    FrameMask(
                        track.track_id,
                        track.label,
                        grow(box, self.margin),
                        None if seen is None else grow(seen, self.margin),
                    )
                )
        return out


def _head(box: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """A face box widened to a square about its centre.

    CenterFace's boxes are about 0.77 as wide as high (brows to chin, cheek to cheek); the head
    around them (ears, hair, the sides a half-profile turns to the camera) is as wide as high.
    Without this, a box a few pixels off-centre leaves one side of the face out of the mask.
    """
    w, h = box[2] - box[0], box[3] - box[1]
    if w >= h:
        return box
    cx = (box[0] + box[2]) / 2
    return np.array([cx - h / 2, box[1], cx + h / 2, box[3]], np.float32)


def _hull(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return np.array([min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])], np.float32)


def _size_ratio(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    size_a = np.maximum(a[:, None, 2] - a[:, None, 0], a[:, None, 3] - a[:, None, 1])
    size_b = np.maximum(b[None, :, 2] - b[None, :, 0], b[None, :, 3] - b[None, :, 1])
    ratio: npt.NDArray[np.float32] = (
        np.minimum(size_a, size_b) / np.maximum(np.maximum(size_a, size_b), 1e-3)
    ).astype(np.float32)
    return ratio


def _centre_affinity(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """0…0.5 when centres are within two box sizes and sizes agree: small fast faces rarely overlap."""
    ca = (a[:, None, :2] + a[:, None, 2:]) / 2
    cb = (b[None, :, :2] + b[None, :, 2:]) / 2
    size_a = np.maximum(a[:, None, 2] - a[:, None, 0], a[:, None, 3] - a[:, None, 1])
    size_b = np.maximum(b[None, :, 2] - b[None, :, 0], b[None, :, 3] - b[None, :, 1])
    dist = np.linalg.norm(ca - cb, axis=2) / np.maximum(np.maximum(size_a, size_b), 1)
    ratio = np.minimum(size_a, size_b) / np.maximum(np.maximum(size_a, size_b), 1)
    affinity: npt.NDArray[np.float32] = (np.clip(1 - dist / 2, 0, None) * 0.5 * (ratio > 0.6)).astype(
        np.float32
    )
    return affinity
