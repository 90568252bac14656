"""jikimi enforce_retention — destroy every expired day key, then delete the ciphertext (R17, R19)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jikimi.audit.context import Actor
from jikimi.vault.actions.destruction import enforce_retention


class Command(BaseCommand):
    help = "보관기간이 지난 영상을 파기합니다 (일별 키 파기 후 암호문 삭제). 여러 번 실행해도 안전합니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--confirm-clock",
            default="",
            metavar="사유",
            help="시스템 시계가 맞음을 확인했을 때 그 사유 (시계 이상으로 파기가 보류된 뒤; 감사 기록에 남음)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = enforce_retention(
            Actor.command("enforce_retention"), clock_confirmed=options["confirm_clock"]
        )
        if report.refused:
            # R17: a clock that may have jumped ahead destroys nothing.
            self.stderr.write(f"파기 보류: {report.refused}")
            raise SystemExit(2)
        for problem in report.held_back:
            self.stderr.write(f"파기 보류 (영상보다 앞선 시계): {problem}")
        for destruction in report.destroyed:
            self.stdout.write(f"파기: {destruction.key_id} (조각 {destruction.segments}개)")
        for destruction in report.overdue:
            # R17: 만료 후 5일 안에 파기해야 했음
            self.stderr.write(f"기한 경과 파기: {destruction.key_id} (기한 {destruction.deadline:%Y-%m-%d})")
        for problem in report.failed:
            self.stderr.write(f"파기하지 못함: {problem}")
        for problem in report.unreadable:
            self.stderr.write(f"보관기간을 읽을 수 없음: {problem}")
        self.stdout.write(
            f"파기 {len(report.destroyed)}건, 기한 경과 {len(report.overdue)}건, 실패 {len(report.failed)}건, "
            f"암호문 삭제 {report.collected}개"
        )
        if report.failed or report.unreadable:
            raise SystemExit(1)
