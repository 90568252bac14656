"""R9 (촬영시간): a segment is cut down to the recording hours by remuxing at keyframes; nothing outside
them is kept (10 s clips at 25 fps with a keyframe every second, from the shared conftest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jikimi.engine.footage import DataKey, FootageStore, ingest_file, keep_within, segment_file
from jikimi.engine.synthetic import decoded_frames, stream_types

T = datetime(2025, 5, 12, 7, 59, 55, tzinfo=UTC)


def s(seconds: float) -> datetime:
    return T + timedelta(seconds=seconds)


@pytest.mark.parametrize("clip", ["silent", "bframes"])
def test_R9_a_segment_across_the_start_of_the_hours_keeps_only_what_follows_the_first_keyframe_inside(
    clips: dict[str, Path], clip: str
) -> None:
    [segment] = segment_file(clips[clip], T, segment_seconds=60).segments
    [part] = keep_within(segment, [(s(5.5), s(60))])
    # The first keyframe at or after 5.5 s (every second, or sooner where x264 saw a scene cut).
    assert s(5.5) <= part.start <= s(6) and part.end == segment.end
    assert decoded_frames(part.data) == part.frames == round((part.end - part.start).total_seconds() * 25)
    assert stream_types(part.data) == ["video"]


@pytest.mark.parametrize("clip", ["silent", "bframes"])
def test_R9_a_segment_across_the_end_of_the_hours_keeps_no_frame_that_ends_after_it(
    clips: dict[str, Path], clip: str
) -> None:
    [segment] = segment_file(clips[clip], T, segment_seconds=60).segments
    [part] = keep_within(segment, [(s(-60), s(5))])
    assert part.start == segment.start and part.end <= s(5)
    assert decoded_frames(part.data) == part.frames > 0


def test_R9_a_segment_with_two_windows_keeps_two_parts_and_nothing_between(clips: dict[str, Path]) -> None:
    [segment] = segment_file(clips["silent"], T, segment_seconds=60).segments
    first, second = keep_within(segment, [(s(0), s(2)), (s(7), s(9))])
    assert (first.start, first.end, second.start, second.end) == (s(0), s(2), s(7), s(9))
    assert first.frames == second.frames == 50


def test_R9_a_segment_wholly_inside_is_kept_as_it_is_and_one_wholly_outside_gives_nothing(
    clips: dict[str, Path],
) -> None:
    [segment] = segment_file(clips["silent"], T, segment_seconds=60).segments
    assert keep_within(segment, [(s(-1), s(11))]) == [segment]
    assert keep_within(segment, [(s(10), s(20)), (s(-9), s(0))]) == []
    assert keep_within(segment, []) == []


def test_R9_an_ingested_file_stores_only_the_hours_and_reports_the_rest(
    clips: dict[str, Path], store: FootageStore
) -> None:
    keys: dict[object, DataKey] = {}
    report = ingest_file(
        clips["silent"],
        store,
        device="cam-1",
        recording_start=T,
        key_for_day=lambda day: keys.setdefault(day, DataKey.generate(f"day/cam-1/{day}")),
        segment_seconds=4,
        keep=lambda start, end: [(s(5), s(60))],
    )
    assert [(r.start, r.end) for r in report.rows] == [(s(5), s(8)), (s(8), s(10))]
    assert report.dropped == ((s(0), s(5)),)
    assert sorted(store.list("")) == sorted(r.name for r in report.rows)
