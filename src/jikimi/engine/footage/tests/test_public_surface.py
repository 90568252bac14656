"""The footage engine's public names, and its independence from Django (import-linter checks it in CI too)."""

from __future__ import annotations

import subprocess
import sys

import jikimi.engine.footage as footage


def test_every_public_name_is_importable() -> None:
    for name in footage.__all__:
        assert getattr(footage, name) is not None, name


def test_importing_the_footage_engine_loads_no_django() -> None:
    code = "import sys, jikimi.engine.footage; print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja', 'huey')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
