"""`record` writes entries whose hash still holds after the database round trip (SQLite and PostgreSQL)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from jikimi.accounts.testing import make_user
from jikimi.audit.actions import AuditOutsideTransaction, BadAuditEntry, record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry, ChainHead
from jikimi.audit.queries import verify_log

SYSTEM = Actor(user=None, label="시스템 작업 테스트", client_address="system")


@pytest.mark.django_db
def test_awkward_details_survive_the_database_round_trip():
    details = {
        "큰수": 1e20,
        "소수": 0.1,
        "작은수": 1.5e-7,
        "정수인_실수": 3.0,
        1: "정수 키",
        "목록": (1, "둘", None, True),
        "날짜": dt.date(2026, 11, 23),
        "금액": Decimal("1200.50"),
        "중첩": {"z": 1, "a": {"한글": "값", "emoji": "📹"}},
    }
    with transaction.atomic():
        record(SYSTEM, AuditEvent.AUDIT_VERIFY, reason="왕복", details=details)
    assert verify_log().ok, verify_log().summary()
    stored = AuditEntry.objects.get()
    assert stored.details["1"] == "정수 키" and stored.details["날짜"] == "2026-11-23"


@pytest.mark.django_db
def test_times_are_kept_to_the_microsecond():
    with transaction.atomic():
        entry = record(SYSTEM, AuditEvent.AUDIT_VERIFY)
    assert entry.at.microsecond == AuditEntry.objects.get().at.microsecond
    assert verify_log().ok


@pytest.mark.django_db
def test_it_records_the_user_target_and_chains_to_the_previous_entry():
    alice = make_user("alice")
    actor = Actor.for_user(alice, "10.1.2.3")
    with transaction.atomic():
        first = record(actor, AuditEvent.ACCOUNTS_UPDATE_USER, alice, reason="사유")
    with transaction.atomic():
        second = record(actor, AuditEvent.AUDIT_VIEW_LOG)
    assert (first.actor, first.target_type, first.target_id, first.client_address) == (
        alice,
        "accounts.User",
        str(alice.pk),
        "10.1.2.3",
    )
    assert second.previous_hash == first.entry_hash
    head = ChainHead.objects.get()
    assert (head.sequence, head.entry_hash) == (second.sequence, second.entry_hash)


@pytest.mark.django_db
def test_an_entry_rolls_back_with_its_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        record(SYSTEM, AuditEvent.AUDIT_VERIFY)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()
    with transaction.atomic():
        record(SYSTEM, AuditEvent.AUDIT_VERIFY)
    assert AuditEntry.objects.get().sequence == 1
    assert verify_log().ok


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_outside_a_transaction():
    with pytest.raises(AuditOutsideTransaction):
        record(SYSTEM, AuditEvent.AUDIT_VERIFY)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "details", "reason", "complaint"),
    [
        ("vault.add_devcie", {}, "", "선언되지 않았습니다"),
        (AuditEvent.AUDIT_VERIFY, {"x": float("nan")}, "", "details"),
        (AuditEvent.AUDIT_VERIFY, {"x": object()}, "", "details"),
        (AuditEvent.AUDIT_VERIFY, {"x": "a\x00b"}, "", "NUL"),
        (AuditEvent.AUDIT_VERIFY, {}, "a\x00b", "reason"),
    ],
)
def test_it_refuses_what_it_cannot_store_faithfully_and_says_what(action, details, reason, complaint):
    with pytest.raises(BadAuditEntry, match=complaint), transaction.atomic():
        record(SYSTEM, action, details=details, reason=reason)
