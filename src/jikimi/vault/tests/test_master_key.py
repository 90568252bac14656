"""The master key: a 0600 file created on first use, or a value from the environment (DESIGN "Keys")."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from jikimi.engine.footage import KeyFileError, MasterKey
from jikimi.vault import keyring
from jikimi.vault.tests.conftest import new_device

pytestmark = pytest.mark.django_db


def test_the_key_file_is_created_on_first_use_readable_by_the_owner_only(settings: Any) -> None:
    path = Path(settings.MASTER_KEY_FILE)
    assert not path.exists()
    fingerprint = keyring.master_key().fingerprint
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keyring.master_key().fingerprint == fingerprint  # the same key on every later use


def test_a_key_from_the_environment_is_used_and_no_file_is_written(settings: Any) -> None:
    given = MasterKey.generate()
    settings.MASTER_KEY_TEXT = given.to_text()
    device = new_device()
    key = keyring.day_key(device, device.created_at.date())
    # The day key is wrapped by the given master key: it unwraps with it.
    wrapped = device.day_keys.get().wrapped_key
    assert given.unwrap(bytes(wrapped), key.key_id) == key
    assert not Path(settings.MASTER_KEY_FILE).exists()


def test_a_malformed_key_in_the_environment_is_refused_with_its_name(settings: Any) -> None:
    settings.MASTER_KEY_TEXT = "not-a-key"
    with pytest.raises(KeyFileError, match="JIKIMI_MASTER_KEY"):
        keyring.master_key()
