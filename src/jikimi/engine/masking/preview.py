"""Review aid: a contact sheet of sampled frames with each mask track's box and id drawn."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from jikimi.engine.masking.media import atomic_output, open_input, video_info
from jikimi.engine.masking.output_paths import check_output
from jikimi.engine.masking.pipeline import load_tracks, resolve_subject, run_frames
from jikimi.engine.masking.spec import MaskSpec
from jikimi.engine.masking.tracking import FrameMask

THUMB_WIDTH = 480
COLUMNS = 4
RED, GREEN, GREY, WHITE = (230, 40, 40), (40, 220, 60), (150, 150, 150), (255, 255, 255)

# 3×5 digit glyphs, one string of 15 bits per digit, row by row.
_DIGITS = [
    "111101101101111", "010110010010111", "111001111100111", "111001111001111", "101101111001001",
    "111100111001111", "111100111101111", "111001001001001", "111101111101111", "111101111001111",
]  # fmt: skip


@dataclass(frozen=True)
class PreviewResult:
    path: Path
    samples: int
    track_ids: list[int]
    subject_track: int | None


def write_preview(
    source: str | Path,
    output: str | Path,
    spec: MaskSpec | None = None,
    *,
    tracks_file: str | Path | None = None,
    samples: int = 12,
) -> PreviewResult:
    spec = spec or MaskSpec()
    check_output([Path(source)], [Path(output)])
    container = open_input(source)
    try:
        info = video_info(container)
    finally:
        container.close()
    total = info.frames or samples * 30
    wanted = {int(i) for i in np.linspace(0, max(total - 1, 0), num=max(1, samples))}
    scale = min(1.0, THUMB_WIDTH / info.width)
    tw, th = int(info.width * scale) // 2 * 2, int(info.height * scale) // 2 * 2
    thumbs: dict[int, tuple[npt.NDArray[Any], list[FrameMask]]] = {}

    def sink(frame: av.VideoFrame, index: int, masks: list[FrameMask]) -> None:
        if index in wanted:
            thumbs[index] = (frame.reformat(tw, th, format="rgb24").to_ndarray(), masks)

    given = load_tracks(tracks_file, source) if tracks_file else None
    analysis = run_frames(source, spec, sink, tracks=given, sink_thread=False)
    subject = resolve_subject(spec, analysis.tracker) if spec.subject else None
    dropped = spec.dropped_tracks()
    tiles = []
    for index in sorted(thumbs):
        image, masks = thumbs[index]
        image = image.copy()
        for mask in masks:
            colour = GREEN if mask.track_id == subject else GREY if mask.track_id in dropped else RED
            box = [int(v * scale) for v in mask.box]
            _rectangle(image, box, colour)
            _text(image, str(mask.track_id), box[0] + 2, max(0, box[1] - 12), colour)
        _text(image, str(index), 4, 4, WHITE)
        tiles.append(image)
    sheet = _sheet(tiles, tw, th)
    with atomic_output(output, ".png") as tmp:
        _write_png(sheet, tmp)
    return PreviewResult(
        Path(output), len(tiles), sorted(t.track_id for t in analysis.tracker.tracks), subject
    )


def _sheet(tiles: list[npt.NDArray[np.uint8]], tw: int, th: int) -> npt.NDArray[np.uint8]:
    cols = min(COLUMNS, max(1, len(tiles)))
    rows = -(-len(tiles) // cols)
    gap = 4
    sheet = np.full((rows * (th + gap) + gap, cols * (tw + gap) + gap, 3), 32, np.uint8)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        y, x = gap + r * (th + gap), gap + c * (tw + gap)
        sheet[y : y + th, x : x + tw] = tile
    if sheet.shape[0] % 2 or sheet.shape[1] % 2:
        sheet = sheet[: sheet.shape[0] // 2 * 2, : sheet.shape[1] // 2 * 2]
    return sheet


def _rectangle(image: npt.NDArray[np.uint8], box: list[int], colour: tuple[int, int, int]) -> None:
    h, w = image.shape[:2]
    x1, y1 = max(0, box[0]), max(0, box[1])
    x2, y2 = min(w - 1, box[2]), min(h - 1, box[3])
    if x2 <= x1 or y2 <= y1:
        return
    for t in range(2):
        image[min(y1 + t, h - 1), x1 : x2 + 1] = colour
        image[max(y2 - t, 0), x1 : x2 + 1] = colour
        image[y1 : y2 + 1, min(x1 + t, w - 1)] = colour
        image[y1 : y2 + 1, max(x2 - t, 0)] = colour


def _text(
    image: npt.NDArray[np.uint8], text: str, x: int, y: int, colour: tuple[int, int, int], scale: int = 2
) -> None:
    h, w = image.shape[:2]
    for n, char in enumerate(text):
        if not char.isdigit():
            continue
        bits = _DIGITS[int(char)]
        left = x + n * 4 * scale
        image[max(0, y - 1) : min(h, y + 5 * scale + 1), max(0, left - 1) : min(w, left + 3 * scale + 1)] = 0
        for i, bit in enumerate(bits):
            if bit == "1":
                r, c = divmod(i, 3)
                top, lft = y + r * scale, left + c * scale
                if 0 <= top < h and 0 <= lft < w:
                    image[top : top + scale, lft : lft + scale] = colour


def _write_png(rgb: npt.NDArray[np.uint8], path: Path) -> None:
    codec = av.CodecContext.create("png", "w")
    codec.width, codec.height = rgb.shape[1], rgb.shape[0]
    codec.pix_fmt = "rgb24"
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
    data = b"".join(bytes(p) for p in codec.encode(frame)) + b"".join(bytes(p) for p in codec.encode(None))
    path.write_bytes(data)
