"""jikimi.engine — pure video. No Django, no other jikimi package (import-linter keeps it so).

    masking/     mask faces and plates for disclosure, export packages (``python -m jikimi.engine``)
    footage/     footage at rest: probe, segment, encrypt, store, legal-hold copies
    recording/   record live cameras into whole, video-only segments
    errors       the exception hierarchy the three share; version: ``ENGINE_VERSION``
    cli          the command line (``__main__``)
    synthetic    synthetic clips written with PyAV: the one writer for the tests and the benchmarks
    data/models  detector models prepared by ``prepare-models`` (not committed)

Each package keeps its tests in its own ``tests/`` (``jikimi/engine/masking/tests`` …), as every
app does; the repository's ``tests/`` holds only cross-app, browser and benchmark suites.

The masking names load lazily: ``jikimi.engine.footage`` and ``jikimi.engine.recording`` import
``jikimi.engine.errors`` and should not pay for onnxruntime and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from jikimi.engine.errors import EngineError, InputError, ModelError, PackageError, SpecError
from jikimi.engine.version import ENGINE_VERSION

if TYPE_CHECKING:
    from jikimi.engine.masking.pipeline import MaskResult, mask_video
    from jikimi.engine.masking.spec import MaskSpec, load_spec, parse_spec

_LAZY = {
    "MaskResult": "jikimi.engine.masking.pipeline",
    "mask_video": "jikimi.engine.masking.pipeline",
    "MaskSpec": "jikimi.engine.masking.spec",
    "load_spec": "jikimi.engine.masking.spec",
    "parse_spec": "jikimi.engine.masking.spec",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'jikimi.engine' has no attribute {name!r}")


__all__ = [
    "ENGINE_VERSION",
    "EngineError",
    "InputError",
    "MaskResult",
    "MaskSpec",
    "ModelError",
    "PackageError",
    "SpecError",
    "load_spec",
    "mask_video",
    "parse_spec",
]
