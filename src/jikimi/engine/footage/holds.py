"""Legal holds: copy a segment out from under its day key, so the day key can still be destroyed on time.

법 제21조③ (R18): footage that another law requires keeping — a subject request in progress, an
investigation, a court order — is kept apart, with its own basis and end date, and is never destroyed
while held. R17: everything else of that day is destroyed within 5 days of expiry by destroying the
day key. Both hold only if the held segment no longer depends on the day key, hence re-encryption
under a hold key (see `envelope.reencrypt` for why re-wrapping the day key would break R17).

`hold_segment` writes the re-encrypted copy to a target store — the separate place R18 asks for (a
separate directory or bucket; the same store under another prefix also works) — and returns what the
vault records for the hold. The original object is left as it was: it dies with its day key.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from jikimi.engine.footage.envelope import reencrypt
from jikimi.engine.footage.keys import DataKey
from jikimi.engine.footage.storage.base import FootageStore


@dataclass(frozen=True)
class HeldSegment:
    name: str  # object name in the hold store
    location: str
    size: int
    key_id: str  # the hold key's id
    plaintext_sha256: str  # equal to the original's: the footage is the same, bit for bit
    ciphertext_sha256: str


def hold_segment(
    source: FootageStore,
    name: str,
    day_key: DataKey,
    hold_key: DataKey,
    target: FootageStore,
    target_name: str,
    *,
    expected_plaintext_sha256: str | None = None,
) -> HeldSegment:
    """Re-encrypt ``name`` from ``source`` under ``hold_key`` into ``target_name`` in ``target``.

    Every chunk is authenticated on the way; with ``expected_plaintext_sha256`` (the index's), a
    segment whose content differs is refused before anything is stored.
    """
    buffer = io.BytesIO()
    info = reencrypt(
        source.reader(name), buffer, day_key, hold_key, expected_plaintext_sha256=expected_plaintext_sha256
    )
    stored = target.put(target_name, buffer.getvalue())
    return HeldSegment(
        name=target_name,
        location=stored.location,
        size=stored.size,
        key_id=hold_key.key_id,
        plaintext_sha256=info.plaintext_sha256,
        ciphertext_sha256=info.ciphertext_sha256,
    )
