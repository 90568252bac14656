"""PostgreSQL refuses TRUNCATE of the audit tables, and DELETE of the chain head (R40).

Migration 0002's row trigger does not fire for TRUNCATE, which empties a table without deleting
rows one by one: a statement-level BEFORE TRUNCATE trigger refuses it here, on the entries and on
the chain head; the head's one row cannot be deleted either (it is only ever updated).

None of this stops the tables' owner — the role that runs the migrations — which can drop or disable
any trigger: the application runs as another role that owns nothing and holds only the rights
`jikimi grant_app_role` gives it (no DELETE, TRUNCATE or UPDATE on the entries). Whatever the owner
does anyway is caught by the signed checkpoints outside the database (jikimi.audit.anchoring).

SQLite has no TRUNCATE and no roles; its DELETE trigger stays as migration 0002 made it.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION jikimi_audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING HINT = '감사 기록은 비우거나 지울 수 없습니다 (R40)';
END;
$$;
CREATE TRIGGER audit_auditentry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION jikimi_audit_refuse_truncate();
CREATE TRIGGER audit_chainhead_no_truncate
    BEFORE TRUNCATE ON audit_chainhead
    FOR EACH STATEMENT EXECUTE FUNCTION jikimi_audit_refuse_truncate();
CREATE TRIGGER audit_chainhead_no_delete
    BEFORE DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION jikimi_audit_refuse_truncate();
REVOKE TRUNCATE, DELETE, UPDATE ON audit_auditentry FROM PUBLIC;
REVOKE TRUNCATE, DELETE ON audit_chainhead FROM PUBLIC;
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_chainhead_no_truncate ON audit_chainhead;
DROP TRIGGER IF EXISTS audit_chainhead_no_delete ON audit_chainhead;
DROP FUNCTION IF EXISTS jikimi_audit_refuse_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_legacy_scope")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
