"""Tracks join detections; gaps are back-filled from later detections (look-ahead)."""

from __future__ import annotations

import numpy as np

from jikimi.engine.masking.detect import Detections
from jikimi.engine.masking.tracking import Tracker


def dets(*boxes: tuple[float, float, float, float]) -> Detections:
    return Detections(np.array(boxes, np.float32).reshape(-1, 4), np.full(len(boxes), 0.9, np.float32))


def test_a_face_missed_in_one_frame_between_two_detections_is_still_masked():
    tracker = Tracker(iou_threshold=0.1, max_gap=5, hold=0, preroll=0, margin=1.0)
    tracker.update(0, dets((100, 100, 140, 140)))
    tracker.update(1, dets())  # the detector missed the face here
    assert not tracker.is_final(1)  # frame 1 waits for look-ahead
    tracker.update(2, dets((110, 100, 150, 140)))
    for frame in range(3, 8):
        tracker.update(frame, dets((110 + 5 * (frame - 2), 100, 150 + 5 * (frame - 2), 140)))
    assert tracker.is_final(1)
    masks = tracker.masks_at(1)
    assert [m.track_id for m in masks] == [1]
    assert np.allclose(masks[0].box, [105, 100, 145, 140])
    assert len(tracker.tracks) == 1


def test_a_track_is_masked_before_its_first_and_after_its_last_detection():
    tracker = Tracker(iou_threshold=0.1, max_gap=3, hold=4, preroll=2, margin=1.5)
    tracker.update(10, dets((0, 0, 20, 20)))
    tracker.update(11, dets((0, 0, 20, 20)))
    assert tracker.masks_at(7) == []
    assert len(tracker.masks_at(8)) == 1
    assert len(tracker.masks_at(15)) == 1
    assert tracker.masks_at(16) == []
    assert np.allclose(tracker.masks_at(10)[0].box, [-5, -5, 25, 25])  # grown 1.5×


def test_two_faces_keep_their_own_tracks_and_a_long_absence_starts_a_new_one():
    tracker = Tracker(iou_threshold=0.1, max_gap=3, hold=0, preroll=0, margin=1.0)
    for frame in range(5):
        tracker.update(frame, dets((10 + frame, 10, 50 + frame, 60), (200 - frame, 10, 240 - frame, 60)))
    for frame in range(5, 10):
        tracker.update(frame, dets((200 - frame, 10, 240 - frame, 60)))
    tracker.update(10, dets((15, 10, 55, 60)))
    ids = [(t.track_id, t.first, t.last) for t in tracker.tracks]
    assert ids == [(1, 0, 4), (2, 0, 9), (3, 10, 10)]


def test_fast_small_faces_are_followed_by_centre_distance():
    tracker = Tracker(iou_threshold=0.1, max_gap=6, hold=0, preroll=0, margin=1.0)
    for n, frame in enumerate(range(0, 30, 3)):
        x = 100 + 30 * n  # 10 px per frame, the box is 20 px wide: no overlap between detections
        tracker.update(frame, dets((x, 50, x + 20, 70)))
    assert len(tracker.tracks) == 1


def test_a_face_mask_is_as_wide_as_the_head_not_only_the_detector_box():
    # CenterFace boxes are ~0.77 as wide as high; the mask covers the head's full width.
    tracker = Tracker(iou_threshold=0.1, max_gap=3, hold=0, preroll=0, margin=1.0)
    tracker.update(0, dets((100, 100, 130, 140)))
    tracker.processed_until = 10
    assert np.allclose(tracker.masks_at(0)[0].box, [95, 100, 135, 140])


def test_a_low_score_detection_continues_a_track_but_never_starts_one():
    tracker = Tracker(iou_threshold=0.1, max_gap=3, hold=0, preroll=0, margin=1.0)
    strong = Detections(np.array([[100, 100, 140, 140]], np.float32), np.array([0.6], np.float32))
    tracker.update(0, strong, start_threshold=0.35)
    for frame in range(1, 6):  # the face's score sags below the threshold: still followed
        weak = Detections(
            np.array([[100, 100, 140, 140], [500, 500, 540, 540]], np.float32),
            np.array([0.2, 0.2], np.float32),
        )
        tracker.update(frame, weak, start_threshold=0.35)
    assert [(t.track_id, t.first, t.last) for t in tracker.tracks] == [(1, 0, 5)]
