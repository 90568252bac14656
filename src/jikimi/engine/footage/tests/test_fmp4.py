"""Splitting a segment into its init part and timed fragments: what HLS playback serves (EXT-X-MAP + media)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jikimi.engine.footage import Fmp4Error, fmp4_layout, init_length, media_bytes, segment_file
from jikimi.engine.synthetic import decoded_frames, write_clip

from .conftest import video_packets

START = datetime(2026, 11, 23, 1, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory) -> list:
    clip = write_clip(tmp_path_factory.mktemp("fmp4") / "clip.mp4", seconds=6, audio="aac")
    return list(segment_file(clip, START, segment_seconds=3).segments)


def test_init_plus_all_fragments_is_the_segment_and_decodes_every_frame(segments: list) -> None:
    for segment in segments:
        layout = fmp4_layout(segment.data)
        init = segment.data[: layout.init_length]
        assert init[4:8] == b"ftyp" and b"moov" in init and b"moof" not in init
        media = media_bytes(segment.data, layout.fragments)
        assert media[4:8] == b"moof"
        # One fragment per keyframe (a keyframe every second): 3 fragments of 1 s each.
        assert [(f.start, f.end) for f in layout.fragments] == [(0, 1), (1, 2), (2, 3)]
        assert layout.duration == (segment.end - segment.start).total_seconds()
        assert decoded_frames(init + media) == segment.frames
        assert video_packets(init + media) == video_packets(segment.data)


def test_a_run_of_fragments_plays_on_its_own_after_the_init_part(segments: list) -> None:
    data = segments[0].data
    layout = fmp4_layout(data)
    run = layout.covering(1.5, 2.2)  # overlaps the second and third fragments only
    assert [float(f.start) for f in run] == [1.0, 2.0]
    clip = data[: layout.init_length] + media_bytes(data, run)
    assert decoded_frames(clip) == 2 * 25
    assert video_packets(clip) == video_packets(data)[25:]
    assert layout.covering(3, 4) == () and media_bytes(data, ()) == b""


def test_the_init_length_is_known_from_the_first_bytes(segments: list) -> None:
    data = segments[1].data
    length = fmp4_layout(data).init_length
    assert init_length(data[: length + 8]) == length
    assert init_length(data[:length]) is None  # the first moof's header is not in sight yet


def test_cut_or_foreign_bytes_are_refused(segments: list, tmp_path: Path) -> None:
    data = segments[0].data
    with pytest.raises(Fmp4Error, match="cut"):
        fmp4_layout(data[:-10])
    with pytest.raises(Fmp4Error):
        fmp4_layout(b"\x00\x00\x00\x10junkjunkjunk")
    whole = write_clip(tmp_path / "plain.mp4", seconds=1, audio=None).read_bytes()
    with pytest.raises(Fmp4Error, match="fragmented"):
        fmp4_layout(whole)  # a progressive MP4 (moov + one mdat) has no fragments
