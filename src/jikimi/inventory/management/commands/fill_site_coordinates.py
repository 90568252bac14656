"""jikimi fill_site_coordinates INSTITUTION FILE --reason … [--dry-run] — fill the sites' coordinates
(the control centre's map) from the institution's 공공데이터포털 표준데이터 "CCTV정보" CSV file.

Only a row whose road-name or lot-number address is a site's name, exactly, fills that site, and only
where the site has no coordinates yet; unmatched rows, ambiguous matches and conflicts are listed with
their CSV lines and left as they are. Audited (inventory.fill_site_coordinates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.inventory.actions import CoordinatesFileRefused, fill_site_coordinates
from jikimi.inventory.register_file import RegisterFileError, find_institution
from jikimi.inventory.site_coordinates import MAX_BYTES


class Command(BaseCommand):
    help = "공공데이터포털 CCTV정보 CSV 파일의 WGS84 좌표로 설치 위치의 좌표를 채웁니다 (주소가 위치 이름과 같은 줄만)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("institution", help="기관 이름 또는 식별자 (예: incheon)")
        parser.add_argument("file", help="CCTV정보 CSV 파일 (UTF-8 또는 CP949/EUC-KR)")
        parser.add_argument("--reason", default="", help="사유 (감사 기록에 남습니다)")
        parser.add_argument("--dry-run", action="store_true", help="채울 내용만 보여 주고 저장하지 않습니다")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            institution = find_institution(options["institution"])
        except RegisterFileError as error:
            raise CommandError(str(error)) from error
        try:
            # Inputs have limits: an oversize file is refused before it is read.
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(
                    f"{path}: 파일이 너무 큽니다 ({path.stat().st_size:,}바이트, 최대 {MAX_BYTES:,}바이트)"
                )
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise CommandError(f"{path}: 파일이 없습니다") from error
        except OSError as error:
            raise CommandError(f"{path}: 파일을 읽을 수 없습니다 ({error.strerror})") from error
        try:
            plan = fill_site_coordinates(
                Actor.command("fill_site_coordinates"),
                institution,
                data,
                str(path),
                options["reason"],
                dry_run=options["dry_run"],
            )
        except CoordinatesFileRefused as error:
            raise CommandError(str(error)) from error
        for line in plan.report():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("시험 실행: 아무것도 저장하지 않았습니다")
