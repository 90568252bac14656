"""Letters kept encrypted at rest (R22, R26, R42): a decision or postponement letter names the requester,
the footage asked for and what was decided, as sensitive as the 청구서's attachments — so it is kept the
way they are (jikimi.disclosure.attachments): encrypted with AES-256-GCM under a data key of its own,
that key stored only wrapped by the institution's master key (jikimi.vault.keyring). The ciphertext
stays in the letter's row (the database keeps no plain PDF); the same envelope as footage, no new
cryptography. Models hold no crypto of their own: they call `seal` and `unseal` (models.letters)."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from jikimi.engine.footage import DataKey, decrypt_stream, encrypt_bytes
from jikimi.vault import keyring

KEY_PREFIX = "letter/"


@dataclass(frozen=True)
class Sealed:
    """A letter as stored: its ciphertext, its data key's id, and that key wrapped by the master key."""

    ciphertext: bytes
    key_id: str
    wrapped_key: bytes


def seal(pdf: bytes) -> Sealed:
    key = DataKey.generate(f"{KEY_PREFIX}{secrets.token_hex(16)}")
    ciphertext, _ = encrypt_bytes(bytes(pdf), key)
    return Sealed(ciphertext, key.key_id, keyring.master_key().wrap(key))


def unseal(ciphertext: bytes | memoryview, key_id: str, wrapped_key: bytes | memoryview | None) -> bytes:
    """The letter's PDF; the envelope authenticates every chunk, so a changed row fails loudly."""
    key = keyring.unwrap(wrapped_key, key_id)
    out = io.BytesIO()
    decrypt_stream(bytes(ciphertext), out, key)
    return out.getvalue()
