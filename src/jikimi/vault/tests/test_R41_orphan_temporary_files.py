"""R41 (stored files are accounted for): the temporary files a killed ingest leaves in the footage
store are swept — hourly by the background job and whenever a recorder starts — but never one young
enough to belong to a write still running."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from jikimi.audit.context import Actor
from jikimi.engine.recording import RecorderSupervisor
from jikimi.vault.recording import VaultSink, run_recorder
from jikimi.vault.tasks import sweep_temporary_files_hourly

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def upload_dir(tmp_path: Path, settings: Any) -> Path:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    return tmp_path / "uploads"


def _temporary(store: Path, age_seconds: float, name: str) -> Path:
    """A temporary file as an interrupted put leaves it (DirectoryStore: '.{name}.XXXX.tmp')."""
    folder = store / "days" / "dev-1" / "2026-11-23"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.jkv.a1b2c3.tmp"
    path.write_bytes(b"half an encrypted segment")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_the_hourly_job_removes_old_orphans_and_leaves_a_running_writes_file(vault_storage: Path) -> None:
    old = _temporary(vault_storage, 2 * 3600, "killed")
    young = _temporary(vault_storage, 30, "running")
    assert sweep_temporary_files_hourly.call_local() == 1
    assert not old.exists() and young.exists()


def test_the_minimum_age_is_a_setting(vault_storage: Path, settings: Any) -> None:
    settings.JIKIMI_TEMPORARY_FILE_MINIMUM_AGE_SECONDS = 10
    young = _temporary(vault_storage, 30, "killed")
    assert sweep_temporary_files_hourly.call_local() == 1 and not young.exists()


def test_a_starting_recorder_sweeps_them(vault_storage: Path) -> None:
    old = _temporary(vault_storage, 2 * 3600, "killed")
    sink = VaultSink(Actor.command("record"))
    run_recorder(sink, RecorderSupervisor(sink), threading.Event(), segment_seconds=2, run_for=0.2, poll=0.05)
    assert not old.exists()


def test_an_upload_whose_request_was_killed_is_swept_too(vault_storage: Path, upload_dir: Path) -> None:
    # Django names its spooled upload files tmpXXXX.upload.mp4; a killed request leaves one behind.
    left = upload_dir / "tmpk1ll3d.upload.mp4"
    running = upload_dir / "tmpw0rk1ng.upload.mp4"
    for path in (left, running):
        path.write_bytes(b"personal video, not yet in the vault")
    then = time.time() - 2 * 3600
    os.utime(left, (then, then))
    assert sweep_temporary_files_hourly.call_local() == 1
    assert not left.exists() and running.exists()


def test_the_jobs_are_registered_with_huey() -> None:
    from huey.contrib.djhuey import HUEY

    from jikimi.vault.tasks import check_recorders_every_minute, check_stored_files_daily

    for job in (sweep_temporary_files_hourly, check_recorders_every_minute, check_stored_files_daily):
        assert job.task_class in HUEY._registry._periodic_tasks
