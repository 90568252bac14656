"""jikimi render_policy INSTITUTION --format html|pdf --out PATH"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jikimi.lib.pdf import FontMissing
from jikimi.publishing import queries
from jikimi.publishing.rendering import policy_html_page, policy_pdf


def write_atomically(path: Path, data: bytes) -> None:
    """Temp file in the same directory, then rename: a reader never sees half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"--out {path}: 디렉터리 {directory}가 없습니다")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "기관의 영상정보처리기기 운영·관리방침을 HTML 또는 PDF로 씁니다 (현행 버전, 없으면 미리보기)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("institution", help="대장에 적힌 기관명(예: 광양시) 또는 식별자(slug)")
        parser.add_argument("--format", choices=["html", "pdf"], default="html")
        parser.add_argument("--out", required=True, help="쓸 파일 경로")
        parser.add_argument(
            "--number",
            dest="number",
            type=int,
            default=None,
            help="특정 판 번호 (생략하면 현행 버전, 없으면 미리보기)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            institution = queries.find_institution(options["institution"])
        except queries.UnknownInstitution as error:
            raise CommandError(str(error)) from error
        if options["number"] is not None:
            version = queries.version_or_none(institution, options["number"])
            if version is None:
                raise CommandError(f"{institution.name} 방침 제{options['number']}판은 없습니다")
        else:
            upcoming = queries.upcoming_versions(institution)
            version = queries.current_version(institution) or (upcoming[-1] if upcoming else None)
        try:
            if options["format"] == "pdf":
                data = policy_pdf(institution, version)
            else:
                data = policy_html_page(institution, version).encode()
        except FontMissing as error:
            raise CommandError(str(error)) from error
        out = Path(options["out"])
        write_atomically(out, data)
        what = f"제{version.number}판" if version else "미리보기(미공개)"
        self.stdout.write(f"{institution.name} 방침 {what} → {out} ({len(data):,} bytes)")
