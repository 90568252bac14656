"""The files a request's copy is made of, stored encrypted like footage (R42, DESIGN "Keys and
destruction"): each under its own data key, kept only wrapped by the institution's master key, in
the footage store under "disclosure/". Reading authenticates every byte (AES-256-GCM chunks).
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jikimi.engine.footage import DataKey, EnvelopeReader, encrypt_stream
from jikimi.vault import keyring

PREFIX = "disclosure/"


@dataclass(frozen=True)
class SealedFile:
    object_name: str
    key_id: str
    wrapped_key: bytes
    sha256: str  # of the plaintext
    size: int


def seal_file(path: Path, name: str) -> SealedFile:
    """Encrypt `path` under a new data key into the store as disclosure/<name>-<random>."""
    object_name = f"{PREFIX}{name}-{secrets.token_hex(8)}"
    key = DataKey.generate(f"disclosure/{object_name.removeprefix(PREFIX)}")
    with path.open("rb") as plain, tempfile.TemporaryFile() as sealed:
        info = encrypt_stream(plain, sealed, key, plaintext_length=path.stat().st_size)
        sealed.seek(0)
        keyring.footage_store().put(object_name, sealed, size=info.ciphertext_size)
    return SealedFile(
        object_name, key.key_id, keyring.master_key().wrap(key), info.plaintext_sha256, info.plaintext_size
    )


def reader(object_name: str, key_id: str, wrapped_key: bytes | memoryview | None) -> EnvelopeReader:
    """Random access to a sealed file's plaintext (FootageRefused if its key was destroyed)."""
    key = keyring.unwrap(wrapped_key, key_id)
    return EnvelopeReader(keyring.footage_store().reader(object_name), key)


def remove(object_name: str) -> None:
    if object_name:
        keyring.footage_store().delete(object_name)
