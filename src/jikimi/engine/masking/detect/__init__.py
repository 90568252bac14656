"""Detectors behind one interface, registered by key (``centerface`` for faces)."""

from jikimi.engine.masking.detect import centerface as _centerface  # noqa: F401  (registers "centerface")
from jikimi.engine.masking.detect import text_regions as _text_regions  # noqa: F401  (registers "text")
from jikimi.engine.masking.detect.base import (
    Detections,
    Detector,
    DetectorConfig,
    create_detector,
    register_detector,
    registered_detectors,
)

__all__ = [
    "Detections",
    "Detector",
    "DetectorConfig",
    "create_detector",
    "register_detector",
    "registered_detectors",
]
