"""An entry of the 관리대장 is never edited (R26): it is signed (결재) by somebody who did not write it, and
a mistake is corrected by a new entry citing the old one — each audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.ledger import LedgerRefused, approve_entry, correct_entry
from jikimi.disclosure.models import LedgerEntry
from jikimi.disclosure.models.ledger import LedgerImmutable
from jikimi.disclosure.tests.factories_decisions import (
    WINDOW_START,
    actor,
    people,
    pinned_clock,  # noqa: F401 (fixture)
    vault_storage,  # noqa: F401 (fixture)
)
from jikimi.disclosure.tests.ledger_world import gate_device
from jikimi.vault.actions.playback import open_viewing

pytestmark = pytest.mark.usefixtures("vault_storage", "pinned_clock")


@pytest.fixture
def crew(db):
    return people()


@pytest.fixture
def entry(crew) -> LedgerEntry:
    open_viewing(
        actor(crew["officer"]),
        gate_device(),
        WINDOW_START,
        WINDOW_START + timedelta(minutes=5),
        "교통사고 확인",
    )
    return LedgerEntry.objects.get()


def test_an_entry_cannot_be_edited_nor_deleted(entry):
    entry.purpose = "다른 목적"
    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        entry.save(update_fields=["purpose"])
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(pk=entry.pk).update(purpose="x")
    with pytest.raises(LedgerImmutable):
        entry.delete()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.purpose == "교통사고 확인"


def test_결재_by_another_person_is_recorded_and_audited(crew, entry):
    approved = approve_entry(actor(crew["head"]), entry)
    assert approved.approved_by == crew["head"] and approved.approved_by_name == "박운영"
    assert approved.approved_at == timezone.now()
    audit = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_APPROVE_LEDGER_ENTRY)
    assert audit.details == {"entry_number": 1} and audit.target_id == str(entry.pk)
    with pytest.raises(LedgerRefused, match="이미 박운영"):
        approve_entry(actor(crew["privacy"]), entry)


def test_the_writer_the_auditor_and_an_officer_cannot_sign(crew, entry):
    # the writer is the officer, who holds no 결재 right anyway; the privacy officer writes one himself
    with pytest.raises(LedgerRefused, match="권한"):
        approve_entry(actor(crew["officer"]), entry)
    with pytest.raises(LedgerRefused, match="권한"):
        approve_entry(actor(crew["auditor"]), entry)
    open_viewing(
        actor(crew["privacy"]),
        gate_device(),
        WINDOW_START,
        WINDOW_START + timedelta(minutes=1),
        "본인 열람 확인",
    )
    own = LedgerEntry.objects.get(number=2)
    with pytest.raises(LedgerRefused, match="담당자가 아닌 사람"):
        approve_entry(actor(crew["privacy"]), own)
    assert not LedgerEntry.objects.filter(approved_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_APPROVE_LEDGER_ENTRY).exists()


def test_a_correction_is_a_new_entry_citing_the_old(crew, entry):
    new = correct_entry(
        actor(crew["head"]),
        entry,
        changes={"purpose": "교통사고 경위 확인", "period": entry.period},
        reason="목적을 구체적으로 적음",
    )
    entry.refresh_from_db()
    assert entry.purpose == "교통사고 확인"  # the old one stays as it was
    assert (new.number, new.corrects, new.correction_reason) == (2, entry, "목적을 구체적으로 적음")
    assert new.purpose == "교통사고 경위 확인" and new.kind == entry.kind and new.period == entry.period
    assert list(new.devices.all()) == list(entry.devices.all()) and new.officer == entry.officer
    audit = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_CORRECT_LEDGER_ENTRY)
    assert audit.details == {
        "corrected_number": 1,
        "changes": {"purpose": ["교통사고 확인", "교통사고 경위 확인"]},
    }
    assert new.audit_entry == audit and audit.reason == "목적을 구체적으로 적음"


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"purpose": "새 목적"}, "  ", "정정 사유"),
        ({"purpose": "교통사고 확인"}, "같은 내용", "바뀐 항목이 없습니다"),
        ({"purpose": ""}, "목적 지움", "목적/사유: 비워 둘 수 없습니다"),
        ({"number": 9}, "번호 변경", "정정할 수 없는 항목"),
        ({"purpose": "새 목적"}, "가" * 501, "500자"),
    ],
)
def test_a_bad_correction_says_why_and_writes_nothing(crew, entry, changes, reason, message):
    with pytest.raises(LedgerRefused, match=message):
        correct_entry(actor(crew["head"]), entry, changes=changes, reason=reason)
    assert LedgerEntry.objects.count() == 1
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_CORRECT_LEDGER_ENTRY).exists()


def test_the_auditor_cannot_correct(crew, entry):
    with pytest.raises(LedgerRefused, match="권한"):
        correct_entry(actor(crew["auditor"]), entry, changes={"purpose": "x 목적"}, reason="정정")
