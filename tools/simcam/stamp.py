"""A frame index burnt into the picture: the simulated camera's clock, readable from any decoded frame.

A scene is encoded once into a loop (see `scenes`), so the picture cannot carry the wall time at which it
is sent; it carries its *index in the loop* instead, and the camera that replays it knows when it sent
frame k of cycle c (`rtsp.SimulatedCamera.sent_at`). With a loop much longer than any latency measured,
the latest sending of that index before "now" is the one on screen: latency = now − that time.

The stamp is a row of `BLOCKS` square blocks across the top of the picture, each black or white:

    [white][black][16 bits of the index, most significant first][even parity][black]

Blocks are `width // BLOCKS` pixels wide (16 px at 320×180, 32 px at 640×360), aligned on H.264's 16×16
macroblocks, flat black (luma 16) and white (235): the encoder keeps them at any bitrate a camera would
use. A reader takes the mean of each block's central half and thresholds it half-way between the
white and black guard blocks; the parity bit rejects a frame the encoder smeared (a scene change).
The same block means are computed in the browser (tests/browser/test_live_wall.py, bench/live_wall)
from the <video> drawn to a canvas, and decoded here by `decode_levels`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BLOCKS = 20
BITS = 16
BLACK, WHITE = 16, 235  # video-range luma


def block_size(width: int) -> int:
    size = width // BLOCKS // 16 * 16
    if size < 16:
        raise ValueError(f"a stamped picture is at least {BLOCKS * 16} pixels wide (got {width})")
    return size


def _pattern(index: int) -> list[bool]:
    if not 0 <= index < 1 << BITS:
        raise ValueError(f"frame index {index} does not fit in {BITS} bits")
    bits = [bool(index >> (BITS - 1 - n) & 1) for n in range(BITS)]
    return [True, False, *bits, sum(bits) % 2 == 1, False]


def burn(luma: np.ndarray, index: int) -> None:
    """Draw the stamp of ``index`` into the top rows of a luma plane (H×W) or RGB image (H×W×3), in place."""
    size = block_size(luma.shape[1])
    for n, white in enumerate(_pattern(index)):
        luma[:size, n * size : (n + 1) * size] = WHITE if white else BLACK


def levels(luma: np.ndarray) -> list[float]:
    """The mean brightness of each block's central half (what the browser computes from a canvas)."""
    size = block_size(luma.shape[1])
    lo, hi = size // 4, size - size // 4
    return [float(luma[lo:hi, n * size + lo : n * size + hi].mean()) for n in range(BLOCKS)]


def decode_levels(values: Sequence[float]) -> int | None:
    """The frame index from the blocks' brightness, or None when the row is not a stamp."""
    if len(values) != BLOCKS:
        return None
    white, black = values[0], values[1]
    if white - black < 80:  # no contrast between the guards: not a stamp (or not decoded yet)
        return None
    threshold = (white + black) / 2
    bits = [v > threshold for v in values]
    if bits[-1]:
        return None
    data = bits[2 : 2 + BITS]
    if (sum(data) % 2 == 1) != bits[2 + BITS]:
        return None
    return sum(1 << (BITS - 1 - n) for n, bit in enumerate(data) if bit)


def read(luma: np.ndarray) -> int | None:
    """The frame index stamped on a decoded picture's luma plane (or an RGB image's mean), or None."""
    if luma.ndim == 3:
        luma = luma.mean(axis=2)
    return decode_levels(levels(luma))


# For Playwright's page.evaluate: every <video> of the page (or of `selector`) drawn to a canvas at its
# own size (same origin: the canvas is not tainted), the block means of its stamp row as `levels`
# computes them, with the browser's clock (ms) and the player's media time. A video without a picture
# yet gives null.
BROWSER_LEVELS_JS = f"""(selector) => {{
    const out = [];
    const canvas = window.__jikimiStamp || (window.__jikimiStamp = document.createElement("canvas"));
    for (const video of document.querySelectorAll(selector || "video")) {{
        const width = video.videoWidth;
        const size = Math.floor(width / {BLOCKS} / 16) * 16;
        if (!width || size < 16 || video.readyState < 2) {{ out.push(null); continue; }}
        canvas.width = width;
        canvas.height = size;
        const context = canvas.getContext("2d", {{ willReadFrequently: true }});
        context.drawImage(video, 0, 0);
        const now = Date.now();
        const data = context.getImageData(0, 0, width, size).data;
        const lo = Math.floor(size / 4), hi = size - lo;
        const levels = [];
        for (let n = 0; n < {BLOCKS}; n++) {{
            let sum = 0, count = 0;
            for (let y = lo; y < hi; y++) {{
                for (let x = n * size + lo; x < n * size + hi; x++) {{
                    const i = (y * width + x) * 4;
                    sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
                    count++;
                }}
            }}
            levels.push(sum / count);
        }}
        out.push({{ now, levels, media: video.currentTime, paused: video.paused }});
    }}
    return out;
}}"""
