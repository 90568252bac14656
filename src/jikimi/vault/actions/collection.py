"""Garbage collection: delete the ciphertext of destroyed keys, after naming it (R19 파일명).

Destroying a key (a day key at expiry, a hold key at a hold's end) is the destruction; deleting the
objects it sealed is collection, which both destruction and holds call. It lives apart from both so
that neither imports the other for it (holds → collection ← destruction).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.engine.footage import DirectoryStore, FootageError, FootageStore
from jikimi.inventory.models import Device
from jikimi.vault import keyring
from jikimi.vault.models import Destruction, HeldSegment, Segment


def sweep_temporary_files() -> int:
    """Remove the temporary files of puts a killed ingest or recorder left in a directory store;
    returns how many. Those modified within settings.JIKIMI_TEMPORARY_FILE_MINIMUM_AGE_SECONDS
    (default an hour) are left alone: they may belong to a put still running.

    Called hourly (tasks.sweep_temporary_files_hourly) and when a recorder starts. S3 stores keep no
    temporary files (an interrupted multipart upload is aborted, or expires by the bucket's rule).
    """
    minimum_age = float(getattr(settings, "JIKIMI_TEMPORARY_FILE_MINIMUM_AGE_SECONDS", 3600))
    removed = 0
    stores = {id(s): s for s in (keyring.footage_store(), keyring.hold_store())}
    for store in stores.values():
        if isinstance(store, DirectoryStore):
            removed += store.sweep_temporary(older_than=minimum_age)
    return removed + _sweep_abandoned_uploads(minimum_age)


def _sweep_abandoned_uploads(minimum_age: float) -> int:
    # An upload whose request was killed leaves its file in FILE_UPLOAD_TEMP_DIR (JIKIMI_UPLOAD_DIR):
    # personal video, not yet in the vault, that nobody would otherwise delete.
    upload_dir = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not upload_dir:
        return 0
    cutoff = time.time() - minimum_age
    removed = 0
    for path in Path(upload_dir).iterdir():
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


def day_prefix(device: Device, day: date) -> str:
    """Where a day key's objects live in the footage store: every object under it is sealed by that key."""
    return f"{keyring.DAY_PREFIX}{device.storage_name}/{day.isoformat()}/"


def names_sha256(names: list[str]) -> str:
    """SHA-256 of the sorted names, one per line: what the audit chain keeps of a long list of 파일명."""
    return hashlib.sha256("".join(f"{name}\n" for name in sorted(names)).encode()).hexdigest()


def _delete(store: FootageStore, name: str) -> int:
    with contextlib.suppress(FootageError):
        return int(store.delete(name))
    return 0


def collect_garbage(actor: Actor | None = None) -> int:
    """Delete the ciphertext of destroyed keys (idempotent, resumable); returns objects deleted.

    For a destroyed day it also deletes objects under the day's prefix that no index row names — what
    an ingest killed between the store's put and the index insert left behind (noise without the key).
    Before deleting a day's objects it writes their names into the Destruction record (R19 파일명) with
    an audit entry holding their number and SHA-256, so a crash while deleting loses no name.
    """
    actor = actor or Actor.system("collect_garbage")
    deleted = 0
    store, hold_store = keyring.footage_store(), keyring.hold_store()
    pending = Destruction.objects.filter(ciphertext_deleted_at__isnull=True).select_related(
        "day_key", "device"
    )
    for destruction in pending:
        if destruction.day_key is not None:
            segments = Segment.objects.filter(day_key=destruction.day_key)
            prefix = day_prefix(destruction.device, destruction.day_key.day)
            if not destruction.object_names:
                _record_names(actor, destruction, prefix, segments, store)
            deleted += _delete_objects_then_rows(store, segments)
            for name in list(store.list(prefix)):
                deleted += _delete(store, name)
        elif destruction.hold_id is not None:
            deleted += _delete_objects_then_rows(
                hold_store, HeldSegment.objects.filter(hold_id=destruction.hold_id)
            )
        elif destruction.kind == Destruction.Kind.SEGMENTS:
            # A window destroyed on a deletion request (actions.segment_destruction): its named objects.
            deleted += sum(_delete(store, name) for name in destruction.object_names or [])
        destruction.ciphertext_deleted_at = timezone.now()
        destruction.save(update_fields=["ciphertext_deleted_at"])
    # Anything else under a destroyed key (not expected: every destruction writes its record).
    deleted += _delete_objects_then_rows(store, Segment.objects.filter(day_key__wrapped_key__isnull=True))
    deleted += _delete_objects_then_rows(
        hold_store, HeldSegment.objects.filter(hold__wrapped_key__isnull=True)
    )
    return deleted


def _record_names(
    actor: Actor, destruction: Destruction, prefix: str, segments: QuerySet[Segment], store: FootageStore
) -> None:
    """R19 파일명 of a destroyed day: the indexed names and any unindexed object under its prefix."""
    indexed = dict(segments.order_by().values_list("object_name", "stored_bytes").iterator())
    names = sorted({*indexed, *store.list(prefix)})
    with transaction.atomic():
        destruction.object_names = names
        destruction.stored_bytes = sum(indexed.values())
        destruction.save(update_fields=["object_names", "stored_bytes"])
        record(
            actor,
            AuditEvent.VAULT_RECORD_DESTROYED_FILES,
            destruction,
            reason=f"파기한 키 {destruction.key_id}의 암호문 삭제 전 파일명 기록",
            details={
                "type": "파기",
                "destruction": destruction.pk,
                "files": {"prefix": prefix, "count": len(names), "sha256": names_sha256(names)},
                "stored_bytes": destruction.stored_bytes,
            },
        )


def _delete_objects_then_rows(store: FootageStore, rows: QuerySet[Any]) -> int:
    """Delete the stored objects, then their index rows in one statement (row by row took ~30 min a day).

    Interrupted, it leaves rows whose objects may be gone; the next run deletes again (idempotent)."""
    deleted = sum(_delete(store, name) for name in rows.values_list("object_name", flat=True).iterator())
    rows.delete()
    return deleted
