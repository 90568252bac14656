"""The application runs as a database role that cannot cut the log; the migrations' role owns it (R40).

Issue 11: the README told to run the application as a non-superuser, but the role that ran the
migrations owned the audit table and could drop its trigger. `jikimi grant_app_role ROLE` gives
the application's role exactly what it needs; this test shows what it then cannot do. PostgreSQL only.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jikimi.audit.actions import record
from jikimi.audit.archiving import ArchiveRefused, archive_before
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry, ChainHead
from jikimi.audit.queries import verify_log
from jikimi.audit.tests.tampering import sql, write_entries

pytestmark = pytest.mark.django_db
ROLE = "jikimi_app_test"


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's; SQLite relies on the signed checkpoints alone")
    # Created inside the test's transaction: rolled back with it.
    sql(f"CREATE ROLE {ROLE} NOLOGIN")
    out = StringIO()
    call_command("grant_app_role", ROLE, "--apply", stdout=out, stderr=out)
    assert f'GRANT SELECT, INSERT ON "audit_auditentry" TO "{ROLE}";' in out.getvalue()
    assert f'GRANT SELECT, INSERT ON "audit_auditreview" TO "{ROLE}";' in out.getvalue()  # a signed month
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    return ROLE


def as_app(statement: str) -> None:
    sql(f"SET ROLE {ROLE}")
    try:
        with transaction.atomic():
            sql(statement)
    finally:
        sql("RESET ROLE")


def test_the_application_role_writes_and_reads_the_log(app_role):
    write_entries(2)
    sql(f"SET ROLE {ROLE}")
    try:
        with transaction.atomic():
            record(Actor.system("app role"), AuditEvent.AUDIT_VERIFY, reason="앱 역할로 기록")
        assert verify_log().ok
    finally:
        sql("RESET ROLE")
    assert ChainHead.objects.get(id=1).sequence == 3 and AuditEntry.objects.count() == 3


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM audit_auditentry WHERE sequence = 2",
        "UPDATE audit_auditentry SET reason = 'x'",
        "TRUNCATE audit_auditentry",
        "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_no_truncate",
        "DROP TABLE audit_auditentry",
        "DELETE FROM audit_chainhead",
        "TRUNCATE audit_chainhead",
        "SET session_replication_role = replica",
    ],
)
def test_the_application_role_cannot_change_cut_or_unguard_the_log(app_role, statement):
    write_entries(2)
    with pytest.raises(DatabaseError, match="permission denied|must be owner"):
        as_app(statement)
    assert AuditEntry.objects.count() == 2


def test_the_application_role_cannot_archive(app_role):
    write_entries(1)
    sql(f"SET ROLE {ROLE}")
    try:
        with pytest.raises(ArchiveRefused, match="소유한 역할"):
            archive_before(Actor.system("archive_audit"), date(2000, 1, 1))
    finally:
        sql("RESET ROLE")


def test_grant_app_role_refuses_the_owner_of_the_tables():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="소유자"):
        call_command("grant_app_role", owner, stdout=StringIO())


def test_grant_app_role_says_why_there_are_no_roles_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL에만"):
        call_command("grant_app_role", "anyone", stdout=StringIO())
