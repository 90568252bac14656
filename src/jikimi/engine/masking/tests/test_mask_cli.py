"""The CLI masks a real H.264 file end to end; bad input gives one clear line and no output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from jikimi.engine.masking.media import playback_facts
from jikimi.engine.masking.tests.conftest import TESTDATA, read_luma

REPO = Path(__file__).resolve().parents[5]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jikimi.engine", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def stream_facts(path: Path) -> dict[str, object]:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        pts = sorted(p.pts for p in container.demux(video) if p.pts is not None)
        return {
            "streams": [s.type for s in container.streams],
            "size": (video.codec_context.width, video.codec_context.height),
            "frames": len(pts),
            "pts_seconds": [float(p * video.time_base) for p in pts],
            "codec": video.codec_context.name,
            "pix_fmt": video.codec_context.pix_fmt,
        }


def test_it_masks_a_clip_without_audio_and_keeps_size_frames_and_timestamps(two_faces_clip, tmp_path):
    source, placed = two_faces_clip
    out = tmp_path / "masked.mp4"
    result = run_cli("mask", str(source), str(out))
    assert result.returncode == 0, result.stderr
    before, after = stream_facts(source), stream_facts(out)
    assert before["streams"] == ["video", "audio"]
    assert after["streams"] == ["video"]  # 법 제25조⑤ / R13: no audio ever
    assert after["size"] == before["size"] == (320, 240)
    assert after["frames"] == before["frames"] == 30
    assert after["pts_seconds"] == before["pts_seconds"]
    assert (after["codec"], after["pix_fmt"]) == ("h264", "yuv420p")
    assert playback_facts(out).browser_playable  # H.264 High/Main, yuv420p, +faststart
    tracks = json.loads(out.with_suffix(".tracks.json").read_text())
    first_boxes = [t["detections"][0]["box"] for t in tracks["tracks"]]
    for x1, y1, x2, y2 in placed:  # each placed face has a track inside its picture
        assert any(x1 <= b[0] and b[2] <= x2 and y1 <= b[1] and b[3] <= y2 for b in first_boxes)
    # Both faces are masked: the face area changed a lot, the mosaic removed its detail. Measured
    # inside the face's box, not the whole crop: the crop's context (hair, background) may meet the
    # other face's mosaic, whose cells make edges of their own.
    src, dst = read_luma(source)[10], read_luma(out)[10]
    for x1, y1, x2, y2 in placed:
        fx1, fy1, fx2, fy2 = (
            round(v)
            for v in next(b for b in first_boxes if x1 <= b[0] and b[2] <= x2 and y1 <= b[1] and b[3] <= y2)
        )
        face_src, face_dst = src[fy1:fy2, fx1:fx2], dst[fy1:fy2, fx1:fx2]
        assert (
            np.abs(np.diff(face_dst.astype(int), axis=1)).mean()
            < 0.5 * np.abs(np.diff(face_src.astype(int), axis=1)).mean()
        )


def test_moov_atom_comes_first(two_faces_clip, tmp_path):
    out = tmp_path / "masked.mp4"
    assert run_cli("mask", str(two_faces_clip[0]), str(out)).returncode == 0
    data = out.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")


@pytest.mark.slow
def test_it_masks_the_real_one_face_walk_clip(tmp_path):
    source = TESTDATA / "real-clips" / "one-face-walk.mp4"
    if not source.is_file():
        pytest.skip("real clip not available")
    out = tmp_path / "walk.mp4"
    result = run_cli("mask", str(source), str(out))
    assert result.returncode == 0, result.stderr
    before, after = stream_facts(source), stream_facts(out)
    assert after["size"] == before["size"] == (608, 1080)
    assert after["frames"] == before["frames"]
    assert after["pts_seconds"] == before["pts_seconds"]
    assert after["streams"] == ["video"]


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_not_a_video_is_one_clear_error_and_leaves_nothing(tmp_path):
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("this is not a video\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_cli("mask", str(bogus), str(out_dir / "masked.mp4"))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "not a video" in result.stderr
    assert leftovers(out_dir) == []


def test_truncated_file_is_one_clear_error_and_leaves_nothing(two_faces_clip, tmp_path):
    data = two_faces_clip[0].read_bytes()
    truncated = tmp_path / "cut.mp4"
    truncated.write_bytes(data[: len(data) // 2])
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_cli("mask", str(truncated), str(out_dir / "masked.mp4"))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert leftovers(out_dir) == []


def test_missing_input_is_one_clear_error(tmp_path):
    result = run_cli("mask", str(tmp_path / "nope.mp4"), str(tmp_path / "out.mp4"))
    assert result.returncode != 0
    assert result.stderr == f"error: {tmp_path / 'nope.mp4'}: no such file\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not JSON"),
        ('{"style": {"kind": "pixelate"}}', "style.kind"),
        ('{"detecton": {}}', "detecton: Extra inputs are not permitted"),
        ('{"tracking": {"margin": 9}}', "tracking.margin"),
        (
            '{"regions": [{"start_frame": 5, "end_frame": 2, "box": [0, 0, 10, 10]}]}',
            "end_frame is before start_frame",
        ),
    ],
)
def test_a_bad_spec_is_one_clear_error_and_leaves_nothing(two_faces_clip, tmp_path, content, expected):
    spec = tmp_path / "spec.json"
    spec.write_text(content)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_cli("mask", str(two_faces_clip[0]), str(out_dir / "masked.mp4"), "--spec", str(spec))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
    assert leftovers(out_dir) == []


def test_an_unavailable_model_or_provider_is_one_clear_error(two_faces_clip, tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text('{"detection": {"detector": "yolo-plates"}}')
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_cli("mask", str(two_faces_clip[0]), str(out_dir / "masked.mp4"), "--spec", str(spec))
    assert result.returncode != 0
    assert result.stderr == "error: unknown detector 'yolo-plates'; known: centerface, text\n"
    spec.write_text('{"detection": {"providers": ["CUDAExecutionProvider"]}}')
    result = run_cli("mask", str(two_faces_clip[0]), str(out_dir / "masked.mp4"), "--spec", str(spec))
    assert result.returncode != 0
    assert result.stderr.startswith("error: execution provider CUDAExecutionProvider not available")
    assert leftovers(out_dir) == []


def test_mask_in_in_is_refused_and_the_original_is_untouched(two_faces_clip, tmp_path):
    """Issue 15: `mask IN IN` once replaced the evidence with the masked output."""
    original = tmp_path / "evidence.mp4"
    original.write_bytes(two_faces_clip[0].read_bytes())
    before = original.read_bytes()
    link = tmp_path / "link.mp4"
    link.symlink_to(original)
    hard = tmp_path / "hard.mp4"
    hard.hardlink_to(original)
    for output in (original, link, hard):
        result = run_cli("mask", str(original), str(output))
        assert result.returncode == 2
        assert (
            result.stderr
            == f"error: {output}: is the input footage itself; the original is never overwritten\n"
        )
    assert original.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.mp4", "hard.mp4", "link.mp4"]


def test_writing_into_a_footage_store_is_refused(two_faces_clip, tmp_path):
    from jikimi.engine.store_marker import STORE_MARKER

    # As jikimi.engine.footage's DirectoryStore marks its root (masking may not import footage).
    store = tmp_path / "store"
    (store / "cam1").mkdir(parents=True)
    (store / STORE_MARKER).touch()
    result = run_cli("mask", str(two_faces_clip[0]), str(store / "cam1" / "masked.mp4"))
    assert result.returncode == 2 and "is inside the footage store" in result.stderr
    assert result.stderr.count("\n") == 1
    assert list((store / "cam1").iterdir()) == []


def test_a_read_only_output_folder_is_one_line_not_a_traceback(two_faces_clip, tmp_path):
    import os

    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    # root writes through file modes: there, sysfs is a folder nobody may create files in.
    target = Path("/sys") if os.geteuid() == 0 else folder
    try:
        result = run_cli("mask", str(two_faces_clip[0]), str(target / "masked.mp4"))
    finally:
        folder.chmod(0o700)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert "cannot write the output here" in result.stderr


def test_the_sources_time_tags_are_kept_and_only_audio_goes(tmp_path):
    """Issue 15: creation_time and the source's tags were dropped; when footage was recorded is evidence."""
    source = tmp_path / "tagged.mp4"
    with av.open(str(source), mode="w") as container:
        container.metadata["creation_time"] = "2026-03-02T09:00:00.000000Z"
        container.metadata["comment"] = "CAM-17 정문"
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.metadata["creation_time"] = "2026-03-02T09:00:00.000000Z"
        for index in range(10):
            image = np.full((240, 320, 3), index * 20, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    result = run_cli("mask", str(source), str(tmp_path / "masked.mp4"))
    assert result.returncode == 0, result.stderr
    with av.open(str(tmp_path / "masked.mp4")) as masked:
        assert masked.metadata["creation_time"] == "2026-03-02T09:00:00.000000Z"
        assert masked.metadata["comment"] == "CAM-17 정문"
        assert masked.streams.video[0].metadata["creation_time"] == "2026-03-02T09:00:00.000000Z"
        assert masked.metadata["encoder"].startswith("Lavf")  # the muxer's own, not the source's
        assert [s.type for s in masked.streams] == ["video"]


def camera_like_clip(path: Path, frames: int = 45) -> None:
    """A camera's own H.264: a still textured scene, a moving object and sensor noise, x264 veryfast CRF 23."""
    rng = np.random.default_rng(15)
    scene = rng.integers(40, 220, size=(30, 40, 3), dtype=np.uint8).repeat(8, 0).repeat(8, 1)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "23"}
        for index in range(frames):
            image = scene.astype(np.int16)
            image[80:160, 4 * index : 4 * index + 60] = 200
            image += rng.normal(0, 3, size=image.shape).astype(np.int16)
            frame = av.VideoFrame.from_ndarray(np.clip(image, 0, 255).astype(np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_the_masked_clip_is_not_much_bigger_than_the_cameras_own(tmp_path):
    """Issue 15: ultrafast CRF 20 made clips 1.9–3.9× their source; the default stays ≤ 1.3× (docs/masking.md)."""
    source, out = tmp_path / "camera.mp4", tmp_path / "masked.mp4"
    camera_like_clip(source)
    result = run_cli("mask", str(source), str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size <= 1.3 * source.stat().st_size, (out.stat().st_size, source.stat().st_size)


def test_the_profile_written_is_the_one_read_back(tmp_path):
    """Issue 15: "high" was asked for while ultrafast wrote Constrained Baseline; the default now writes High."""
    from jikimi.engine.masking.media import H264Writer, open_input, video_info

    source = tmp_path / "camera.mp4"
    camera_like_clip(source, frames=5)
    container = open_input(source)
    info = video_info(container)
    for preset, expected in (("ultrafast", "Constrained Baseline"), ("veryfast", "High")):
        writer = H264Writer(tmp_path / f"{preset}.mp4", info, preset, 23)
        for frame in container.decode(video=0):
            writer.write(frame)
        writer.close()
        container.seek(0)
        assert writer.profile == playback_facts(tmp_path / f"{preset}.mp4").profile == expected
    container.close()
    out = tmp_path / "masked.mp4"
    assert run_cli("mask", str(source), str(out)).returncode == 0
    assert playback_facts(out).profile == "High"
