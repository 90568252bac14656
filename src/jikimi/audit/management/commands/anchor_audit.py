"""`jikimi anchor_audit`: sign a checkpoint of the audit log now and keep it outside the database (R40).

The huey task `audit.anchor_checkpoint` does the same hourly and after every N entries. Exit status 1
when the log does not verify (nothing is signed) or a configured place could not keep the checkpoint.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.actions import AnchorRefused, anchor_checkpoint
from jikimi.audit.anchoring import AnchorError, SigningKeyError


class Command(BaseCommand):
    help = (
        "감사 기록을 검증한 뒤 마지막 항목의 고정점을 감사 서명키로 서명해 파일·S3·감사인 메일에 보관합니다."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchored = anchor_checkpoint()
        except (AnchorRefused, AnchorError, SigningKeyError) as error:
            raise CommandError(str(error), returncode=1) from error
        checkpoint = anchored.checkpoint
        self.stdout.write(
            f"고정점 #{checkpoint.sequence} 서명 ({checkpoint.anchored_at}, 키 {checkpoint.key_id}):"
            f" {', '.join(anchored.written) or '보관한 곳 없음'}"
        )
        if anchored.failed:
            raise CommandError("; ".join(anchored.failed), returncode=1)
