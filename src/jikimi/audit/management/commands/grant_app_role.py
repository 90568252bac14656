"""`jikimi grant_app_role ROLE [--apply]`: the rights of the application's database role (R40).

The migrations run as the role that owns the tables; the application runs as another role that owns
nothing, so it can neither drop nor disable the audit log's triggers (ALTER TABLE and DROP TRIGGER
need ownership). Run this as the owner after every `jikimi migrate` (new tables need rights too):
it prints the GRANTs, and applies them with `--apply`.

The application may read and add audit entries but never change, delete or truncate them, and may
update the chain head but not delete it; every other table of jikimi it reads and writes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

AUDIT_TABLE_RIGHTS = {
    "audit_auditentry": "SELECT, INSERT",
    # SELECT … FOR UPDATE (the append lock) needs UPDATE.
    "audit_chainhead": "SELECT, INSERT, UPDATE",
    # A month signed off (R40) stays as signed: a second look is a new review, not an edit.
    "audit_auditreview": "SELECT, INSERT",
    # Applied migrations are read at start-up, written only by the owner.
    "django_migrations": "SELECT",
}
OTHER_TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"


def grant_statements(role: str) -> list[str]:
    """The statements, in order, for the tables that exist now."""
    quote = connection.ops.quote_name
    who = quote(role)
    statements = [f"GRANT USAGE ON SCHEMA {quote(_schema())} TO {who}"]
    for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
        rights = AUDIT_TABLE_RIGHTS.get(table, OTHER_TABLE_RIGHTS)
        statements.append(f"REVOKE ALL ON {quote(table)} FROM {who}")
        statements.append(f"GRANT {rights} ON {quote(table)} TO {who}")
    if "django_migrations" in connection.introspection.table_names():
        statements.append(f"REVOKE ALL ON django_migrations FROM {who}")
        statements.append(f"GRANT {AUDIT_TABLE_RIGHTS['django_migrations']} ON django_migrations TO {who}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(_schema())} TO {who}")
    return statements


def _schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        row = cursor.fetchone()
    return str(row[0]) if row else "public"


class Command(BaseCommand):
    help = (
        "애플리케이션 데이터베이스 역할의 권한(GRANT)을 출력하고 --apply이면 적용합니다."
        " 감사 기록은 읽기·추가만 허용됩니다. 마이그레이션을 실행하는 소유자 역할로, migrate 뒤마다 실행하십시오."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="애플리케이션이 접속하는 PostgreSQL 역할")
        parser.add_argument("--apply", action="store_true", help="출력한 GRANT를 바로 적용합니다")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "역할 권한은 PostgreSQL에만 있습니다: SQLite에서는 데이터베이스 파일을 쓸 수 있는 계정이"
                " 모든 것을 할 수 있으므로, 감사 기록은 서명된 외부 고정점(jikimi anchor_audit)으로 지킵니다"
            )
        role: str = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"PostgreSQL 역할 '{role}'이(가) 없습니다 (CREATE ROLE로 먼저 만드십시오)")
            cursor.execute(
                "SELECT rolsuper OR pg_has_role(%s, c.relowner, 'USAGE') FROM pg_roles r, pg_class c"
                " WHERE r.rolname = %s AND c.oid = 'audit_auditentry'::regclass",
                [role, role],
            )
            row = cursor.fetchone()
        if row and row[0]:
            raise CommandError(
                f"역할 '{role}'은(는) 감사 테이블의 소유자이거나 그 구성원(또는 슈퍼유저)입니다:"
                " 애플리케이션은 소유자가 아닌 다른 역할로 실행해야 감사 기록 보호 트리거를 끌 수 없습니다"
            )
        statements = grant_statements(role)
        for statement in statements:
            self.stdout.write(statement + ";")
        if options["apply"]:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            self.stderr.write(f"역할 '{role}'에 권한 {len(statements)}건을 적용했습니다")
