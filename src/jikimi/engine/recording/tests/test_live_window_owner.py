"""One camera's live window has one writer: during a hand-back between recorder nodes two recorders of
the camera run at once (vault.actions.leases); the newer takes the window, the older neither writes
into it nor deletes it when it stops — and takes it back when the newer one went away first (issue 18).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av

from jikimi.engine.recording.live import INDEX, OWNER, LivePublisher
from jikimi.engine.synthetic import write_clip

T0 = datetime(2026, 11, 23, tzinfo=UTC)


def _feed(publisher: LivePublisher, clip: Path) -> None:
    """Every video packet of `clip`, as a recorder hands them over, on one connection."""
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        publisher.open(stream)
        for packet in container.demux(stream):
            if packet.pts is not None:
                seconds = float(packet.pts * (stream.time_base or 0))
                publisher.push(packet, T0 + timedelta(seconds=seconds))
        publisher.close()


def _msns(directory: Path) -> list[int]:
    return [s["msn"] for s in json.loads((directory / INDEX).read_text())["segments"]]


def test_the_newer_recorder_owns_the_window_and_the_older_one_leaves_it_alone(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", width=64, height=48, fps=10, seconds=4, audio=None)
    live = tmp_path / "live"
    giver = LivePublisher(live, "dev-1", part_seconds=0.5)
    _feed(giver, clip)
    window = live / "dev-1"
    assert (window / OWNER).read_text() == giver.token and _msns(window)
    taker = LivePublisher(live, "dev-1", part_seconds=0.5)  # the hand-back's taker starts
    assert (window / OWNER).read_text() == taker.token and not (window / INDEX).exists()
    _feed(giver, clip)  # the giver still records: it writes nothing into the taker's window
    assert not (window / INDEX).exists()
    _feed(taker, clip)
    written = sorted(p.name for p in window.iterdir())
    giver.remove()  # the giver stops: the taker's window stays on the wall
    assert sorted(p.name for p in window.iterdir()) == written
    assert _msns(window) == list(range(len(_msns(window))))
    taker.remove()
    assert not window.exists()


def test_an_older_recorder_takes_the_window_back_when_the_newer_one_went_away(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", width=64, height=48, fps=10, seconds=4, audio=None)
    live = tmp_path / "live"
    giver = LivePublisher(live, "dev-1", part_seconds=0.5)
    _feed(giver, clip)
    taker = LivePublisher(live, "dev-1", part_seconds=0.5)
    taker.remove()  # a hand-back that did not complete: the taker stops first
    _feed(giver, clip)  # the giver, still recording, publishes again
    window = live / "dev-1"
    assert (window / OWNER).read_text() == giver.token
    index = json.loads((window / INDEX).read_text())
    assert index["segments"] and all((window / s["init"]).exists() for s in index["segments"])
    for segment in index["segments"]:
        assert all((window / f"{segment['msn']}.{n}.m4s").exists() for n in range(len(segment["parts"])))
