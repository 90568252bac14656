"""`record_many` appends a batch under one head lock: the same chain, checks and refusals as `record`."""

import pytest
from django.db import transaction

from jikimi.accounts.testing import make_user
from jikimi.audit.actions import AuditOutsideTransaction, BadAuditEntry, Entry, record, record_many
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry, ChainHead
from jikimi.audit.queries import verify_log

SYSTEM = Actor(user=None, label="시스템 작업 테스트", client_address="system")


@pytest.mark.django_db
def test_a_batch_chains_in_order_between_single_entries_and_verifies():
    alice = make_user("alice")
    with transaction.atomic():
        first = record(SYSTEM, AuditEvent.AUDIT_VIEW_LOG)
    with transaction.atomic():
        batch = record_many(
            Actor.for_user(alice, "10.1.2.3"),
            [
                Entry(AuditEvent.VAULT_DESTROY_DAY_KEY, alice, reason=f"{i}번째", details={"i": i})
                for i in range(7)
            ],
        )
    with transaction.atomic():
        last = record(SYSTEM, AuditEvent.AUDIT_VERIFY)
    stored = list(AuditEntry.objects.order_by("pk"))
    assert [e.sequence for e in stored] == list(range(1, 10))  # contiguous, primary-key order
    assert [e.action for e in stored] == [
        AuditEvent.AUDIT_VIEW_LOG,
        *[AuditEvent.VAULT_DESTROY_DAY_KEY] * 7,
        AuditEvent.AUDIT_VERIFY,
    ]
    assert batch[0].previous_hash == first.entry_hash and last.previous_hash == batch[-1].entry_hash
    assert [e.details["i"] for e in stored[1:8]] == list(range(7))
    assert stored[1].actor == alice and stored[1].target_id == str(alice.pk)
    assert ChainHead.objects.get().sequence == 9 and ChainHead.objects.get().entry_hash == last.entry_hash
    result = verify_log()
    assert result.ok, result.summary()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_outside_a_transaction():
    with pytest.raises(AuditOutsideTransaction):
        record_many(SYSTEM, [Entry(AuditEvent.VAULT_DESTROY_DAY_KEY)])
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        Entry("NotAnIntent"),
        Entry(AuditEvent.VAULT_DESTROY_DAY_KEY, target_type="x" * 81),
        Entry(AuditEvent.VAULT_DESTROY_DAY_KEY, details={"nan": float("nan")}),
        Entry(AuditEvent.VAULT_DESTROY_DAY_KEY, reason="nul\x00"),
    ],
)
def test_one_bad_entry_refuses_the_whole_batch_with_records_checks(bad):
    with pytest.raises(BadAuditEntry), transaction.atomic():
        record_many(
            SYSTEM, [Entry(AuditEvent.VAULT_DESTROY_DAY_KEY), bad, Entry(AuditEvent.VAULT_DESTROY_DAY_KEY)]
        )
    with pytest.raises(BadAuditEntry), transaction.atomic():
        record(
            SYSTEM,
            bad.action,
            reason=bad.reason,
            details=bad.details,
            target_type=bad.target_type,
        )
    assert not AuditEntry.objects.exists() and not ChainHead.objects.filter(sequence__gt=0).exists()


@pytest.mark.django_db
def test_an_empty_batch_writes_nothing():
    with transaction.atomic():
        assert record_many(SYSTEM, []) == []
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_batch_leaves_the_chain_as_it_was():
    with transaction.atomic():
        record(SYSTEM, AuditEvent.AUDIT_VIEW_LOG)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_many(SYSTEM, [Entry(AuditEvent.VAULT_DESTROY_DAY_KEY) for _ in range(3)])
        raise RuntimeError("the change it records failed")
    with transaction.atomic():
        record(SYSTEM, AuditEvent.AUDIT_VERIFY)
    assert list(AuditEntry.objects.values_list("sequence", "action")) == [
        (1, AuditEvent.AUDIT_VIEW_LOG),
        (2, AuditEvent.AUDIT_VERIFY),
    ]
    assert verify_log().ok
