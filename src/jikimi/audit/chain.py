"""The hash chain of the audit log, as pure functions over plain values.

Each entry's hash is SHA-256 over the previous entry's hash and a canonical encoding of the entry
(sorted-key JSON of its fields, UTC times in ISO 8601). Changing, deleting, inserting or reordering
any entry breaks the chain at that entry; a head record (sequence and hash of the last entry) kept
apart catches the removal of entries at the end. 안전성 확보조치 기준 제8조③ (R40): logs are protected
against tampering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class EntryData:
    """An audit entry as the chain sees it."""

    sequence: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    reason: str
    client_address: str
    details: dict[str, Any] = field(default_factory=dict)
    previous_hash: str = GENESIS_HASH
    entry_hash: str = ""


def canonical_encoding(entry: EntryData) -> bytes:
    """Bytes that change whenever any recorded fact of the entry changes."""
    payload = {
        "sequence": entry.sequence,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "reason": entry.reason,
        "client_address": entry.client_address,
        "details": entry.details,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(previous_hash: str, entry: EntryData) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical_encoding(entry)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain does not hold."""

    sequence: int
    kind: str  # modified | deleted | inserted | reordered | truncated
    message: str


def verify_chain(entries: Iterable[EntryData], head_sequence: int | None, head_hash: str | None) -> ChainProblem | None:
    """Walk the entries in storage order (by primary key); return the first problem or None.

    `head_sequence`/`head_hash` are what the chain head says the last entry is (None when the log is empty).
    """
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    last: EntryData | None = None
    for entry in entries:
        if entry.sequence != expected_sequence:
            if entry.sequence < expected_sequence:
                kind = "reordered" if entry.sequence < expected_sequence - 1 else "inserted"
                return ChainProblem(entry.sequence, kind, f"항목 #{entry.sequence}이(가) #{expected_sequence - 1} 뒤에 있습니다 ({kind})")
            return ChainProblem(
                expected_sequence, "deleted", f"항목 #{expected_sequence}부터 #{entry.sequence - 1}까지가 없습니다 (삭제됨)"
            )
        if entry.previous_hash != previous_hash:
            return ChainProblem(
                entry.sequence, "inserted", f"항목 #{entry.sequence}의 이전 해시가 앞 항목과 맞지 않습니다 (삽입 또는 교체)"
            )
        if entry_hash(previous_hash, entry) != entry.entry_hash:
            return ChainProblem(entry.sequence, "modified", f"항목 #{entry.sequence}의 내용이 기록 후 바뀌었습니다 (변조)")
        previous_hash = entry.entry_hash
        expected_sequence += 1
        last = entry
    if head_sequence is not None and (last is None or last.sequence != head_sequence or last.entry_hash != head_hash):
        found = 0 if last is None else last.sequence
        return ChainProblem(found + 1, "truncated", f"마지막 항목 #{head_sequence}까지 있어야 하는데 #{found}에서 끝납니다 (끝부분 삭제)")
    return None
