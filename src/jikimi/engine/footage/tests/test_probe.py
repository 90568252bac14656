"""probe refuses what is not whole, playable video — naming the file and the fault — and produces nothing."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from jikimi.engine.errors import InputError
from jikimi.engine.footage.errors import FootageRejected
from jikimi.engine.footage.probe import probe
from jikimi.engine.synthetic import write_audio_only, write_clip


def cut(source: Path, target: Path, fraction: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


@pytest.mark.parametrize(("kind", "audio_codec"), [("mp4", "aac"), ("mpegts", "mp2"), ("matroska", "aac")])
def test_it_describes_a_clip_with_audio(clips: dict[str, Path], kind: str, audio_codec: str) -> None:
    result = probe(clips[kind])
    assert result.container == kind
    assert (result.video_codec, result.width, result.height) == ("h264", 160, 120)
    assert result.frames == 250 and result.keyframes == 10
    assert result.duration == Fraction(10)
    assert result.has_audio and result.dropped_streams == (f"audio:{audio_codec}",)


def test_a_silent_clip_has_no_audio(clips: dict[str, Path]) -> None:
    result = probe(clips["silent"])
    assert not result.has_audio and result.dropped_streams == ()


@pytest.mark.parametrize("name", ["notes.txt", "notes.mp4"])
def test_a_text_file_is_not_a_video(tmp_path: Path, name: str) -> None:
    # FFmpeg opens a .txt as "tty" (ANSI art) with a video stream: the container check refuses it.
    path = tmp_path / name
    path.write_text("회의록\n" * 200)
    with pytest.raises(FootageRejected, match=rf"{path}: not a video file"):
        probe(path)


def test_random_bytes_are_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(FootageRejected, match=rf"{path}: not a video file"):
        probe(path)


def test_an_mp4_cut_before_its_index_is_truncated(clips: dict[str, Path], tmp_path: Path) -> None:
    path = cut(clips["mp4"], tmp_path / "cut.mp4", 0.6)  # PyAV writes the moov at the end
    with pytest.raises(FootageRejected, match=rf"{path}: truncated MP4: its index \(moov box\) is missing"):
        probe(path)


def test_an_mp4_with_its_index_first_cut_short_is_truncated(tmp_path: Path) -> None:
    import av

    source = write_clip(tmp_path / "source.mp4")
    faststart = tmp_path / "faststart.mp4"
    with av.open(str(source)) as inp, av.open(str(faststart), "w", options={"movflags": "+faststart"}) as out:
        video = out.add_stream_from_template(inp.streams.video[0])
        for packet in inp.demux(inp.streams.video[0]):
            if packet.dts is not None:
                packet.stream = video
                out.mux(packet)
    path = cut(faststart, tmp_path / "cut.mp4", 0.6)
    with pytest.raises(
        FootageRejected, match=rf"{path}: truncated: \d+ of the 250 video frames its header declares"
    ):
        probe(path)


def test_a_cut_matroska_file_is_truncated(clips: dict[str, Path], tmp_path: Path) -> None:
    path = cut(clips["matroska"], tmp_path / "cut.mkv", 0.6)
    with pytest.raises(
        FootageRejected, match=rf"{path}: truncated: video ends at .* of the 10.0\d s its header declares"
    ):
        probe(path)


def test_audio_alone_is_refused(tmp_path: Path) -> None:
    path = write_audio_only(tmp_path / "voice.m4a")
    with pytest.raises(FootageRejected, match=rf"{path}: contains no video stream"):
        probe(path)


def test_a_codec_that_would_need_re_encoding_is_refused(tmp_path: Path) -> None:
    path = write_clip(tmp_path / "old.mp4", seconds=1, codec="mpeg4", audio=None)
    with pytest.raises(
        FootageRejected, match=rf"{path}: video codec 'mpeg4' cannot be stored without re-encoding"
    ):
        probe(path)


def test_a_file_above_the_limit_is_refused_before_it_is_opened(clips: dict[str, Path]) -> None:
    size = clips["mp4"].stat().st_size
    with pytest.raises(FootageRejected, match=rf"file is {size} bytes, above the limit of 1000 bytes"):
        probe(clips["mp4"], max_bytes=1000)


def test_empty_and_missing_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(FootageRejected, match="empty.mp4: file is empty"):
        probe(tmp_path / "empty.mp4")
    with pytest.raises(FootageRejected, match="absent.mp4: no such file"):
        probe(tmp_path / "absent.mp4")


def test_a_refusal_is_an_engine_input_error(tmp_path: Path) -> None:
    # Callers that already handle the masking engine's unreadable input handle ours the same way.
    with pytest.raises(InputError):
        probe(tmp_path / "absent.mp4")
