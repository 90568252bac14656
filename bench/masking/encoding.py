"""The masked clip's encoder settings: size against the input, CPU per frame, quality outside the masks.

    .venv/bin/python -m bench.masking.encoding [--frames 150] [--presets ...] [--crfs ...]

For each clip, the masked frames are made once (jikimi's default spec: thorough, mosaic) and kept
losslessly; each libx264 preset × CRF then encodes those same frames with the engine's own
``H264Writer``. Figures per setting:

- size ratio: output bytes / the input's bytes for the same frames (sum of its packets);
- encode CPU ms per frame (user + system of this process, x264's threads included, decoding of
  the lossless reference subtracted);
- PSNR of the luma outside the masks against the masked reference (pixels the mask changed,
  grown by 8 px, are left out: what the masks hide is not "quality");
- the H.264 profile x264 actually wrote.

Writes bench/results/masking-encoding.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
from av.video.frame import PictureType
from bench.masking.scene import REPO, TESTDATA

from jikimi.engine.masking.media import H264Writer, open_input, playback_facts, video_info
from jikimi.engine.masking.pipeline import run_frames
from jikimi.engine.masking.render import Renderer
from jikimi.engine.masking.spec import MaskSpec

WORK = REPO / "var" / "bench" / "encoding"
RESULTS = REPO / "bench" / "results" / "masking-encoding.json"


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def source_bytes(path: Path, frames: int) -> int:
    """Bytes of the input's first ``frames`` video packets (the whole file's share for those frames)."""
    with av.open(str(path)) as container:
        sizes = [p.size for p in container.demux(container.streams.video[0]) if p.size]
    return sum(sizes[:frames])


def reference(source: Path, frames: int) -> tuple[Path, Path]:
    """The masked frames, losslessly, and the source's own frames, losslessly (both yuv420p)."""
    masked, plain = WORK / f"{source.stem}.masked.mkv", WORK / f"{source.stem}.plain.mkv"
    if masked.is_file() and plain.is_file():
        return masked, plain
    WORK.mkdir(parents=True, exist_ok=True)
    spec = MaskSpec()
    container = open_input(source)
    info = video_info(container)
    container.close()
    renderer = Renderer(spec, info, None)
    outs = []
    for path in (masked, plain):
        out = av.open(str(path), "w")
        stream = out.add_stream("ffv1", rate=info.rate)
        stream.width, stream.height, stream.pix_fmt = info.width, info.height, "yuv420p"
        outs.append((out, stream))
    count = 0

    class Enough(Exception):
        pass

    def sink(frame: av.VideoFrame, index: int, masks: list) -> None:  # type: ignore[type-arg]
        nonlocal count
        if count >= frames:
            raise Enough
        original = av.VideoFrame.from_ndarray(frame.to_ndarray(), format="yuv420p")
        renderer.render(frame, index, masks)
        for (out, stream), f in zip(outs, (frame, original), strict=True):
            f.pts = None
            for packet in stream.encode(av.VideoFrame.from_ndarray(f.to_ndarray(), format="yuv420p")):
                out.mux(packet)
        count += 1

    with contextlib.suppress(Enough):
        run_frames(source, spec, sink, sink_thread=False)
    for out, stream in outs:
        for packet in stream.encode():
            out.mux(packet)
        out.close()
    return masked, plain


def lumas(path: Path) -> Iterator[np.ndarray]:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="gray")


def outside_masks(masked: np.ndarray, plain: np.ndarray) -> np.ndarray:
    """True where no mask touched the pixel (changed pixels grown to 8 px blocks and one block around)."""
    changed = masked != plain
    h, w = changed.shape
    blocks = changed[: h - h % 8, : w - w % 8].reshape(h // 8, 8, w // 8, 8).any(axis=(1, 3))
    grown = blocks.copy()
    grown[1:] |= blocks[:-1]
    grown[:-1] |= blocks[1:]
    grown[:, 1:] |= grown[:, :-1].copy()
    grown[:, :-1] |= grown[:, 1:].copy()
    full = np.ones_like(changed)
    full[: h - h % 8, : w - w % 8] = grown.repeat(8, 0).repeat(8, 1)
    return ~full


def decode_cpu_ms(reference_path: Path) -> float:
    started, n = cpu(), 0
    container = open_input(reference_path)
    for _ in container.decode(video=0):
        n += 1
    container.close()
    return 1000 * (cpu() - started) / max(1, n)


def encode(reference_path: Path, out: Path, preset: str, crf: int, decode_ms: float) -> dict[str, object]:
    container = open_input(reference_path)
    info = video_info(container)
    writer = H264Writer(out, info, preset, crf)
    started, wall, n = cpu(), time.perf_counter(), 0
    for frame in container.decode(video=0):
        # FFV1 frames are all intra: x264 must choose frame types itself, as in the pipeline.
        frame.pict_type = PictureType.NONE
        writer.write(frame)  # the reference's own timestamps: x264's rate control weighs frame durations
        n += 1
    writer.close()
    container.close()
    used, wall = cpu() - started, time.perf_counter() - wall
    return {
        "encode_cpu_ms_per_frame": round(1000 * used / n - decode_ms, 2),
        "profile": writer.profile,
    }


def psnr_outside(out: Path, masked_path: Path, plain_path: Path) -> float:
    err, n = 0.0, 0
    for got, want, plain in zip(lumas(out), lumas(masked_path), lumas(plain_path), strict=True):
        k = outside_masks(want, plain)
        d = got[k].astype(np.float64) - want[k]
        err += float((d * d).sum())
        n += int(k.sum())
    mse = err / max(1, n)
    return round(10 * math.log10(255 * 255 / mse), 2) if mse else math.inf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.masking.encoding")
    parser.add_argument("--frames", type=int, default=150, help="frames of each clip (from its start)")
    parser.add_argument("--presets", default="ultrafast,superfast,veryfast,faster")
    parser.add_argument("--crfs", default="20,23,26")
    parser.add_argument(
        "--clips",
        default=",".join(
            [
                str(TESTDATA / "real-clips" / "one-face-walk.mp4"),
                str(TESTDATA / "real-clips" / "licence-plate.mp4"),
                str(REPO / "var" / "bench" / "scene.mp4"),
            ]
        ),
    )
    args = parser.parse_args(argv)
    rows = []
    for clip in [Path(c) for c in args.clips.split(",") if c]:
        if not clip.is_file():
            print(f"skipping {clip}: not built (python -m bench.masking.scene)")
            continue
        masked_path, plain_path = reference(clip, args.frames)
        frames = sum(1 for _ in lumas(masked_path))
        decode_ms = decode_cpu_ms(masked_path)
        in_bytes = source_bytes(clip, frames)
        for preset in args.presets.split(","):
            for crf in [int(c) for c in args.crfs.split(",")]:
                out = WORK / f"{clip.stem}.{preset}.crf{crf}.mp4"
                row: dict[str, object] = {"clip": clip.name, "frames": frames, "preset": preset, "crf": crf}
                row.update(encode(masked_path, out, preset, crf, decode_ms))
                row["size_ratio"] = round(out.stat().st_size / in_bytes, 3)
                row["psnr_y_outside_masks"] = psnr_outside(out, masked_path, plain_path)
                row["profile_read_back"] = playback_facts(out).profile
                rows.append(row)
                print(
                    f"{clip.name:<22} {preset:<10} crf {crf}: ×{row['size_ratio']:<6} "
                    f"{row['encode_cpu_ms_per_frame']:>6} CPU-ms/frame  PSNR-Y outside masks "
                    f"{row['psnr_y_outside_masks']} dB  {row['profile']}",
                    flush=True,
                )
                out.unlink()
    # Earlier rows of other clips or settings are kept: the table is built up over several runs.
    if RESULTS.is_file():
        done = {(r["clip"], r["preset"], r["crf"]) for r in rows}
        old = json.loads(RESULTS.read_text())["rows"]
        rows = [r for r in old if (r["clip"], r["preset"], r["crf"]) not in done] + rows
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"machine": {"cpus": os.cpu_count(), "load": os.getloadavg()}, "rows": rows}, indent=1)
    )
    print(f"written {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
