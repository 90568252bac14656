"""Where a masked clip, preview or package may be written: never over the evidence it was made from.

`mask IN IN` once "succeeded" by renaming the masked output onto the original. The original footage
is evidence (R17–R19: it is destroyed only on its schedule, with a record): an output that is the
input — the same path, a symbolic or hard link to it — or that lies inside a footage store (a
directory the vault marked with STORE_MARKER) is refused before any work.
"""

from __future__ import annotations

import os
from pathlib import Path

from jikimi.engine.errors import InputError
from jikimi.engine.store_marker import STORE_MARKER


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def inside_footage_store(path: Path) -> Path | None:
    """The footage store that `path` would be written into, if any."""
    for directory in path.resolve().parents:
        if (directory / STORE_MARKER).exists():
            return directory
    return None


def check_output(sources: list[Path], outputs: list[Path]) -> None:
    """Refuse, before any work, outputs that would overwrite a source or write into a footage store."""
    for output in outputs:
        for source in sources:
            if _same_file(output, source):
                raise InputError(f"{output}: is the input footage itself; the original is never overwritten")
        store = inside_footage_store(output)
        if store is not None:
            raise InputError(f"{output}: is inside the footage store {store}; write the output elsewhere")
