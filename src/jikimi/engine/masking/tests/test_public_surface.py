"""The masking engine's public names, and that importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys

import jikimi.engine as engine
from jikimi.engine.masking.detect import registered_detectors


def test_every_public_name_is_importable():
    assert sorted(engine.__all__) == [
        "ENGINE_VERSION", "EngineError", "InputError", "MaskResult", "MaskSpec", "ModelError",
        "PackageError", "SpecError", "load_spec", "mask_video", "parse_spec",
    ]  # fmt: skip
    for name in engine.__all__:
        assert getattr(engine, name) is not None, name


def test_detectors_are_registered_by_key():
    assert registered_detectors() == ["centerface", "text"]


def test_importing_the_engine_loads_no_django():
    code = "import sys, jikimi.engine.cli, jikimi.engine.masking.preview, jikimi.engine.masking.package; print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'huey')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
