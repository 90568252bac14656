"""The master key file and the wrapping of day keys (DESIGN "Keys and destruction")."""

from __future__ import annotations

import os
import stat
import threading
from datetime import date
from pathlib import Path

import pytest

from jikimi.engine.footage.errors import KeyFileError, KeyUnwrapError
from jikimi.engine.footage.keys import (
    WRAPPED_KEY_BYTES,
    DataKey,
    MasterKey,
    day_key_id,
    hold_key_id,
    rewrap_data_key,
    unwrap_data_key,
    wrap_data_key,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_it_creates_the_key_file_with_mode_0600_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "master.key"
    old = os.umask(0)  # the most permissive umask must not loosen the file
    try:
        key = MasterKey.load_or_create(path)
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert len(path.read_text().strip()) == 44
    assert MasterKey.load_or_create(path).fingerprint == key.fingerprint
    assert MasterKey.load(path).fingerprint == key.fingerprint


def test_it_leaves_no_temporary_file_beside_the_key(tmp_path: Path) -> None:
    MasterKey.load_or_create(tmp_path / "master.key")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.key"]


@pytest.mark.parametrize("unsafe", [0o644, 0o640, 0o604, 0o660])
def test_it_refuses_a_key_file_others_can_read(tmp_path: Path, unsafe: int) -> None:
    path = tmp_path / "master.key"
    MasterKey.load_or_create(path)
    os.chmod(path, unsafe)
    with pytest.raises(KeyFileError, match=rf"mode {unsafe:04o}.*chmod 600"):
        MasterKey.load_or_create(path)


def test_it_refuses_a_malformed_key_file(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text("not a key\n")
    os.chmod(path, 0o600)
    with pytest.raises(KeyFileError, match="not base64"):
        MasterKey.load(path)
    path.write_text("c2hvcnQ=\n")
    with pytest.raises(KeyFileError, match="decodes to 5 bytes"):
        MasterKey.load(path)


def test_it_reports_a_missing_key_file_when_not_asked_to_create(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="does not exist"):
        MasterKey.load(tmp_path / "absent.key")


def test_concurrent_first_runs_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    fingerprints: list[str] = []
    threads = [
        threading.Thread(target=lambda: fingerprints.append(MasterKey.load_or_create(path).fingerprint))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(fingerprints)) == 1 and len(fingerprints) == 8


def test_the_key_can_come_from_a_provided_value_instead_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    from_file = MasterKey.load_or_create(path)
    from_value = MasterKey.from_text(path.read_text())
    assert from_value.fingerprint == from_file.fingerprint
    with pytest.raises(KeyFileError):
        MasterKey.from_bytes(b"short")


def test_wrapped_day_key_round_trips_and_is_69_bytes() -> None:
    master = MasterKey.generate()
    day = DataKey.generate(day_key_id("cam-0012", date(2026, 11, 23)))
    wrapped = wrap_data_key(master, day)
    assert len(wrapped) == WRAPPED_KEY_BYTES == 69
    assert day.secret not in wrapped
    assert unwrap_data_key(master, wrapped, day.key_id) == day


def test_a_wrapped_key_does_not_open_under_another_key_id() -> None:
    # A held day's wrapped key copied onto a row due for destruction must not open.
    master = MasterKey.generate()
    day = DataKey.generate("day/cam-1/2026-11-23")
    with pytest.raises(KeyUnwrapError, match="another key id or was modified"):
        master.unwrap(master.wrap(day), "day/cam-1/2026-11-24")


def test_a_wrapped_key_does_not_open_under_another_master_key() -> None:
    first, second = MasterKey.generate(), MasterKey.generate()
    day = DataKey.generate("day/cam-1/2026-11-23")
    with pytest.raises(
        KeyUnwrapError, match=f"wrapped under master key {first.fingerprint}, not {second.fingerprint}"
    ):
        second.unwrap(first.wrap(day), day.key_id)


@pytest.mark.parametrize("position", [0, 5, 15, 30, 68])
def test_a_modified_wrapped_key_is_refused(position: int) -> None:
    master = MasterKey.generate()
    day = DataKey.generate("day/cam-1/2026-11-23")
    wrapped = bytearray(master.wrap(day))
    wrapped[position] ^= 0x01
    with pytest.raises(KeyUnwrapError):
        master.unwrap(bytes(wrapped), day.key_id)


def test_secrets_never_show_in_a_repr() -> None:
    day = DataKey.generate(hold_key_id("2026-수사-0042"))
    master = MasterKey.generate()
    assert day.secret.hex() not in repr(day) and "hidden" in repr(day)
    assert master.to_text() not in repr(master)


def test_key_ids_must_fit_the_formats() -> None:
    with pytest.raises(ValueError, match="1–255 bytes"):
        DataKey.generate("")
    with pytest.raises(ValueError, match="control character"):
        DataKey.generate("day/a\nb")
    with pytest.raises(ValueError, match="1–255 bytes"):
        DataKey.generate("가" * 100)  # 300 bytes of UTF-8


def test_rotating_the_master_key_rewraps_day_keys_without_changing_them() -> None:
    old, new = MasterKey.generate(), MasterKey.generate()
    day = DataKey.generate("day/cam-1/2026-11-23")
    rewrapped = rewrap_data_key(old, new, old.wrap(day), day.key_id)
    assert new.unwrap(rewrapped, day.key_id) == day
    with pytest.raises(KeyUnwrapError):
        old.unwrap(rewrapped, day.key_id)
