"""Remuxing into video-only fragmented-MP4 segments: exact frames, exact times, no audio (법 제25조⑤)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jikimi.engine.footage.errors import FootageRejected
from jikimi.engine.footage.segmenter import iter_segments, segment_file
from jikimi.engine.synthetic import decoded_frames, stream_types, write_clip

from .conftest import video_packets


def annex_b_nals(packet: bytes) -> list[bytes]:
    return [unit for unit in re.split(rb"\x00\x00\x00\x01|\x00\x00\x01", packet) if unit]


def length_prefixed_nals(packet: bytes) -> list[bytes]:
    units, at = [], 0
    while at < len(packet):
        size = int.from_bytes(packet[at : at + 4], "big")
        units.append(packet[at + 4 : at + 4 + size])
        at += 4 + size
    return units


START = datetime(2026, 11, 23, 1, 0, 0, tzinfo=UTC)
KST = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize("kind", ["mp4", "mpegts", "matroska"])
def test_a_clip_with_audio_becomes_video_only_segments_with_every_frame(
    clips: dict[str, Path], kind: str
) -> None:
    result = segment_file(clips[kind], START, segment_seconds=3)
    segments = result.segments
    assert [s.frames for s in segments] == [75, 75, 75, 25]
    assert result.frames == 250
    assert result.had_audio and all(s.had_audio for s in segments)
    for segment in segments:
        assert stream_types(segment.data) == ["video"]  # the audio track is gone
        assert segment.data[4:8] == b"ftyp" and b"moof" in segment.data  # fragmented MP4
    assert sum(decoded_frames(s.data) for s in segments) == 250


@pytest.mark.parametrize("kind", ["mp4", "mpegts", "matroska", "bframes"])
def test_segments_carry_the_cameras_frames_bit_for_bit(clips: dict[str, Path], kind: str) -> None:
    # Remuxed, never re-encoded: the concatenated segments hold exactly the source's video packets.
    segments = segment_file(clips[kind], START, segment_seconds=2).segments
    remuxed = [packet for s in segments for packet in video_packets(s.data)]
    source = video_packets(clips[kind])
    assert len(remuxed) == len(source) == 250
    if kind == "mpegts":  # TS frames H.264 NAL units with start codes, MP4 with lengths: compare the units
        assert [n for p in remuxed for n in length_prefixed_nals(p)] == [
            n for p in source for n in annex_b_nals(p)
        ]
    else:
        assert remuxed == source


def test_wall_clock_times_follow_the_recording_start_and_the_timestamps(clips: dict[str, Path]) -> None:
    segments = segment_file(clips["mp4"], START, segment_seconds=3).segments
    assert [s.start for s in segments] == [START + timedelta(seconds=t) for t in (0, 3, 6, 9)]
    assert [s.end for s in segments] == [START + timedelta(seconds=t) for t in (3, 6, 9, 10)]
    assert all(s.start.tzinfo is UTC for s in segments)
    assert segments[-1].end - segments[0].start == timedelta(seconds=10)


def test_a_local_recording_start_is_stored_as_utc(clips: dict[str, Path]) -> None:
    local = datetime(2026, 11, 23, 10, 0, tzinfo=KST)
    first = segment_file(clips["silent"], local).segments[0]
    assert first.start == datetime(2026, 11, 23, 1, 0, tzinfo=UTC) and first.start.tzinfo is UTC


def test_the_default_is_one_minute_segments(clips: dict[str, Path]) -> None:
    segments = segment_file(clips["mp4"], START).segments
    assert len(segments) == 1 and segments[0].frames == 250
    assert segments[0].duration == timedelta(seconds=10)


def test_cuts_fall_on_keyframes_even_when_they_are_irregular(clips: dict[str, Path]) -> None:
    segments = segment_file(clips["bframes"], START, segment_seconds=3).segments
    assert sum(s.frames for s in segments) == 250
    assert all(s.duration >= timedelta(seconds=3) for s in segments[:-1])
    assert all(a.end == b.start for a, b in zip(segments, segments[1:], strict=False))
    assert sum(decoded_frames(s.data) for s in segments) == 250


def test_a_new_day_starts_a_new_segment_so_each_belongs_to_one_day_key(clips: dict[str, Path]) -> None:
    # 23:59:57 KST: the minute-long segment is cut at the first keyframe of the new day.
    start = datetime(2026, 11, 23, 23, 59, 57, tzinfo=KST)
    segments = segment_file(clips["mp4"], start, day_zone=KST).segments
    assert [s.frames for s in segments] == [75, 175]
    assert [s.start.astimezone(KST).date().day for s in segments] == [23, 24]
    assert segments[1].start == datetime(2026, 11, 24, 0, 0, tzinfo=KST)


def test_hevc_is_remuxed_too_and_tagged_for_safari(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "hevc.ts", seconds=4, codec="libx265", container="mpegts", audio="mp2")
    result = segment_file(clip, START, segment_seconds=2)
    assert result.probe.video_codec == "hevc" and result.had_audio
    assert [s.frames for s in result.segments] == [50, 50]
    for segment in result.segments:
        assert stream_types(segment.data) == ["video"]
        assert b"hvc1" in segment.data[:2000] and b"hev1" not in segment.data[:2000]
        assert decoded_frames(segment.data) == 50


def test_a_silent_clip_reports_no_audio(clips: dict[str, Path]) -> None:
    result = segment_file(clips["silent"], START, segment_seconds=5)
    assert not result.had_audio and not any(s.had_audio for s in result.segments)


def test_a_refused_file_yields_no_segment(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not footage\n" * 50)
    produced = []
    with pytest.raises(FootageRejected, match="not a video file"):
        produced.extend(iter_segments(path, START))
    assert produced == []


def test_a_naive_recording_start_is_refused(clips: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next(iter_segments(clips["mp4"], datetime(2026, 11, 23, 10, 0)))
