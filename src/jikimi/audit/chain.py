"""The hash chain of the audit log, as pure functions over plain values (no Django, no I/O).

Each entry's hash is SHA-256 over the previous entry's hash and a canonical encoding of the entry
(sorted-key JSON of its fields, UTC times in ISO 8601 to the microsecond). Changing, deleting,
inserting or reordering any entry breaks the chain at that entry; a head record (sequence and hash of
the last entry) kept apart catches the removal of entries at the end. 안전성 확보조치 기준 제8조③
(R40): logs are protected against tampering.

The canonical encoding must give the same bytes before and after the details went through a
database JSON column (SQLite text, PostgreSQL jsonb). jsonb reorders keys (sorted here anyway) and
stores numbers as `numeric`, so 1e20 comes back as the integer 100000000000000000000: an integral
float is therefore encoded as the integer it equals. `normalise_details` is applied by the writer
before hashing, so that what is hashed is exactly what the database can store and give back.
"""

from __future__ import annotations

import hashlib
import json
import math
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
    # The primary key of the acting user (None for the system, a command or an anonymous visitor):
    # hashed too, so that an entry cannot be moved to another person while its label stays.
    actor_id: int | None = None
    # Where the entry belongs (R36; jikimi.audit.scope): hashed when set, so that an entry cannot be
    # moved out of an auditor's sight; entries written before scopes existed hash as they did.
    scope_institution: int | None = None
    scope_department: int | None = None
    scope_device_group: int | None = None


class NotStorable(ValueError):
    """Details that a database JSON column cannot store faithfully."""


def normalise_details(value: Any, where: str = "details") -> Any:
    """The JSON value the database will give back: str keys, lists for tuples, no NaN, no NUL.

    Raises NotStorable, naming the offending key, for values JSON cannot carry (objects, NaN, …);
    the caller converts dates, decimals and the like to strings first.
    """
    if value is None or isinstance(value, bool | str | int):
        if isinstance(value, str) and "\x00" in value:
            # PostgreSQL text and jsonb cannot hold U+0000.
            raise NotStorable(f"{where}: 문자열에 NUL 문자가 있습니다")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotStorable(f"{where}: {value!r}은(는) JSON에 저장할 수 없습니다")
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotStorable(f"{where}: 키 {key!r}은(는) 문자열이어야 합니다")
            result[key] = normalise_details(item, f"{where}.{key}")
        return result
    if isinstance(value, list | tuple):
        return [normalise_details(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise NotStorable(f"{where}: {type(value).__name__} 값은 저장할 수 없습니다 (문자열로 바꾸어 넘기십시오)")


def canonical_encoding(entry: EntryData) -> bytes:
    """Bytes that change whenever any recorded fact of the entry changes."""
    payload = {
        "sequence": entry.sequence,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "reason": entry.reason,
        "client_address": entry.client_address,
        "details": normalise_details(entry.details),
    }
    scope = [entry.scope_institution, entry.scope_department, entry.scope_device_group]
    if any(part is not None for part in scope):
        payload["scope"] = scope
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def entry_hash(previous_hash: str, entry: EntryData) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical_encoding(entry)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain does not hold."""

    sequence: int
    # modified | deleted | inserted | reordered | truncated | head | time (the chain itself);
    # truncated | rewritten | checkpoint | unreadable (against the signed checkpoints)
    kind: str
    message: str


def verify_chain(
    entries: Iterable[EntryData],
    head_sequence: int | None,
    head_hash: str | None,
    *,
    start: tuple[int, str] = (0, GENESIS_HASH),
) -> ChainProblem | None:
    """Walk the entries in storage order (by primary key); return the first problem or None.

    `head_sequence`/`head_hash` are what the chain head says the last entry is (None when there is
    no head record). `start` is the sequence and hash of the entry just before the first stored one:
    the genesis, or the signed checkpoint of the last archived entry (R39 retention). Memory stays
    constant however long the log is: a gap in the sequence is held open until the end, and an
    entry of the gap found later means the entries were reordered.

    Times never go backwards along the sequence: entries are written one after another under the
    chain head's lock, so an earlier time after a later one means an entry was forged or moved
    (or the server's clock was set back, which an auditor wants to know about as well). No
    tolerance: equal times are fine, earlier ones are not.
    """
    expected_sequence = start[0] + 1
    previous_hash = start[1]
    last: EntryData | None = None
    gap: tuple[int, int, EntryData] | None = None  # first missing, last missing, the entry after the gap
    for entry in entries:
        if gap is not None:
            first_missing, last_missing, early = gap
            if first_missing <= entry.sequence <= last_missing:
                return ChainProblem(
                    early.sequence,
                    "reordered",
                    f"항목 #{early.sequence}이(가) 앞선 항목 #{entry.sequence}보다 먼저 저장되어 있습니다 (순서 바뀜)",
                )
            continue
        if entry_hash(entry.previous_hash, entry) != entry.entry_hash:
            return ChainProblem(
                entry.sequence, "modified", f"항목 #{entry.sequence}의 내용이 기록 후 바뀌었습니다 (변조)"
            )
        if entry.sequence == expected_sequence and entry.previous_hash == previous_hash:
            if last is not None and entry.at < last.at:
                return ChainProblem(
                    entry.sequence,
                    "time",
                    f"항목 #{entry.sequence}의 시각({_utc(entry.at)})이 앞 항목 #{last.sequence}의"
                    f" 시각({_utc(last.at)})보다 이릅니다 (시각 역행)",
                )
            previous_hash = entry.entry_hash
            expected_sequence += 1
            last = entry
            continue
        # The entry is intact in itself but does not follow the one before it.
        if entry.sequence < expected_sequence:
            return ChainProblem(
                entry.sequence,
                "reordered",
                f"항목 #{entry.sequence}이(가) 뒤의 항목 #{expected_sequence - 1} 다음에 저장되어 있습니다 (순서 바뀜)",
            )
        if entry.sequence == expected_sequence or entry.previous_hash == previous_hash:
            return ChainProblem(
                entry.sequence,
                "inserted",
                f"항목 #{entry.sequence}은(는) 앞 항목 #{expected_sequence - 1}에 이어지지 않습니다 (끼워 넣음 또는 바꿔치기)",
            )
        gap = (expected_sequence, entry.sequence - 1, entry)
    if gap is not None:
        first_missing, last_missing, _ = gap
        span = (
            f"#{first_missing}"
            if first_missing == last_missing
            else f"#{first_missing}부터 #{last_missing}까지"
        )
        return ChainProblem(first_missing, "deleted", f"항목 {span}이(가) 없습니다 (삭제됨)")
    found = start[0] if last is None else last.sequence
    if head_sequence is None:
        if last is None:
            return None
        return ChainProblem(1, "head", "체인 머리(마지막 항목의 순번·해시) 기록이 없습니다 (삭제됨)")
    if found < head_sequence:
        return ChainProblem(
            found + 1,
            "truncated",
            f"마지막 항목 #{head_sequence}까지 있어야 하는데 #{found}에서 끝납니다 (끝부분 삭제)",
        )
    if found > head_sequence:
        return ChainProblem(
            head_sequence + 1,
            "inserted",
            f"항목 #{head_sequence + 1}부터 #{found}까지는 체인 머리(#{head_sequence}) 뒤에 덧붙여졌습니다 (끼워 넣음)",
        )
    if (last.entry_hash if last is not None else start[1]) != head_hash:
        return ChainProblem(
            found,
            "modified",
            f"마지막 항목 #{found}의 해시가 체인 머리와 다릅니다 (끝부분을 다시 계산해 바꿈)",
        )
    return None


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
