"""Sealed secrets (camera logins) under a key derived from the master key (R42, jikimi.lib.credentials)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from jikimi.engine.footage import MasterKey
from jikimi.lib.credentials import SealError, seal, unseal


@pytest.fixture
def key_file(settings: Any, tmp_path: Path) -> Path:
    settings.MASTER_KEY_TEXT = ""
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    return Path(settings.MASTER_KEY_FILE)


def test_a_sealed_value_opens_with_its_purpose_only(key_file: Path) -> None:
    token = seal("admin:비밀", purpose="a")
    assert "admin" not in token and token.startswith("s1:")
    assert seal("admin:비밀", purpose="a") != token  # a fresh nonce each time
    assert unseal(token, purpose="a") == "admin:비밀"
    with pytest.raises(SealError):
        unseal(token, purpose="b")
    with pytest.raises(SealError):
        unseal(token[:-4] + "AAAA", purpose="a")
    assert seal("", purpose="a") == "" and unseal("", purpose="a") == ""


def test_the_key_file_is_the_engines(key_file: Path) -> None:
    # Created here on first use (mode 0600), it is the master key the vault's engine loads, and back.
    token = seal("u:p", purpose="x")
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert MasterKey.load(key_file).to_text() + "\n" == key_file.read_text()
    assert unseal(token, purpose="x") == "u:p"


def test_a_key_file_others_may_read_is_refused(settings: Any, tmp_path: Path) -> None:
    path = tmp_path / "open.key"
    path.write_text(MasterKey.generate().to_text() + "\n")
    os.chmod(path, 0o644)
    settings.MASTER_KEY_TEXT = ""
    settings.MASTER_KEY_FILE = path
    with pytest.raises(SealError, match="chmod 600"):
        seal("u:p", purpose="x")


def test_the_key_from_the_environment_is_used_when_given(settings: Any, key_file: Path) -> None:
    settings.MASTER_KEY_TEXT = MasterKey.generate().to_text()
    token = seal("u:p", purpose="x")
    assert not key_file.exists()
    settings.MASTER_KEY_TEXT = MasterKey.generate().to_text()
    with pytest.raises(SealError, match="마스터 키가 바뀌었거나"):
        unseal(token, purpose="x")
