"""Burned-in watermark text (case number, recipient, time), rendered once and blended per frame."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from jikimi.engine.masking.spec import WatermarkSpec
from jikimi.engine.masking.styles import Planes

# Hangul first: case numbers and recipients are usually Korean.
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"),
    Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


@dataclass(frozen=True)
class Overlay:
    top: int
    left: int
    y: npt.NDArray[Any]
    u: npt.NDArray[Any]
    v: npt.NDArray[Any]
    alpha: npt.NDArray[Any]
    alpha_c: npt.NDArray[Any]

    def blend(self, planes: Planes) -> None:
        h, w = self.y.shape
        region = planes[0][self.top : self.top + h, self.left : self.left + w]
        region[:] = (region * (1 - self.alpha) + self.y * self.alpha + 0.5).astype(np.uint8)
        ct, cl = self.top // 2, self.left // 2
        for plane, value in ((planes[1], self.u), (planes[2], self.v)):
            ch, cw = value.shape
            sub = plane[ct : ct + ch, cl : cl + cw]
            sub[:] = (sub * (1 - self.alpha_c) + value * self.alpha_c + 0.5).astype(np.uint8)


def render_overlay(spec: WatermarkSpec, width: int, height: int) -> Overlay:
    from PIL import Image, ImageDraw, ImageFont

    size = max(10, int(height * spec.size))
    font_path = next((p for p in FONT_CANDIDATES if p.is_file()), None)
    font = ImageFont.truetype(str(font_path), size) if font_path else ImageFont.load_default(size)
    pad = max(2, size // 4)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    widths = [int(probe.textlength(line, font=font)) for line in spec.lines]
    box_w = min(width, max(widths) + 2 * pad)
    box_h = min(height, len(spec.lines) * (size + pad) + pad)
    box_w, box_h = box_w - box_w % 2, box_h - box_h % 2
    image = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 140))
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(spec.lines):
        draw.text((pad, pad + i * (size + pad)), line, font=font, fill=(255, 255, 255, 255))
    rgba = np.asarray(image, dtype=np.float32)
    r, g, b = rgba[..., 0], rgba[..., 1], rgba[..., 2]
    # BT.709 limited range, as libx264 signals by default for HD.
    y = 16 + (0.1826 * r + 0.6142 * g + 0.0620 * b)
    u = 128 + (-0.1006 * r - 0.3386 * g + 0.4392 * b)
    v = 128 + (0.4392 * r - 0.3989 * g - 0.0403 * b)
    alpha = rgba[..., 3] / 255 * spec.opacity
    margin = max(4, height // 60)
    margin -= margin % 2
    left = margin if spec.position.endswith("left") else width - box_w - margin
    top = margin if spec.position.startswith("top") else height - box_h - margin
    left, top = max(0, left - left % 2), max(0, top - top % 2)

    def half(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
        quarter: npt.NDArray[Any] = (a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]) / 4
        return quarter

    return Overlay(top, left, y, half(u), half(v), alpha, half(alpha))
