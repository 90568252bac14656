"""The detector interface and its registry: detectors are plugins chosen by key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from jikimi.engine.errors import ModelError


@dataclass(frozen=True)
class Detections:
    """Boxes ``[x1, y1, x2, y2]`` in the pixels of the image given to ``detect``, with scores."""

    boxes: npt.NDArray[np.float32]
    scores: npt.NDArray[np.float32]
    label: str = "face"

    @staticmethod
    def empty(label: str = "face") -> Detections:
        return Detections(np.zeros((0, 4), np.float32), np.zeros(0, np.float32), label)

    def __len__(self) -> int:
        return len(self.scores)


@dataclass(frozen=True)
class DetectorConfig:
    """How to build a detector: input size, score threshold, onnxruntime providers and threads."""

    input_size: tuple[int, int] = (640, 384)
    threshold: float = 0.4
    # CPU by default; "CUDAExecutionProvider" or "OpenVINOExecutionProvider" when installed.
    providers: tuple[str, ...] = ("CPUExecutionProvider",)
    threads: int = 2
    options: dict[str, str] = field(default_factory=dict)
    # Detectors with an 8-bit model (CenterFace) use it when "int8" is asked for.
    precision: Literal["int8", "float"] = "float"


class Detector(Protocol):
    """Finds objects of one label in an RGB image of exactly ``input_size`` (width, height)."""

    label: str
    input_size: tuple[int, int]

    def detect(self, rgb: npt.NDArray[np.uint8]) -> Detections: ...


DetectorFactory = Callable[[DetectorConfig], Detector]
_REGISTRY: dict[str, DetectorFactory] = {}


def register_detector(key: str) -> Callable[[DetectorFactory], DetectorFactory]:
    def decorate(factory: DetectorFactory) -> DetectorFactory:
        _REGISTRY[key] = factory
        return factory

    return decorate


def create_detector(key: str, config: DetectorConfig) -> Detector:
    if key not in _REGISTRY:
        raise ModelError(f"unknown detector {key!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[key](config)


def registered_detectors() -> list[str]:
    return sorted(_REGISTRY)


def onnx_session(path: str, config: DetectorConfig):  # type: ignore[no-untyped-def]
    """An onnxruntime session on the configured providers; unknown providers are a clear error."""
    import onnxruntime as ort

    available = ort.get_available_providers()
    missing = [p for p in config.providers if p not in available]
    if missing:
        raise ModelError(f"execution provider {missing[0]} not available; available: {', '.join(available)}")
    options = ort.SessionOptions()
    # Two cores: inference overlaps with decoding and encoding, which run in their own threads.
    options.intra_op_num_threads = config.threads
    options.inter_op_num_threads = 1
    # No busy-waiting between operators: on two cores the spinning thread takes the core the
    # decoder and the encoder need (measured: 2 spinning threads cost 1.6× the CPU of one).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(path, options, providers=list(config.providers))
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise ModelError(f"cannot load model {path}: {exc}") from exc
