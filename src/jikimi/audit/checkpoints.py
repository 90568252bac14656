"""Signed checkpoints of the audit chain, as pure functions over plain values (no Django, no I/O).

The hash chain shows any change *inside* the log, but whoever can write the database can also cut
its end off, wipe it, or rewrite it from some entry on and compute the hashes again: the chain then
holds, only shorter or different. A checkpoint fixes the chain to a point outside the database: the
sequence and hash of its last entry, the entry's time, how many entries the database held and which
institution's log it is, signed with Ed25519 by the institution's audit key and written to a place
the database's users cannot rewrite (jikimi.audit.anchoring). Verification then asks of every
checkpoint: is entry #sequence still in the database, with that very hash? (안전성 확보조치 기준
제8조③: 접속기록의 위·변조 및 도난, 분실 방지; R40.)

A checkpoint of kind "archive" signs the last entry of a part of the log that was moved out of the
database when its retention ended (R39): the first remaining entry must link to it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "jikimi-audit-checkpoint/1"
KINDS = ("periodic", "archive")


class BadCheckpoint(ValueError):
    """A line that is not a checkpoint, or a checkpoint whose signature does not hold."""


@dataclass(frozen=True)
class Checkpoint:
    """What an anchor keeps: the chain reached `sequence` with `entry_hash` (signed)."""

    institution: str
    sequence: int  # the last entry covered; 0 for an empty log
    entry_hash: str
    entry_at: str  # that entry's time, UTC ISO 8601 ("" for an empty log)
    entry_count: int  # how many entries the database held (fewer than `sequence` once archived)
    first_sequence: int  # the first entry the database held (1 unless archived)
    anchored_at: str  # when the checkpoint was signed, UTC ISO 8601
    kind: str = "periodic"  # periodic | archive
    key_id: str = ""  # fingerprint of the public key that signs it
    signature: str = ""  # base64 Ed25519 over `signed_bytes`

    @property
    def anchored(self) -> datetime:
        return datetime.fromisoformat(self.anchored_at)

    def signed_bytes(self) -> bytes:
        """Canonical bytes of every field but the signature (sorted-key compact JSON)."""
        fields = asdict(self)
        del fields["signature"]
        fields["format"] = FORMAT
        return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def to_json(self) -> str:
        """One line of a JSON-lines anchor."""
        fields: dict[str, Any] = {"format": FORMAT, **asdict(self)}
        return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def describe(self) -> str:
        """For people: '#120 (2026-12-06 09:00:00 UTC 고정)'."""
        moment = self.anchored.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"#{self.sequence} ({moment} 고정)"


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def key_id(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, first 16 hex digits: what an auditor compares by eye."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(checkpoint: Checkpoint, private_key: Ed25519PrivateKey) -> Checkpoint:
    unsigned = replace(checkpoint, key_id=key_id(private_key.public_key()), signature="")
    signature = private_key.sign(unsigned.signed_bytes())
    return replace(unsigned, signature=base64.b64encode(signature).decode("ascii"))


def verify_signature(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> None:
    """Raise BadCheckpoint unless `public_key` signed exactly these fields."""
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        public_key.verify(signature, replace(checkpoint, signature="").signed_bytes())
    except (InvalidSignature, ValueError):
        raise BadCheckpoint(
            f"고정점 #{checkpoint.sequence}({checkpoint.anchored_at})의 서명이 감사 공개키"
            f" {key_id(public_key)}로 확인되지 않습니다 (위조되었거나 다른 키로 서명됨)"
        ) from None


def parse(line: str, where: str = "") -> Checkpoint:
    """A checkpoint from one JSON line (signature not yet checked)."""
    try:
        fields = json.loads(line)
        if not isinstance(fields, dict) or fields.pop("format", None) != FORMAT:
            raise ValueError("format")
        checkpoint = Checkpoint(**fields)
        if not isinstance(checkpoint.sequence, int) or checkpoint.kind not in KINDS:
            raise ValueError("fields")
        checkpoint.anchored  # noqa: B018 — a readable time, or ValueError
    except (ValueError, TypeError):
        prefix = f"{where}: " if where else ""
        raise BadCheckpoint(f"{prefix}감사 고정점 형식이 아닙니다") from None
    return checkpoint


@dataclass(frozen=True)
class StoredLink:
    """What the database holds at one sequence: the entry's hash, or None when the entry is absent."""

    sequence: int
    entry_hash: str | None


def compare(checkpoint: Checkpoint, stored: StoredLink, archived_through: int) -> str | None:
    """Why the database contradicts one checkpoint, or None when it agrees.

    `archived_through` is the last sequence moved out of the database by a signed archive (0 if
    none): checkpoints up to it are kept by the archive files, not by the database.
    """
    if checkpoint.sequence == 0 or checkpoint.sequence <= archived_through:
        return None
    when = checkpoint.describe()
    if stored.entry_hash is None:
        return (
            f"외부 고정점 {when}은(는) 항목 #{checkpoint.sequence}까지 있었다고 서명했는데"
            " 데이터베이스에 그 항목이 없습니다 (끝부분 삭제 또는 전체 삭제)"
        )
    if stored.entry_hash != checkpoint.entry_hash:
        return (
            f"항목 #{checkpoint.sequence}의 해시가 외부 고정점 {when}에 서명된 해시와 다릅니다"
            " (그 항목까지의 기록을 다시 쓰고 해시를 다시 계산함)"
        )
    return None
