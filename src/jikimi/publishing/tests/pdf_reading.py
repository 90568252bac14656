"""Read a PDF back with poppler-utils (pdftotext, pdffonts), as a reader would."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def _with_file(data: bytes, command: list[str]) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "out.pdf"
        path.write_bytes(data)
        return subprocess.run(
            [*command, str(path), *(["-"] if command[0] == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_text(data: bytes) -> str:
    return _with_file(data, ["pdftotext", "-raw"])


def pdf_fonts(data: bytes) -> list[dict[str, str]]:
    """Rows of pdffonts: name, type, emb (yes/no)."""
    lines = _with_file(data, ["pdffonts"]).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type [encoding…] emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "uni": parts[-3]})
    return rows


def squeeze(text: str) -> str:
    return "".join(text.split())


def pdf_layout_lines(data: bytes) -> list[str]:
    """The PDF's text as laid out on the page (pdftotext -layout): one string per printed line."""
    return _with_file(data, ["pdftotext", "-layout"]).splitlines()
