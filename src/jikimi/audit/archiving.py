"""Moving the oldest part of the audit log out of the database once its retention is over (R39, R36).

`archive_before` (its entry is written by `actions.remove_archived`, with the delete) takes the entries of the days before a
date that `jikimi.rules.log_retention` allows (2 years for the log, 3 for grant history), after
checking that the whole log verifies and that a fresh signed checkpoint covers them. It signs an
"archive" checkpoint of the last entry it takes, anchors it like any checkpoint, writes the entries
and that checkpoint to a JSON-lines file, and only then deletes them from the database. The first
remaining entry links to the archive checkpoint's hash, so verification starts there and still
holds; removing one entry more than was archived is reported as deleted.

Deleting bypasses the append-only triggers as a deployment does it: see `actions.remove_archived`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jikimi.audit.actions import AnchorRefused, anchor_checkpoint, remove_archived
from jikimi.audit.checkpoints import Checkpoint
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.lib.clock import start_of_day
from jikimi.lib.clock import today as seoul_today
from jikimi.rules.log_retention import archive_limits, archive_refusal

# 안전성 확보조치 기준 제5조③ (R36): the history of granting, changing and revoking access is kept 3 years.
GRANT_HISTORY_EVENTS = (
    AuditEvent.ACCOUNTS_CREATE_USER,
    AuditEvent.ACCOUNTS_UPDATE_USER,
    AuditEvent.ACCOUNTS_DEACTIVATE_USER,
    AuditEvent.ACCOUNTS_GRANT_ROLE,
    AuditEvent.ACCOUNTS_REVOKE_ROLE,
)


class ArchiveRefused(RuntimeError):
    """Nothing was archived; the message says why, in Korean."""


@dataclass(frozen=True)
class Archived:
    path: Path
    first_sequence: int
    last_sequence: int
    count: int
    checkpoint: Checkpoint


def _owns_audit_table() -> bool:
    """PostgreSQL: may this session disable the audit table's triggers (its owner, or a member of it)?"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c"
            " WHERE c.oid = 'audit_auditentry'::regclass"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _entry_line(entry: AuditEntry) -> str:
    fields: dict[str, Any] = {
        "sequence": entry.sequence,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor_label,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "reason": entry.reason,
        "client_address": entry.client_address,
        "details": entry.details,
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
        # Hashed with the entry when set (jikimi.audit.chain): the file's chain verifies only with them.
        "scope_institution": entry.scope_institution,
        "scope_department": entry.scope_department,
        "scope_device_group": entry.scope_device_group,
    }
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write_file(path: Path, entries: list[AuditEntry], checkpoint: Checkpoint) -> str:
    """Write the archive whole or not at all; return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    digest = hashlib.sha256()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for line in [*(_entry_line(entry) for entry in entries), checkpoint.to_json()]:
            handle.write(line + "\n")
            digest.update((line + "\n").encode())
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)  # never overwrite an earlier archive
    finally:
        os.unlink(temporary)
    return digest.hexdigest()


def archive_before(actor: Actor, before: date, *, output_dir: Path | None = None) -> Archived:
    """Archive every entry of the days before `before` (Asia/Seoul) that the retention rules allow."""
    today = seoul_today()
    refusal = archive_refusal(before, today)
    if refusal is not None:
        raise ArchiveRefused(refusal)
    if connection.vendor == "postgresql" and not _owns_audit_table():
        raise ArchiveRefused(
            "감사 기록 보관 이전은 감사 테이블을 소유한 역할(마이그레이션을 실행하는 역할)로만 할 수 있습니다:"
            " 애플리케이션 역할로는 기록을 지울 수 없습니다 (DATABASE_URL을 소유자 역할로 바꾸어 실행하십시오)"
        )
    limits = archive_limits(today)
    candidates = AuditEntry.objects.filter(at__lt=start_of_day(before))
    grant_kept = (
        AuditEntry.objects.filter(
            action__in=[event.value for event in GRANT_HISTORY_EVENTS],
            at__gte=start_of_day(limits.grant_history_before),
        )
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    if grant_kept is not None:
        # The archive is a prefix of the chain: it stops before the first grant entry still kept.
        candidates = candidates.filter(sequence__lt=grant_kept)
    last = candidates.order_by("-sequence").first()
    if last is None:
        raise ArchiveRefused(
            f"{before.isoformat()} 이전의 감사 기록 가운데 보관 이전할 수 있는 항목이 없습니다"
        )

    verification = verify_log()
    if not verification.ok:
        raise ArchiveRefused(f"감사 기록이 검증되지 않아 보관 이전을 거부합니다: {verification.summary()}")
    fresh = verification.last_checkpoint
    max_age = timedelta(hours=int(settings.JIKIMI_AUDIT_ARCHIVE_CHECKPOINT_MAX_AGE_HOURS))
    if fresh is None or fresh.sequence < last.sequence or timezone.now() - fresh.anchored > max_age:
        have = "없음" if fresh is None else fresh.describe()
        raise ArchiveRefused(
            f"항목 #{last.sequence}까지를 덮는 {max_age.total_seconds() / 3600:.0f}시간 이내의 외부 고정점이"
            f" 없어 보관 이전을 거부합니다 (마지막 고정점: {have}). 먼저 `jikimi anchor_audit`을 실행하십시오"
        )

    entries = list(
        AuditEntry.objects.filter(
            sequence__gt=verification.archived_through, sequence__lte=last.sequence
        ).order_by("sequence")
    )
    try:
        anchored = anchor_checkpoint(kind="archive", upto=last)
    except AnchorRefused as error:
        raise ArchiveRefused(str(error)) from error
    if not anchored.written:
        raise ArchiveRefused("보관 이전 고정점을 어디에도 보관하지 못했습니다: " + "; ".join(anchored.failed))
    checkpoint = anchored.checkpoint
    directory = output_dir if output_dir is not None else Path(settings.JIKIMI_AUDIT_ARCHIVE_DIR)
    path = directory / f"audit-{entries[0].sequence:012d}-{last.sequence:012d}.jsonl"
    digest = _write_file(path, entries, checkpoint)

    remove_archived(
        actor,
        last.sequence,
        reason=f"보존기간이 지난 감사 기록 보관 이전 ({before.isoformat()} 이전)",
        details={
            "before": before.isoformat(),
            "first_sequence": entries[0].sequence,
            "last_sequence": last.sequence,
            "count": len(entries),
            "file": str(path),
            "sha256": digest,
            "checkpoint": {"sequence": checkpoint.sequence, "anchored_at": checkpoint.anchored_at},
        },
    )
    # The state after the archive is anchored too: an archive checkpoint alone would not show a
    # later wipe of what remains.
    anchor_checkpoint()
    return Archived(path, entries[0].sequence, last.sequence, len(entries), checkpoint)


def read_archive(path: Path) -> tuple[list[dict[str, Any]], Checkpoint]:
    """The entries and the signing checkpoint of an archive file (for auditors and tests)."""
    from jikimi.audit.checkpoints import parse

    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:-1]], parse(lines[-1], str(path))


__all__ = ["ArchiveRefused", "Archived", "archive_before", "read_archive"]
