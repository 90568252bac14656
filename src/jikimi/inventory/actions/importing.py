"""The import of a whole register file: one transaction, its audit entry, term changes and re-scopes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory import models
from jikimi.inventory.checks import unread_phrases_of_entry
from jikimi.inventory.register_file import importing
from jikimi.inventory.register_file.changes import register_changes, register_values
from jikimi.inventory.register_file.devices import Rescope, TermChange
from jikimi.inventory.register_file.errors import FileProblem
from jikimi.inventory.register_file.exporting import register_data
from jikimi.inventory.register_file.reading import parse_register
from jikimi.rules.register_checks import UnreadPhrase, format_path


@dataclass
class ImportResult:
    institution: models.Institution
    replaced: bool
    counts: dict[str, int]
    sha256: str
    warnings: list[FileProblem] = field(default_factory=list)
    term_changes: list[TermChange] = field(default_factory=list)
    dry_run: bool = False
    rescopes: list[Rescope] = field(default_factory=list)
    # What changed, field by field ("기기 묶음 bus-lane 설치 대수": [35, 36]); empty for a new institution.
    changes: dict[str, list[Any]] = field(default_factory=dict)
    # The file is the register as it stands: nothing was written, nothing recorded.
    unchanged: bool = False
    # Published 촬영시간/보관기간 kept as written but with no machine meaning yet (issue 16): the
    # notice lists them with their group and location so the officer states one.
    unread_phrases: list[UnreadPhrase] = field(default_factory=list)

    def unread_notice(self) -> list[str]:
        """The Korean notice of `unread_phrases`: a heading line, then one line each."""
        if not self.unread_phrases:
            return []
        return [
            f"기계가 읽을 뜻이 없는 공개 문구 {len(self.unread_phrases)}건 — 방침에는 그대로 싣고, 뜻을 적을 때까지 "
            "아래처럼 처리합니다:",
            *(f"  {self._where(phrase)}" for phrase in self.unread_phrases),
        ]

    def _where(self, phrase: UnreadPhrase) -> str:
        # The warning of the same phrase names the file and line.
        for warning in self.warnings:
            if warning.message == phrase.message():
                return str(warning)
        return f"{format_path(phrase.path)}: {phrase.message()}"


class TermChangesNotConfirmed(Exception):
    """The import would change the retention or recording hours of existing devices (법 제21조①, R16):
    it is shown first and applied only when confirmed. Nothing was written."""

    def __init__(self, changes: list[TermChange]):
        self.changes = changes
        super().__init__("\n".join(str(change) for change in changes))


def import_register(
    actor: Actor, text: str, file: str, *, dry_run: bool = False, confirm_term_changes: bool = False
) -> ImportResult:
    """Replace (or create) an institution's register from a register file; all or nothing.

    Raises RegisterFileError naming file, line and field of every problem, and TermChangesNotConfirmed
    when existing devices would keep footage for another period or record other hours and the caller
    has not confirmed it; nothing is written then. `dry_run` does everything and then rolls it back,
    so the result (counts, warnings, term changes) is the preview of the import.
    """
    parsed = parse_register(text, file, keep_problems=True)  # validate reports them with its own
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        existing, warnings, plan = importing.validate(parsed)
        changes: dict[str, list[Any]] = {}
        if existing is not None:
            before = register_values(register_data(existing))
            changes = register_changes(before, parsed.entry.model_dump())
            if not (changes or plan.moves or plan.term_changes or plan.rescopes):
                # Re-importing the register as it stands changes nothing, and says so; the file's
                # comments and order (not register facts) are still kept for the next export.
                if not dry_run:
                    _keep_source(existing, text, file, digest)
                return ImportResult(
                    existing,
                    True,
                    importing.counts_of(parsed.entry),
                    digest,
                    warnings,
                    unchanged=True,
                    unread_phrases=unread_phrases_of_entry(parsed.entry),
                )
        if plan.term_changes and not (confirm_term_changes or dry_run):
            raise TermChangesNotConfirmed(plan.term_changes)
        institution, counts = importing.write(parsed.entry, existing, file, plan)
        _keep_source(institution, text, file, digest)
        record(
            actor,
            AuditEvent.INVENTORY_IMPORT_REGISTER,
            institution,
            reason=f"대장 파일 가져오기: {file}",
            details={
                "file": file,
                "sha256": digest,
                "replaced": existing is not None,
                "counts": counts,
                "warnings": [str(w) for w in warnings],
                "moved_devices": len(plan.moves),
                "term_changes": [change.details() for change in plan.term_changes],
                "rescopes": [rescope.details() for rescope in plan.rescopes],
                "changes": changes,
            },
        )
        for change in plan.term_changes:
            _record_term_change(actor, institution, change, file)
        for rescope in plan.rescopes:
            # R36: the grants of another department now decide who sees these devices' footage.
            record(
                actor,
                AuditEvent.INVENTORY_DEVICE_GROUP_RESCOPED,
                institution.device_groups.get(key=rescope.group),
                reason=f"대장 파일 가져오기: {file}",
                details=rescope.details(),
            )
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(
        institution,
        existing is not None,
        counts,
        digest,
        warnings,
        plan.term_changes,
        dry_run,
        plan.rescopes,
        changes,
        unread_phrases=unread_phrases_of_entry(parsed.entry),
    )


def _keep_source(institution: models.Institution, text: str, file: str, digest: str) -> None:
    """The file as imported, so that an export keeps the officer's comments and key order."""
    models.RegisterSource.objects.update_or_create(
        institution=institution, defaults={"text": text, "file": file[:500], "sha256": digest}
    )


def _record_term_change(actor: Actor, institution: models.Institution, change: TermChange, file: str) -> None:
    """법 제21조①: which devices now keep footage how long (and record when), before and after."""
    group = institution.device_groups.get(key=change.group)
    target = group.locations.get(key=change.location) if change.location else group
    record(
        actor,
        AuditEvent.INVENTORY_DEVICE_TERMS_CHANGED,
        target,
        reason=f"대장 파일 가져오기: {file}",
        details=change.details(),
    )
