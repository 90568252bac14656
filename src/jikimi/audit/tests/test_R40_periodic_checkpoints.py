"""A huey task signs a checkpoint hourly and after every N entries (R40)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from huey.contrib.djhuey import HUEY

from jikimi.audit.anchoring import latest_checkpoint
from jikimi.audit.tasks import anchor_checkpoint_when_due, checkpoint_due
from jikimi.audit.tests.tampering import disable_guard, move_head, sql, write_entries

pytestmark = pytest.mark.django_db
START = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)


def test_the_task_is_a_periodic_huey_task():
    assert "audit.anchor_checkpoint_when_due" in {task.name for task in HUEY._registry.periodic_tasks}


def test_it_anchors_after_n_entries_and_after_the_interval(settings):
    settings.JIKIMI_AUDIT_ANCHOR_EVERY_ENTRIES = 3
    settings.JIKIMI_AUDIT_ANCHOR_INTERVAL_MINUTES = 60
    with time_machine.travel(START, tick=False) as traveller:
        assert not checkpoint_due()  # an empty log
        write_entries(1)
        assert anchor_checkpoint_when_due.call_local() == {"anchored": True, "sequence": 1, "failed": 0}
        assert anchor_checkpoint_when_due.call_local() == {"anchored": False}
        write_entries(2)
        assert not checkpoint_due()
        write_entries(1)
        assert checkpoint_due()  # 3 entries since the last checkpoint
        anchor_checkpoint_when_due.call_local()
        assert latest_checkpoint().sequence == 4
        write_entries(1)
        traveller.shift(timedelta(minutes=59))
        assert not checkpoint_due()
        traveller.shift(timedelta(minutes=1))
        assert checkpoint_due()  # an hour since, and something was written
        anchor_checkpoint_when_due.call_local()
        assert latest_checkpoint().sequence == 5
        traveller.shift(timedelta(hours=5))
        assert not checkpoint_due()  # nothing new: nothing to sign


def test_a_log_cut_behind_the_last_checkpoint_is_reported_not_signed(settings, caplog):
    with time_machine.travel(START, tick=False):
        entries = write_entries(4)
        anchor_checkpoint_when_due.call_local()
        disable_guard()
        sql("DELETE FROM audit_auditentry WHERE sequence = 4")
        move_head(3, entries[2].entry_hash)
        assert checkpoint_due()
        assert anchor_checkpoint_when_due.call_local() == {"anchored": False, "refused": True}
    assert latest_checkpoint().sequence == 4
    assert "does not verify" in caplog.text


def test_signing_walks_the_chain_only_from_the_last_checkpoint_but_verify_audit_walks_it_all():
    from jikimi.audit.queries import verify_log
    from jikimi.audit.tests.tampering import sql as raw_sql

    with time_machine.travel(START, tick=False):
        write_entries(4)
        anchor_checkpoint_when_due.call_local()
        write_entries(2)
        disable_guard()
        # An entry before the checkpoint changed without rehashing: the full walk finds it.
        raw_sql("UPDATE audit_auditentry SET reason = 'x' WHERE sequence = 2")
        assert verify_log(since_last_checkpoint=True).ok
        assert verify_log(since_last_checkpoint=True).count == 6
        problem = verify_log().problem
    assert problem is not None and problem.kind == "modified" and problem.sequence == 2
