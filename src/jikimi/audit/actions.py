"""The only writer of the audit log. Call `record` (`record_many` for a batch) inside the change's transaction.

The log's own pages and the admin write through `read_log` and `verify_now` below, like every other
audited change (R40: who read which part of the log, and every verification, is kept).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from jikimi.audit import anchoring
from jikimi.audit.chain import GENESIS_HASH, EntryData, NotStorable, entry_hash, normalise_details
from jikimi.audit.checkpoints import Checkpoint, sign, utc_text
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry, AuditReview, ChainHead
from jikimi.audit.queries import Verification, verify_log
from jikimi.audit.review import MonthReview, month_has_ended
from jikimi.audit.scope import NO_SCOPE, ReadableScope, Scope, scope_of
from jikimi.audit.signals import entries_recorded

log = logging.getLogger(__name__)


class AuditOutsideTransaction(RuntimeError):
    """An audit entry must commit or roll back together with the change it records."""


class BadAuditEntry(ValueError):
    """The entry cannot be recorded as given (undeclared event, a field too long, unstorable details)."""


def record(
    actor: Actor,
    action: AuditEvent,
    target: models.Model | None = None,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
    scope: Scope | None = None,
) -> AuditEntry:
    """Append one entry to the hash chain. `action` is a declared event, e.g. AuditEvent.VAULT_ADD_DEVICE.

    The entry's scope (R36: who may read it; jikimi.audit.scope) is `scope` when given, else what the
    target's `audit_scope()` says, else the acting user's, else none (the system's own entries).

    `details` may hold dates, decimals and UUIDs (stored as strings, as Django's JSON encoder writes
    them); what is hashed is exactly what the database gives back, on SQLite and on PostgreSQL.
    """
    entry = Entry(
        action,
        target,
        reason=reason,
        details=details,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        scope=scope,
    )
    return record_many(actor, [entry])[0]


@dataclass(frozen=True)
class Entry:
    """One entry for `record_many`: the arguments of `record` after the actor."""

    action: AuditEvent
    target: models.Model | None = None
    reason: str = ""
    details: dict[str, Any] | None = None
    target_type: str = ""
    target_id: str = ""
    target_label: str = ""
    scope: Scope | None = None


@dataclass(frozen=True)
class _Checked:
    action: str
    target_type: str
    target_id: str
    target_label: str
    reason: str
    details: dict[str, Any]
    scope: Scope


def _scope(actor: Actor, entry: Entry) -> Scope:
    # A target that declares no scope falls back to the actor's, not to "the system's": an entry of
    # an institution's user stays within that institution (R36) even about a model that forgot it.
    if entry.scope is not None:
        return entry.scope
    return scope_of(entry.target) or scope_of(actor.user) or NO_SCOPE


def _check(actor: Actor, entry: Entry) -> _Checked:
    reason = entry.reason
    try:
        action = AuditEvent(entry.action).value
    except ValueError:
        raise BadAuditEntry(
            f"감사 행위 '{entry.action}'은(는) 선언되지 않았습니다: jikimi.audit.events.AuditEvent에 먼저 선언하십시오"
        ) from None
    target_type, target_id, target_label = entry.target_type, entry.target_id, entry.target_label
    if entry.target is not None:
        target_type = target_type or entry.target._meta.label
        target_id = target_id or str(entry.target.pk)
        target_label = target_label or str(entry.target)
    if len(target_type) > 80 or len(target_id) > 80:
        raise BadAuditEntry(f"감사 대상 '{target_type}:{target_id}'이(가) 너무 깁니다 (각 80자 이하)")
    try:
        stored_details = normalise_details(
            json.loads(json.dumps(entry.details or {}, cls=DjangoJSONEncoder, allow_nan=False))
        )
    except (TypeError, ValueError) as error:
        raise BadAuditEntry(f"감사 기록 '{action}'의 세부(details)를 저장할 수 없습니다: {error}") from error
    for name, value in (("reason", reason), ("target_label", target_label), ("actor", actor.label)):
        if "\x00" in value:
            raise BadAuditEntry(f"감사 기록 '{action}'의 {name}에 NUL 문자가 있습니다")
    return _Checked(
        action, target_type, target_id, target_label, reason, stored_details, _scope(actor, entry)
    )


def record_many(actor: Actor, entries: Sequence[Entry]) -> list[AuditEntry]:
    """Append `entries`, in order, to the hash chain: what `record` does for each, under one head lock.

    For sweeps that change many rows in one transaction (retention destroys thousands of day keys a
    night, R17/R19): one lock of the head row, one INSERT for all entries, one update of the head —
    instead of three statements per entry. Every entry is validated before anything is written; the
    chain is exactly the one `record` called once per entry would have written.
    """
    action = entries[0].action if entries else "(none)"
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(f"audit entry '{action}' must be written inside transaction.atomic()")
    checked = [_check(actor, entry) for entry in entries]
    if not checked:
        return []
    # Lock the head row for the rest of the transaction: appends are serial on every database, and
    # sequence order is primary-key order (the ids are drawn after the lock is taken, in list order).
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    user = actor.user if actor.user is not None and actor.user.pk is not None else None
    sequence, previous = head.sequence, head.entry_hash
    at, details_of_clock = _monotonic_now(head.sequence)
    rows: list[AuditEntry] = []
    for item in checked:
        sequence += 1
        details = (
            item.details if details_of_clock is None else {**item.details, "clock_behind": details_of_clock}
        )
        data = EntryData(
            sequence=sequence,
            at=at,
            actor=actor.label[:200],
            actor_id=user.pk if user is not None else None,
            action=item.action,
            target_type=item.target_type,
            target_id=item.target_id,
            target_label=item.target_label[:300],
            reason=item.reason,
            client_address=actor.client_address[:100],
            details=details,
            previous_hash=previous,
            scope_institution=item.scope.institution_id,
            scope_department=item.scope.department_id,
            scope_device_group=item.scope.device_group_id,
        )
        hashed = entry_hash(previous, data)
        rows.append(
            AuditEntry(
                sequence=data.sequence,
                at=data.at,
                actor=user,
                actor_label=data.actor,
                action=item.action,
                target_type=item.target_type,
                target_id=item.target_id,
                target_label=data.target_label,
                reason=item.reason,
                client_address=data.client_address,
                details=data.details,
                scope_institution=data.scope_institution,
                scope_department=data.scope_department,
                scope_device_group=data.scope_device_group,
                previous_hash=previous,
                entry_hash=hashed,
            )
        )
        previous = hashed
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one entry: a plain INSERT, as record() always did
    else:
        # Sequence order must be primary-key order (verify_chain walks by primary key): one
        # multi-row INSERT per batch assigns ids in the order of the rows.
        rows = AuditEntry.objects.bulk_create(rows, batch_size=500)
    head.sequence = sequence
    head.entry_hash = previous
    head.save(update_fields=["sequence", "entry_hash"])
    entries_recorded.send(sender=AuditEntry, entries=rows)
    return rows


def _monotonic_now(last_sequence: int) -> tuple[Any, dict[str, Any] | None]:
    """The time of the next entry: now, but never before the last entry's (R40).

    Times along the chain never go backwards, so that verification can report a rewrite that moved
    one. A clock set back (an NTP correction after a jump ahead) must not make the log look
    tampered with: the entry takes the last entry's time and keeps what the clock said.
    """
    now = timezone.now()
    last_at = AuditEntry.objects.filter(sequence=last_sequence).values_list("at", flat=True).first()
    if last_at is None or now >= last_at:
        return now, None
    return last_at, {
        "clock": now.isoformat(timespec="microseconds"),
        "behind_seconds": round((last_at - now).total_seconds(), 3),
    }


def read_log(actor: Actor, *, details: dict[str, Any]) -> AuditEntry:
    """Keep who read which part of the log (안전성 확보조치 기준 제8조②, R40: the monthly review reads it).

    `details` say which part: the filter, the page and the entries shown, or the admin page read.
    """
    with transaction.atomic():
        return record(actor, AuditEvent.AUDIT_VIEW_LOG, reason="감사 기록 열람", details=details)


def export_log(actor: Actor, *, reason: str, described: dict[str, str], count: int) -> AuditEntry:
    """Keep who exported which part of the log, and why (R40: an export of the log is a download of
    personal data, and its reason is what the monthly review checks). The view writes the file."""
    with transaction.atomic():
        return record(
            actor,
            AuditEvent.AUDIT_EXPORT_LOG,
            reason=reason,
            details={"filter": described, "count": count, "format": "xlsx"},
        )


class ReviewRefused(ValueError):
    """A month that cannot be signed as asked; the message says why (Korean)."""


def sign_review(actor: Actor, review: MonthReview, scope: ReadableScope, *, comment: str) -> AuditReview:
    """The reviewer signs off a month of the log he may read (R40), once, and only after it ended."""
    month = review.month
    if not month_has_ended(month):
        raise ReviewRefused(
            f"{month:%Y년 %m월}은(는) 아직 끝나지 않았습니다. 달이 지난 뒤에 점검을 확인할 수 있습니다."
        )
    if actor.user is None or scope.is_empty:
        raise ReviewRefused("점검을 확인할 수 있는 사람은 감사 기록 열람 권한이 있는 계정입니다.")
    comment = comment.strip()
    if not comment:
        raise ReviewRefused("점검 의견을 적으십시오.")
    user_scope = scope_of(actor.user) or NO_SCOPE
    try:
        with transaction.atomic():
            signed = AuditReview.objects.create(
                month=month,
                scope_key=scope.key,
                covers=scope.describe(),
                reviewer=actor.user,
                reviewer_label=actor.label[:200],
                signed_at=timezone.now(),
                comment=comment,
                scope_institution=user_scope.institution_id,
                scope_department=user_scope.department_id,
            )
            record(
                actor,
                AuditEvent.AUDIT_SIGN_REVIEW,
                signed,
                reason=comment,
                details={
                    "month": f"{month:%Y-%m}",
                    "covers": signed.covers,
                    "downloads": review.downloads_total,
                    "after_hours": review.after_hours_total,
                    "outliers": [person.label for person in review.outliers],
                },
            )
    except IntegrityError:
        done = AuditReview.objects.filter(month=month, scope_key=scope.key).first()
        who = f" ({done.reviewer_label}, {timezone.localtime(done.signed_at):%Y-%m-%d %H:%M})" if done else ""
        raise ReviewRefused(f"{month:%Y년 %m월} 점검은 이미 확인되었습니다{who}.") from None
    return signed


def verify_now(actor: Actor) -> Verification:
    """Verify the whole hash chain now and keep the outcome in the log itself (R40: tamper-evident)."""
    result = verify_log()
    with transaction.atomic():
        record(
            actor,
            AuditEvent.AUDIT_VERIFY,
            reason="감사 기록 해시 체인 검증",
            details={
                "count": result.count,
                "ok": result.ok,
                "problem": None if result.problem is None else vars(result.problem),
                "last_checkpoint": _checkpoint_details(result.last_checkpoint),
                "archived_through": result.archived_through,
            },
        )
    return result


def _checkpoint_details(checkpoint: Checkpoint | None) -> dict[str, Any] | None:
    if checkpoint is None:
        return None
    return {"sequence": checkpoint.sequence, "anchored_at": checkpoint.anchored_at, "kind": checkpoint.kind}


class AnchorRefused(RuntimeError):
    """The chain does not verify, so it is not signed: a checkpoint must never certify a tampered log."""


@dataclass(frozen=True)
class Anchored:
    checkpoint: Checkpoint
    written: list[str]  # the places that keep it
    failed: list[str]  # why a place did not (Korean sentences)


def anchor_checkpoint(*, kind: str = "periodic", upto: AuditEntry | None = None) -> Anchored:
    """Verify the log, then sign a checkpoint of its last entry (or of `upto`) and anchor it everywhere.

    The chain is walked from the furthest earlier checkpoint on (see `verify_log`), so that an
    hourly checkpoint costs what was written in the hour, not the whole log.

    Every configured place is tried even when one fails; the caller reports `failed`. Raises
    AnchorRefused, after alerting the auditors, when the log does not verify.
    """
    result = verify_log(since_last_checkpoint=True)
    # A place that cannot be read now is reported below when writing to it fails too; the others
    # must still receive the checkpoint.
    if result.problem is not None and result.problem.kind != "unreadable":
        text = result.summary()
        log.error("audit log does not verify, no checkpoint signed: %s", text)
        anchoring.mail_alert("감사 기록 검증 실패 — 고정점을 만들지 않았습니다", text)
        raise AnchorRefused(f"감사 기록이 검증되지 않아 고정점을 만들지 않았습니다: {text}")
    last = upto if upto is not None else AuditEntry.objects.order_by("-sequence").first()
    first = AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True).first()
    unsigned = Checkpoint(
        institution=str(settings.JIKIMI_AUDIT_INSTITUTION),
        sequence=last.sequence if last is not None else 0,
        entry_hash=last.entry_hash if last is not None else GENESIS_HASH,
        entry_at=utc_text(last.at) if last is not None else "",
        entry_count=AuditEntry.objects.filter(sequence__lte=last.sequence).count() if last is not None else 0,
        first_sequence=first if first is not None else result.archived_through + 1,
        anchored_at=utc_text(timezone.now()),
        kind=kind,
    )
    checkpoint = sign(unsigned, anchoring.signing_key())
    written: list[str] = []
    failed: list[str] = []
    places = anchoring.anchors()
    if not places:
        failed.append(
            "고정점을 보관할 곳이 설정되지 않았습니다 (JIKIMI_AUDIT_ANCHOR_PATH, JIKIMI_AUDIT_ANCHOR_S3_URL)"
        )
    for place in places:
        try:
            place.append(checkpoint)
            written.append(place.name)
        except anchoring.AnchorError as error:
            log.error("%s", error)
            failed.append(str(error))
    if anchoring.auditor_addresses():
        try:
            anchoring.mail_checkpoint(checkpoint)
            written.append("감사인 메일 " + ", ".join(anchoring.auditor_addresses()))
        except anchoring.AnchorError as error:
            log.error("%s", error)
            failed.append(str(error))
    return Anchored(checkpoint, written, failed)


def remove_archived(actor: Actor, through: int, *, reason: str, details: dict[str, Any]) -> AuditEntry:
    """Delete the entries up to `through`, already written to a signed archive, and record it (R39).

    Only `archiving.archive_before` calls this, after the archive checkpoint is anchored and the
    archive file is on disk. The append-only triggers are bypassed as a deployment does it:

    - PostgreSQL: the session must be the role that owns the audit table (the one that runs the
      migrations). In one transaction it disables the row trigger, deletes, and enables it again;
      the application's role owns nothing and cannot (ALTER TABLE needs ownership).
    - SQLite has no roles: whoever can write the database file could do anything to it. Migration
      0002's trigger lets entries go only from the oldest end, one after the other, which is
      exactly what is deleted here; the signed archive checkpoint is what tells an archive from a
      deletion (verification starts from it, and finds anything more removed).
    """
    with transaction.atomic():
        _delete_through(through)
        return record(actor, AuditEvent.AUDIT_ARCHIVE, reason=reason, details=details)


def _delete_through(sequence: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred constraint checks pending in this transaction must run before ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
            cursor.execute("DELETE FROM audit_auditentry WHERE sequence <= %s", [sequence])
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only")
            cursor.execute(
                "DELETE FROM audit_legacyscope WHERE entry_id NOT IN (SELECT id FROM audit_auditentry)"
            )
        else:
            # Oldest first, one at a time: migration 0002's trigger refuses any entry that still has
            # an older one (SQLite's DELETE … ORDER BY is a compile-time option most builds lack).
            cursor.execute(
                "SELECT id FROM audit_auditentry WHERE sequence <= %s ORDER BY sequence", [sequence]
            )
            ids = [row[0] for row in cursor.fetchall()]
            for pk in ids:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [pk])
                # The scope kept beside the chain for entries older than scopes goes with them.
                cursor.execute("DELETE FROM audit_legacyscope WHERE entry_id = %s", [pk])


__all__ = [
    "AnchorRefused",
    "Anchored",
    "anchor_checkpoint",
    "AuditOutsideTransaction",
    "BadAuditEntry",
    "Entry",
    "NotStorable",
    "export_log",
    "read_log",
    "ReviewRefused",
    "sign_review",
    "record",
    "record_many",
    "remove_archived",
    "verify_now",
]
