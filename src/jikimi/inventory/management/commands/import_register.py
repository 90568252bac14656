"""jikimi import_register FILE — load one institution's register file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError


class Command(BaseCommand):
    help = "기관의 영상정보처리기기 대장 파일(YAML)을 가져옵니다. 오류가 하나라도 있으면 아무것도 바꾸지 않습니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="대장 파일 (docs/register-format.md)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise CommandError(f"{path}: 파일이 없습니다") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: UTF-8 텍스트 파일이 아닙니다 ({error.start}바이트째)") from error
        except OSError as error:
            raise CommandError(f"{path}: 파일을 읽을 수 없습니다 ({error.strerror})") from error
        try:
            result = import_register(Actor.command("import_register"), text, str(path))
        except RegisterFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path}: 오류 {len(error.problems)}건 — 아무것도 가져오지 않았습니다"
            ) from error
        for warning in result.warnings:
            self.stderr.write(f"경고: {warning}")
        counts = result.counts
        verb = "바꿨습니다" if result.replaced else "새로 만들었습니다"
        self.stdout.write(
            f"{result.institution.name}({result.institution.slug})의 대장을 {verb}: 부서 {counts['departments']}, "
            f"담당자 {counts['officers']}, 위탁 {counts['contractors']}, 기기 묶음 {counts['device_groups']}"
            f"({counts['devices']}대, 위치 {counts['locations']}), 공표 합계 {counts['declared_totals']}"
        )
