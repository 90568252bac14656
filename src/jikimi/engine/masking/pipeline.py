"""decode → detect → track → mask → encode, overlapped on two cores.

Three threads: the decoder (FFmpeg decoding, scaling for the detector and the full-frame
detector pass, which needs nothing but the frame), the analyser (the looks around candidates and
tracks, and the tracker) and the encoder (masking and libx264). PyAV and onnxruntime release the
GIL, so the stages run in parallel, each inference on one thread; bounded queues keep memory
flat. Frames wait in the analyser until detections ``lookahead`` frames later are known
(look-ahead back-fill).
"""

from __future__ import annotations

import json
import math
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import av
import numpy as np
from av.video.frame import PictureType

from jikimi.engine.errors import EngineError, InputError, SpecError
from jikimi.engine.masking.analysis import Analyzer, DecodedFrame, FramePreparer
from jikimi.engine.masking.media import (
    H264Writer,
    VideoInfo,
    atomic_output,
    decode_frames,
    open_input,
    video_info,
)
from jikimi.engine.masking.output_paths import check_output
from jikimi.engine.masking.render import Renderer
from jikimi.engine.masking.spec import MaskSpec
from jikimi.engine.masking.tracking import FrameMask, Track, Tracker
from jikimi.engine.version import ENGINE_VERSION

Progress = Callable[[int, int], None]
FrameSink = Callable[[av.VideoFrame, int, list[FrameMask]], None]
_DONE = object()


@dataclass
class MaskResult:
    output: Path
    tracks_file: Path
    frames: int
    width: int
    height: int
    subject_track: int | None
    seconds: float
    detector_runs: int
    # CPU seconds of each stage's thread (decode + detector input scaling, analyse, mask + encode).
    thread_cpu: dict[str, float] = field(default_factory=dict)


@dataclass
class Analysis:
    info: VideoInfo
    tracker: Tracker
    frames: int = 0
    detector_runs: int = 0
    subject_track: int | None = None
    timings: dict[str, float] = field(default_factory=dict)


def make_tracker(spec: MaskSpec) -> Tracker:
    t = spec.tracking
    return Tracker(t.iou_threshold, spec.max_gap(), t.hold, spec.preroll(), t.margin)


def run_frames(
    source: str | Path,
    spec: MaskSpec,
    sink: FrameSink,
    *,
    tracks: list[Track] | None = None,
    progress: Progress | None = None,
    sink_thread: bool = True,
) -> Analysis:
    """Decode every frame, analyse (unless ``tracks`` are given) and hand each final frame to ``sink``."""
    container = open_input(source)
    try:
        info = video_info(container)
        tracker = make_tracker(spec)
        analyzer = None
        preparer = None
        if tracks is None:
            analyzer = Analyzer(spec, info, tracker)
            preparer = FramePreparer(spec, info, analyzer.detector)
        else:
            tracker.tracks = tracks
            tracker.processed_until = math.inf  # type: ignore[assignment]
        result = Analysis(info, tracker)
        _run_threads(
            container, source, info, preparer, analyzer, tracker, sink, progress, result, sink_thread
        )
        result.detector_runs = analyzer.detector_runs if analyzer else 0
        return result
    finally:
        container.close()


def _run_threads(
    container: Any,
    source: str | Path,
    info: VideoInfo,
    preparer: FramePreparer | None,
    analyzer: Analyzer | None,
    tracker: Tracker,
    sink: FrameSink,
    progress: Progress | None,
    result: Analysis,
    sink_thread: bool,
) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []
    # Deep enough that the analyser keeps following tracks while the decoding thread spends a
    # full pass's time (~10 frames' worth) on one frame: 24 frames of 1080p are ~75 MB.
    decoded: queue.Queue[object] = queue.Queue(maxsize=24)
    final: queue.Queue[object] = queue.Queue(maxsize=24)
    total = info.frames

    def put(q: queue.Queue[object], item: object) -> None:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def get(q: queue.Queue[object]) -> object:
        while not stop.is_set():
            try:
                return q.get(timeout=0.1)
            except queue.Empty:
                continue
        return _DONE

    def guarded(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as exc:  # handed to the caller's thread below
                errors.append(exc)
                stop.set()

        return run

    def decode() -> None:
        for index, frame in enumerate(decode_frames(container, source)):
            if stop.is_set():
                return
            put(decoded, preparer.prepare(index, frame) if preparer else DecodedFrame(index, frame))
        put(decoded, _DONE)
        result.timings["cpu_decode"] = time.thread_time()

    def analyse() -> None:
        pending: deque[DecodedFrame] = deque()
        while True:
            item = get(decoded)
            if item is _DONE:
                break
            assert isinstance(item, DecodedFrame)
            if analyzer is not None:
                analyzer.analyse(item)
            item.full_rgb = item.tile_rgb = item.thumb = None
            pending.append(item)
            while pending and tracker.is_final(pending[0].index):
                head = pending.popleft()
                emit(head)
        if stop.is_set():
            return
        tracker.processed_until = math.inf  # type: ignore[assignment]
        while pending:
            emit(pending.popleft())
        result.timings["cpu_analyse"] = time.thread_time() - analyse_started
        if sink_thread:
            put(final, _DONE)

    def emit(item: DecodedFrame) -> None:
        masks = tracker.masks_at(item.index)
        if sink_thread:
            put(final, (item, masks))
        else:
            deliver(item, masks)

    def deliver(item: DecodedFrame, masks: list[FrameMask]) -> None:
        sink(item.frame, item.index, masks)
        result.frames = item.index + 1
        if progress is not None:
            progress(result.frames, max(total, result.frames))

    def consume() -> None:
        while True:
            entry = get(final)
            if entry is _DONE:
                result.timings["cpu_encode"] = time.thread_time()
                return
            item, masks = cast(tuple[DecodedFrame, list[FrameMask]], entry)
            deliver(item, masks)

    started = time.perf_counter()
    analyse_started = time.thread_time()
    threads = [threading.Thread(target=guarded(decode), name="jikimi-decode", daemon=True)]
    if sink_thread:
        threads.append(threading.Thread(target=guarded(consume), name="jikimi-encode", daemon=True))
    for thread in threads:
        thread.start()
    guarded(analyse)()
    for thread in threads:
        thread.join()
    result.timings["wall"] = time.perf_counter() - started
    if errors:
        raise errors[0]


def resolve_subject(spec: MaskSpec, tracker: Tracker) -> int | None:
    """The confirmed subject track, or the track the officer's seed box falls on."""
    subject = spec.subject
    if subject is None:
        return None
    if subject.track_id is not None:
        return subject.track_id
    seed = np.array(subject.box, np.float32)
    best, best_overlap = None, 0.0
    for track in tracker.tracks:
        box = track.box_at(subject.frame, tracker.hold, tracker.preroll)
        if box is None:
            continue
        ix = max(0.0, min(box[2], seed[2]) - max(box[0], seed[0]))
        iy = max(0.0, min(box[3], seed[3]) - max(box[1], seed[1]))
        area = float((box[2] - box[0]) * (box[3] - box[1]))
        overlap = ix * iy / max(area, 1.0)  # share of the track's box inside the seed
        if overlap > best_overlap:
            best, best_overlap = track.track_id, overlap
    if best is None or best_overlap < 0.3:
        raise SpecError(
            f"subject seed on frame {subject.frame} matches no face track; draw the box around the face"
        )
    return best


def mask_video(
    source: str | Path,
    output: str | Path,
    spec: MaskSpec | None = None,
    *,
    tracks_file: str | Path | None = None,
    progress: Progress | None = None,
) -> MaskResult:
    """Mask ``source`` into an H.264 MP4 at ``output``; write the run's tracks beside it."""
    spec = spec or MaskSpec()
    output = Path(output)
    tracks_out = output.with_suffix(".tracks.json")
    check_output([Path(source), *([Path(tracks_file)] if tracks_file else [])], [output, tracks_out])
    started = time.perf_counter()
    given = load_tracks(tracks_file, source) if tracks_file else None
    if given is None and spec.subject is not None and spec.subject.track_id is None:
        # The seed may sit late in the clip: analyse first, then render from the stored tracks.
        first = run_frames(source, spec, lambda f, i, m: None, progress=None, sink_thread=False)
        given = first.tracker.tracks
        subject_track = resolve_subject(spec, first.tracker)
    else:
        subject_track = (
            resolve_subject(spec, make_tracker(spec)) if spec.subject and spec.subject.track_id else None
        )

    with atomic_output(output, ".mp4") as tmp, atomic_output(tracks_out, ".json") as tmp_tracks:
        container = open_input(source)
        try:
            info = video_info(container)
        finally:
            container.close()
        renderer = Renderer(spec, info, subject_track)
        writer = H264Writer(tmp, info, spec.encoder_preset(), spec.encoding.crf)
        try:

            def sink(frame: av.VideoFrame, index: int, masks: list[FrameMask]) -> None:
                renderer.render(frame, index, masks)
                frame.pict_type = PictureType.NONE  # let x264 choose frame types, not the source's
                writer.write(frame)

            analysis = run_frames(source, spec, sink, tracks=given, progress=progress)
            writer.close()
        except BaseException:
            writer.abort()
            raise
        if analysis.frames != writer.frames:
            raise EngineError(f"internal error: {analysis.frames} frames decoded, {writer.frames} written")
        analysis.subject_track = subject_track
        tmp_tracks.write_text(json.dumps(tracks_document(spec, analysis), ensure_ascii=False, indent=1))
    return MaskResult(
        output,
        tracks_out,
        analysis.frames,
        info.width,
        info.height,
        subject_track,
        time.perf_counter() - started,
        analysis.detector_runs,
        {k[4:]: round(v, 2) for k, v in analysis.timings.items() if k.startswith("cpu_")},
    )


def tracks_document(spec: MaskSpec, analysis: Analysis) -> dict[str, object]:
    info = analysis.info
    return {
        "engine": ENGINE_VERSION,
        "video": {"width": info.width, "height": info.height, "frames": analysis.frames},
        "spec": spec.model_dump(mode="json"),
        "subject_track": analysis.subject_track,
        "dropped_tracks": sorted(spec.dropped_tracks()),
        "tracks": [t.to_json() for t in analysis.tracker.tracks],
    }


def load_tracks(path: str | Path, source: str | Path) -> list[Track]:
    """Tracks of an earlier run, to re-render after the officer's corrections without detecting."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        tracks = []
        for t in data["tracks"]:
            det = t["detections"]
            tracks.append(
                Track(
                    int(t["track_id"]),
                    str(t["label"]),
                    [int(d["frame"]) for d in det],
                    [np.array(d["box"], np.float32) for d in det],
                    [float(d["score"]) for d in det],
                )
            )
        video = data["video"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SpecError(f"cannot read tracks file {path}: {exc}") from exc
    container = open_input(source)
    try:
        info = video_info(container)
    finally:
        container.close()
    if (video["width"], video["height"]) != (info.width, info.height):
        raise InputError(f"tracks file {path} was made for a {video['width']}x{video['height']} video")
    return tracks
