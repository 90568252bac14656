"""R25 subject viewing, manual regions and look-ahead, through the whole pipeline."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jikimi.engine import SpecError, mask_video, parse_spec
from jikimi.engine.masking.tests.conftest import masking_clip, read_luma, resize
from jikimi.engine.synthetic import textured_background


def detail(luma: np.ndarray) -> float:
    return float(np.abs(np.diff(luma.astype(int), axis=1)).mean())


def test_subject_mode_leaves_only_the_confirmed_track_unmasked(two_faces_clip, tmp_path):
    source, placed = two_faces_clip
    first = mask_video(source, tmp_path / "plain.mp4")
    tracks = json.loads(first.tracks_file.read_text())["tracks"]
    ax1, ay1, ax2, ay2 = placed[0]
    track = next(t for t in tracks if ax1 <= t["detections"][0]["box"][0] < ax2)
    subject = track["track_id"]
    fx1, fy1, fx2, fy2 = (int(v) for v in track["detections"][0]["box"])
    spec = parse_spec(json.dumps({"subject": {"frame": 5, "box": [ax1, ay1, ax2, ay2], "track_id": subject}}))
    result = mask_video(source, tmp_path / "subject.mp4", spec)
    assert result.subject_track == subject
    src, out = read_luma(source)[12], read_luma(tmp_path / "subject.mp4")[12]
    # The subject's face is as it was…
    face = (slice(fy1 + 4, fy2 - 4), slice(fx1 + 4, fx2 - 4))
    assert np.abs(src[face].astype(int) - out[face].astype(int)).mean() < 4
    # …the other face and the background are not.
    bx1, by1, bx2, by2 = placed[1]
    other = (slice(by1 + 20, by2 - 20), slice(bx1 + 10, bx2 - 10))
    assert detail(out[other]) < 0.4 * detail(src[other])
    corner = (slice(180, 240), slice(0, 320))
    assert detail(out[corner]) < 0.4 * detail(src[corner])


def test_a_subject_seed_picks_the_track_under_it(two_faces_clip, tmp_path):
    source, placed = two_faces_clip
    spec = parse_spec(json.dumps({"subject": {"frame": 20, "box": list(placed[1])}}))
    result = mask_video(source, tmp_path / "seeded.mp4", spec)
    tracks = json.loads(result.tracks_file.read_text())
    chosen = next(t for t in tracks["tracks"] if t["track_id"] == result.subject_track)
    assert placed[1][0] <= chosen["detections"][0]["box"][0] <= placed[1][2]
    assert tracks["subject_track"] == result.subject_track


def test_a_seed_on_no_face_is_a_clear_error(two_faces_clip, tmp_path):
    spec = parse_spec(json.dumps({"subject": {"frame": 3, "box": [0, 200, 40, 239]}}))
    with pytest.raises(SpecError, match="matches no face track"):
        mask_video(two_faces_clip[0], tmp_path / "x.mp4", spec)
    assert list(tmp_path.iterdir()) == []


def test_a_manual_region_is_masked_over_exactly_its_frame_range(tmp_path):
    background = textured_background(160, 128, seed=7)
    source = masking_clip(
        tmp_path / "scene.mp4", 30, 160, 128, lambda i, rgb: rgb.__setitem__(slice(None), background)
    )
    spec = parse_spec(
        json.dumps(
            {"regions": [{"start_frame": 10, "end_frame": 19, "box": [32, 32, 96, 96], "style": "solid"}]}
        )
    )
    mask_video(source, tmp_path / "out.mp4", spec)
    frames = read_luma(tmp_path / "out.mp4")
    region = (slice(34, 94), slice(34, 94))
    masked = [i for i, f in enumerate(frames) if f[region].max() < 24]
    assert masked == list(range(10, 20))
    assert not tracks_of(tmp_path / "out.tracks.json")


def tracks_of(path):
    return json.loads(path.read_text())["tracks"]


def test_a_face_the_detector_misses_between_two_detections_is_still_masked(faces, tmp_path):
    width, height = 320, 240
    background = textured_background(width, height, seed=11)
    face = resize(faces[16], 90, 110)
    rng = np.random.default_rng(5)
    scrambled = rng.permutation(face.reshape(-1, 3)).reshape(face.shape)  # same colours, no face

    def paint(i: int, rgb: np.ndarray) -> None:
        rgb[:] = background
        x = 60 + 3 * i
        rgb[60:170, x : x + 90] = scrambled if i == 15 else face

    source = masking_clip(tmp_path / "walk.mp4", 30, width, height, paint)
    spec = parse_spec(json.dumps({"detection": {"interval": 1}, "style": {"kind": "solid"}}))
    result = mask_video(source, tmp_path / "out.mp4", spec)
    tracks = tracks_of(result.tracks_file)
    assert len(tracks) == 1
    detected = {d["frame"] for d in tracks[0]["detections"]}
    assert 15 not in detected and {14, 16} <= detected  # the miss really happened
    frame15 = read_luma(tmp_path / "out.mp4")[15]
    x = 60 + 3 * 15
    assert frame15[75:155, x + 10 : x + 80].max() < 24  # …and the face area is masked anyway


def test_a_dropped_track_is_not_masked_on_re_render(two_faces_clip, tmp_path):
    source, placed = two_faces_clip
    first = mask_video(source, tmp_path / "first.mp4")
    tracks = tracks_of(first.tracks_file)
    spec = parse_spec(json.dumps({"tracks": [{"track_id": t["track_id"], "action": "drop"} for t in tracks]}))
    mask_video(source, tmp_path / "second.mp4", spec, tracks_file=first.tracks_file)
    src, out = read_luma(source)[5], read_luma(tmp_path / "second.mp4")[5]
    assert np.abs(src.astype(int) - out.astype(int)).mean() < 3


def test_a_watermark_is_burned_in(two_faces_clip, tmp_path):
    spec = parse_spec(
        json.dumps({"watermark": {"lines": ["사건 2026-0012", "수령: 경찰서"], "position": "top-left"}})
    )
    mask_video(two_faces_clip[0], tmp_path / "wm.mp4", spec)
    src, out = read_luma(two_faces_clip[0])[0], read_luma(tmp_path / "wm.mp4")[0]
    corner = (slice(4, 30), slice(4, 60))
    assert np.abs(src[corner].astype(int) - out[corner].astype(int)).mean() > 10


def test_the_subject_is_unmasked_only_where_its_own_track_is(faces, tmp_path):
    """R25: no pre-roll or hold for the subject: before its first detection the place it is about
    to walk into is masked like the rest, and a bystander standing beside it stays masked."""
    width, height = 320, 240
    background = textured_background(width, height, seed=3)
    subject = resize(faces[13], 80, 110)
    bystander = resize(faces[16], 70, 110)
    arrives = 20

    def x_of(i: int) -> int:
        return 150 + 3 * (i - arrives)

    def paint(i: int, rgb: np.ndarray) -> None:
        rgb[:] = background
        rgb[60:170, 10:80] = bystander
        if i >= arrives:
            rgb[60:170, x_of(i) : x_of(i) + 80] = subject

    source = masking_clip(tmp_path / "arrives.mp4", 36, width, height, paint)
    plain = mask_video(source, tmp_path / "plain.mp4")
    tracks = tracks_of(plain.tracks_file)
    track = next(t for t in tracks if t["detections"][0]["box"][0] > 120)
    assert track["detections"][0]["frame"] >= arrives
    spec = parse_spec(json.dumps({"subject": {"frame": 30, "box": [x_of(30), 60, x_of(30) + 80, 170]}}))
    result = mask_video(source, tmp_path / "subject.mp4", spec)
    assert result.subject_track == track["track_id"]
    src, out = read_luma(source), read_luma(tmp_path / "subject.mp4")
    # Frames before the subject arrives: where it is about to be, and the bystander, are masked…
    for i in range(arrives - 12, arrives):
        window = (slice(70, 160), slice(x_of(arrives) - 20, x_of(arrives) + 60))
        assert detail(out[i][window]) < 0.4 * detail(src[i][window]), i
        face = (slice(80, 150), slice(20, 70))
        assert detail(out[i][face]) < 0.4 * detail(src[i][face]), i
    # …and once it is there, the subject is as it was and the bystander still masked.
    first = track["detections"][0]["frame"]
    fx1, fy1, fx2, fy2 = (int(v) for v in track["detections"][0]["box"])
    inner = (slice(fy1 + 4, fy2 - 4), slice(fx1 + 4, fx2 - 4))
    assert np.abs(src[first][inner].astype(int) - out[first][inner].astype(int)).mean() < 4
    face = (slice(80, 150), slice(20, 70))
    assert detail(out[first][face]) < 0.4 * detail(src[first][face])
