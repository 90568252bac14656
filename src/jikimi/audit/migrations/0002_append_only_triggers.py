"""The database itself refuses UPDATE and DELETE on the audit log (안전성 확보조치 기준 제8조③, R40).

PostgreSQL: a row trigger raises on every UPDATE and DELETE. Only someone who can ALTER the table
(its owner or a superuser) can get past it, and the hash chain then shows what they did. Run the
application as a role that does not own the table to make that a separate privilege.

SQLite: triggers RAISE(ABORT) on every UPDATE, and on a DELETE of any entry that has an older entry
still present. Deleting the whole table at once (Django's `flush` between tests) removes the oldest
row first and so passes; so does removing entries strictly from the oldest end — which the chain
check then reports as deleted. SQLite has no privileges: whoever can write the file can drop the
triggers; the chain is what catches that.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION jikimi_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditentry is append-only: % refused', TG_OP
        USING HINT = '감사 기록은 고치거나 지울 수 없습니다 (R40)';
END;
$$;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION jikimi_audit_refuse_change();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS jikimi_audit_refuse_change();
"""
SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
    WHEN EXISTS (SELECT 1 FROM audit_auditentry WHERE sequence < OLD.sequence)
    BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only: DELETE refused'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
