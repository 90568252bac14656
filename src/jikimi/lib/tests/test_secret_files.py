"""Secrets made on first use by processes that start together (jikimi.lib.secret_files).

CI found it: two queue workers started at once on a new data directory; both saw no secret key, the
second one's exclusive create failed and the worker died at import (FileExistsError in settings).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from jikimi.lib.secret_files import create_once

REPO = Path(__file__).resolve().parents[4]


def test_racing_writers_all_go_on_with_the_first_ones_secret(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "secret"
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        start.wait()
        try:
            create_once(path, f"secret {n}\n".encode())
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert path.read_text().startswith("secret ")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret"]  # no temporary file left behind


def test_an_existing_secret_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_bytes(b"first\n")
    create_once(path, b"second\n")
    assert path.read_bytes() == b"first\n"


def test_processes_starting_together_on_a_new_data_dir_share_one_django_secret_key(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "JIKIMI_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "jikimi.web.settings",
    }
    env.pop("JIKIMI_SECRET_KEY", None)
    env.pop("JIKIMI_SECRET_KEY_FILE", None)
    program = "from django.conf import settings; print(settings.SECRET_KEY)"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", program],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [child.communicate(timeout=120) for child in children]

    assert [child.returncode for child in children] == [0] * 6, [err for _, err in results]
    keys = {out.strip() for out, _ in results}
    assert len(keys) == 1 and len(keys.pop()) >= 50
