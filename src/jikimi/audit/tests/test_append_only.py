"""The audit log is append-only: the database and the model refuse UPDATE and DELETE (R40)."""

import pytest
from django.db import DatabaseError, transaction

from jikimi.audit.models import AppendOnly, AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.audit.tests.tampering import sql, write_entries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET reason = 'x' WHERE sequence = 2",
        "UPDATE audit_auditentry SET reason = 'x'",
        "DELETE FROM audit_auditentry WHERE sequence = 2",
        "DELETE FROM audit_auditentry WHERE sequence = 3",
    ],
)
def test_the_database_refuses_to_change_or_delete_entries(statement):
    write_entries(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        sql(statement)
    assert AuditEntry.objects.count() == 3
    assert verify_log().ok


def test_the_model_refuses_to_save_an_existing_entry_or_delete_it():
    entry = write_entries(1)[0]
    entry.reason = "x"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_emptying_the_whole_database_still_works_for_test_runs():
    # Django's flush between transactional tests deletes whole tables (SQLite) or truncates (PostgreSQL).
    from django.core.management import call_command

    write_entries(3)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
