"""A recorder killed with SIGKILL mid-segment loses that segment only; what it stored is whole."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tools.simcam.rtsp import RtspCameraServer

from jikimi.engine.footage.envelope import decrypt_stream
from jikimi.engine.footage.keys import DataKey
from jikimi.engine.footage.storage import DirectoryStore
from jikimi.engine.recording.tests.conftest import WAIT
from jikimi.engine.synthetic import decoded_frames, stream_types

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]

ROOT = Path(__file__).resolve().parents[5]


def test_sigkill_mid_segment_leaves_only_whole_stored_segments(
    cameras: RtspCameraServer, tmp_path: Path
) -> None:
    key = DataKey("day/cam1/test", secrets.token_bytes(32))
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jikimi.engine.recording.tests.recorder_process",
            cameras.url("cam1"),
            str(store_dir),
            key.secret.hex(),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
    )
    rows = []
    try:
        assert child.stdout is not None
        while len(rows) < 2:  # the second segment is stored, the third has begun: kill now
            line = child.stdout.readline()
            assert line, "the recorder process ended early"
            rows.append(json.loads(line))
        child.send_signal(signal.SIGKILL)
        child.wait(WAIT)
        rows += [json.loads(line) for line in child.stdout.read().splitlines()]  # printed before the kill
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(WAIT)
    assert child.returncode == -signal.SIGKILL
    store = DirectoryStore(store_dir)
    store.sweep_temporary()  # an interrupted put's temporary file, if the kill hit one: never an object
    assert sorted(store.list()) == sorted(row["name"] for row in rows)
    for row in rows:
        ciphertext = store.get_range(row["name"])
        plaintext = tmp_path / "plain.mp4"
        with plaintext.open("wb") as out:
            info = decrypt_stream(ciphertext, out, key)
        data = plaintext.read_bytes()
        assert info.plaintext_sha256 == row["sha256"]
        assert stream_types(data) == ["video"]
        assert decoded_frames(data) == row["frames"]
