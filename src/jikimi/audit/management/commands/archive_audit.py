"""`jikimi archive_audit --before YYYY-MM-DD`: move audit entries past their retention to a signed file (R39).

Runs as the database role that owns the audit table (the migration role) on PostgreSQL; see
jikimi.audit.archiving for why and for SQLite.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jikimi.audit.anchoring import AnchorError, SigningKeyError
from jikimi.audit.archiving import ArchiveRefused, archive_before
from jikimi.audit.context import Actor


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--before {text!r}: 날짜는 YYYY-MM-DD 형식이어야 합니다") from None


class Command(BaseCommand):
    help = (
        "보존기간(접속기록 2년, 권한 부여 내역 3년)이 지난 감사 기록을 서명된 고정점과 함께 파일로 옮기고"
        " 데이터베이스에서 지웁니다. 감사 테이블 소유자 역할로 실행해야 합니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--before", required=True, help="이 날짜(서울 기준) 이전의 기록을 옮깁니다 (YYYY-MM-DD)"
        )
        parser.add_argument("--output-dir", help="보관 파일을 쓸 디렉터리 (기본: JIKIMI_AUDIT_ARCHIVE_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        before = _day(options["before"])
        output = Path(options["output_dir"]) if options["output_dir"] else None
        try:
            archived = archive_before(Actor.system("archive_audit"), before, output_dir=output)
        except (ArchiveRefused, AnchorError, SigningKeyError) as error:
            raise CommandError(str(error), returncode=1) from error
        self.stdout.write(
            f"감사 기록 #{archived.first_sequence}부터 #{archived.last_sequence}까지 {archived.count}건을"
            f" {archived.path}(으)로 옮겼습니다 (보관 이전 고정점 {archived.checkpoint.describe()})"
        )
