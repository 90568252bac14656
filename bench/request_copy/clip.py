"""The 10-minute 1080p footage: scenes of bench/masking's builder, joined without re-encoding.

The builder makes 20 s scenes (faces of 20–300 px walking, entering, standing, leaving; ~1 min of
CPU each), so a 10-minute window is its scenes of seeds that no design was tuned on (101, 202,
303; bench.masking tunes and checks on 20261123, 7 and 11) played one after another, 30 scenes in
all. At 15 fps every other frame of one cycle of the three scenes is kept (re-encoded once, x264
veryfast CRF 18) and the cycle repeated.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
from bench.masking.scene import FRAMES, build

SEEDS = (101, 202, 303)


def joined(directory: Path, minutes: int, fps: int) -> Path:
    """``minutes`` of 1920×1080 footage at ``fps`` (30, or 15 from the same frames), built once."""
    target = directory / f"window-{minutes}min-{fps}fps.mp4"
    if target.is_file():
        return target
    scenes = [build(directory, seed)[0] for seed in SEEDS]
    count = minutes * 60 * 30 // FRAMES
    full = directory / f"window-{minutes}min-30fps.mp4"
    if fps == 30 and not full.is_file():
        _concat([scenes[i % len(scenes)] for i in range(count)], full)
    if fps == 30:
        return full
    if 30 % fps:
        raise SystemExit(f"--fps {fps}: 30 must be a multiple of it")
    # One cycle of the scenes (a minute) keeps every other frame; the window repeats the cycle.
    cycle = directory / f"cycle-{fps}fps.mp4"
    if not cycle.is_file():
        whole = directory / "cycle-30fps.mp4"
        _concat(scenes, whole)
        _decimate(whole, cycle, 30 // fps)
    _concat([cycle] * (count // len(scenes)), target)
    return target


def _concat(parts: list[Path], target: Path) -> None:
    tmp = target.with_suffix(".part.mp4")
    with av.open(str(tmp), "w") as out:
        stream = None
        offset = 0
        for part in parts:
            with av.open(str(part)) as src:
                video = src.streams.video[0]
                if stream is None:
                    stream = out.add_stream_from_template(video)
                last = 0
                for packet in src.demux(video):
                    if packet.dts is None:
                        continue
                    assert packet.pts is not None
                    last = max(last, packet.pts + (packet.duration or 0))
                    packet.pts += offset
                    packet.dts += offset
                    packet.stream = stream
                    out.mux(packet)
                offset += last
    tmp.replace(target)


def _decimate(source: Path, target: Path, step: int) -> None:
    tmp = target.with_suffix(".part.mp4")
    with av.open(str(source)) as src, av.open(str(tmp), "w") as out:
        rate = Fraction(30, step)
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "18"}
        n = 0
        for index, frame in enumerate(src.decode(video=0)):
            if index % step:
                continue
            frame.pts, frame.time_base = n, 1 / rate
            frame.pict_type = av.video.frame.PictureType.NONE
            n += 1
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    tmp.replace(target)
