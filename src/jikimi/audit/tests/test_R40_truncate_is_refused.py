"""PostgreSQL refuses TRUNCATE of the audit tables (R40; audit migration 0003).

Issue 11: `TRUNCATE audit_auditentry` succeeded: the row trigger of migration 0002 does not fire for it.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from jikimi.audit.models import AuditEntry, ChainHead
from jikimi.audit.tests.tampering import sql, write_entries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE and its triggers are PostgreSQL's (SQLite has neither)")
    # Checks deferred to the end of the test's transaction must not be what refuses the TRUNCATE.
    sql("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_auditentry",
        "TRUNCATE audit_chainhead",
        "TRUNCATE audit_auditentry, audit_chainhead RESTART IDENTITY",
        # Cascading from the users' table would empty the log too.
        "TRUNCATE accounts_user CASCADE",
    ],
)
def test_truncate_is_refused(statement):
    write_entries(3)
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"), transaction.atomic():
        sql(statement)
    assert AuditEntry.objects.count() == 3


def test_the_chain_head_cannot_be_deleted():
    write_entries(1)
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), transaction.atomic():
        sql("DELETE FROM audit_chainhead")
    assert ChainHead.objects.get(id=1).sequence == 1
