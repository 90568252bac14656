"""jikimi.engine — pure video: masking, tracking, export packages. No Django, no other jikimi package.

The masking names load lazily: ``jikimi.engine.footage`` and ``jikimi.engine.recording`` import
``jikimi.engine.errors`` and should not pay for onnxruntime and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from jikimi.engine.errors import EngineError, InputError, ModelError, PackageError, SpecError
from jikimi.engine.version import ENGINE_VERSION

if TYPE_CHECKING:
    from jikimi.engine.pipeline import MaskResult, mask_video
    from jikimi.engine.spec import MaskSpec, load_spec, parse_spec

_LAZY = {
    "MaskResult": "jikimi.engine.pipeline",
    "mask_video": "jikimi.engine.pipeline",
    "MaskSpec": "jikimi.engine.spec",
    "load_spec": "jikimi.engine.spec",
    "parse_spec": "jikimi.engine.spec",
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
