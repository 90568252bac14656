"""PDF output through WeasyPrint with an embedded Korean font (Debian's fonts-nanum).

The font is named by an @font-face with a file:// URL, so WeasyPrint embeds (a subset of) that very
file and the PDF shows the same glyphs on every reader. Characters the font lacks are replaced by a
look-alike it has (e.g. '‧' U+2027 → '·'), and `uncovered_characters` lets tests prove that nothing
is left to show as tofu (no missing glyphs).
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

FONT_ENV = "JIKIMI_PDF_FONT"
FONT_BOLD_ENV = "JIKIMI_PDF_FONT_BOLD"
FONT_DIRS = (
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts/nanum",
    "/usr/local/share/fonts",
    str(Path.home() / ".local/share/fonts"),
)
REGULAR_NAMES = ("NanumGothic.ttf", "NanumBarunGothic.ttf")
BOLD_NAMES = ("NanumGothicBold.ttf", "NanumBarunGothicBold.ttf")

# Look-alikes for characters the seeds use that NanumGothic has no glyph for.
SUBSTITUTES = {
    "\u2027": "\u00b7",  # ‧ hyphenation point → · (운영‧관리)
    "\u2024": "\u00b7",  # ․ one dot leader → ·
    "\u2219": "\u00b7",  # ∙
    "\u2610": "\u25a1",  # ☐ → □
    "\u2611": "\u25a0",  # ☑ → ■
    "\u00a0": " ",
    "\uff65": "\u00b7",  # ･ halfwidth katakana middle dot → · (범죄수사･공소유지)
    "\u30fb": "\u00b7",  # ・
    # ⓵…⓾ double circled digits (금천구 "⓶") → ①…⑩
    **{chr(0x24F5 + i): chr(0x2460 + i) for i in range(10)},
}


class FontMissing(RuntimeError):
    """No Korean font to embed: PDFs would show empty boxes instead of Hangul."""


def _find(names: tuple[str, ...], env: str) -> Path | None:
    configured = os.environ.get(env, "")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontMissing(f"{env}={configured}: 글꼴 파일이 없습니다")
        return path
    for directory in FONT_DIRS:
        for name in names:
            path = Path(directory) / name
            if path.is_file():
                return path
    return None


@lru_cache(maxsize=1)
def korean_fonts() -> tuple[Path, Path]:
    """(regular, bold) TTF files to embed; bold falls back to regular."""
    regular = _find(REGULAR_NAMES, FONT_ENV)
    if regular is None:
        raise FontMissing(
            "PDF에 넣을 한글 글꼴(NanumGothic.ttf)을 찾을 수 없습니다. Debian 패키지 fonts-nanum을 설치하거나 "
            f"{FONT_ENV}에 TTF 파일 경로를 지정하세요 (찾아본 곳: {', '.join(FONT_DIRS)})"
        )
    bold = _find(BOLD_NAMES, FONT_BOLD_ENV) or regular
    return regular, bold


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap().keys())


def uncovered_characters(text: str) -> set[str]:
    """Characters of `text` (after substitution) that the embedded font cannot show: would print as tofu."""
    regular, _bold = korean_fonts()
    covered = _cmap(regular)
    shown = substitute(text)
    return {ch for ch in shown if not ch.isspace() and ord(ch) not in covered}


def substitute(text: str) -> str:
    """Replace what the font cannot show by a look-alike it can: the table above, else the NFKC form."""
    regular, _bold = korean_fonts()
    covered = _cmap(regular)
    text = text.translate(_TRANSLATION)
    if all(ord(ch) in covered or ch.isspace() for ch in set(text)):
        return text
    return "".join(_look_alike(ch, covered) for ch in text)


_TRANSLATION = str.maketrans(SUBSTITUTES)


def _look_alike(ch: str, covered: frozenset[int]) -> str:
    if ord(ch) in covered or ch.isspace():
        return ch
    normal = unicodedata.normalize("NFKC", ch)
    if normal and all(ord(c) in covered for c in normal):
        return normal
    return ch


def font_face_css() -> str:
    regular, bold = korean_fonts()
    return (
        "@font-face { font-family: 'JikimiKorean'; font-weight: normal; "
        f"src: url('{regular.as_uri()}') format('truetype'); }}\n"
        "@font-face { font-family: 'JikimiKorean'; font-weight: bold; "
        f"src: url('{bold.as_uri()}') format('truetype'); }}\n"
    )


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a print template (it extends lib/print/base.html) to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "font_face_css": font_face_css()})
    pdf: bytes = HTML(string=substitute(html), base_url=str(Path.cwd())).write_pdf()
    return pdf
