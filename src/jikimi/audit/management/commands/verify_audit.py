"""`jikimi verify_audit`: check the audit log's hash chain (R40). Exit status 1 when it does not hold."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.queries import verify_log


class Command(BaseCommand):
    help = "감사 기록의 해시 체인을 처음부터 끝까지 검증합니다. 이상이 있으면 첫 이상을 알리고 0이 아닌 값으로 끝납니다."

    def handle(self, *args: Any, **options: Any) -> None:
        # Verifying is a read: it writes no entry of its own, so that the check never changes
        # what it checks. The auditor page records its "verify now" separately.
        result = verify_log()
        if result.problem is None:
            self.stdout.write(result.summary())
            return
        problem = result.problem
        self.stderr.write(f"순번: {problem.sequence}\n종류: {problem.kind}\n내용: {problem.message}")
        raise CommandError(result.summary(), returncode=1)
