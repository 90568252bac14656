"""jikimi.engine — pure video: masking, tracking, export packages. No Django, no other jikimi package."""

from jikimi.engine.errors import EngineError, InputError, ModelError, PackageError, SpecError
from jikimi.engine.pipeline import MaskResult, mask_video
from jikimi.engine.spec import MaskSpec, load_spec, parse_spec
from jikimi.engine.version import ENGINE_VERSION

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
