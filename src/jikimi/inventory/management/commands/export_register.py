"""jikimi export_register INSTITUTION FILE — write an institution's register file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.inventory.register_file import RegisterFileError, export_register, find_institution


class Command(BaseCommand):
    help = (
        "기관의 영상정보처리기기 대장을 대장 파일(YAML)로 내보냅니다. INSTITUTION은 기관명 또는 식별자입니다."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("institution", help="기관명(예: 인천광역시) 또는 식별자(예: incheon)")
        parser.add_argument("file", help="쓸 파일 ('-'이면 표준 출력)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            institution = find_institution(options["institution"])
        except RegisterFileError as error:
            raise CommandError(error.problems[0].message) from error
        text = export_register(institution)
        if options["file"] == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(options["file"])
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: 파일을 쓸 수 없습니다 ({error.strerror})") from error
        self.stdout.write(f"{institution.name}의 대장을 {path}에 썼습니다")
