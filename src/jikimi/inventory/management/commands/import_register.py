"""jikimi import_register FILE [--dry-run] [--confirm-term-changes] — load one institution's register
file, all or nothing. A file that changes the retention or recording hours of existing devices is
shown (the changes, per group and location) and applied only with --confirm-term-changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.inventory.actions import TermChangesNotConfirmed, import_register
from jikimi.inventory.register_file import RegisterFileError
from jikimi.inventory.register_file.reading import check_size, decode_register


class Command(BaseCommand):
    help = "기관의 영상정보처리기기 대장 파일(YAML)을 가져옵니다. 오류가 하나라도 있으면 아무것도 바꾸지 않습니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="대장 파일 (docs/register-format.md)")
        parser.add_argument(
            "--dry-run", action="store_true", help="바뀔 내용만 보여 주고 아무것도 저장하지 않습니다"
        )
        parser.add_argument(
            "--confirm-term-changes",
            action="store_true",
            help="등록된 기기의 보관기간·촬영시간이 바뀌는 것을 확인했습니다 (바뀌는 내용은 감사 기록에 남습니다)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            # Inputs have limits: an oversize file is refused before it is read.
            check_size(path.stat().st_size, str(path))
            # UTF-8 only; a CP949/EUC-KR file is told how to save it as UTF-8.
            text = decode_register(path.read_bytes(), str(path))
        except RegisterFileError as error:
            raise CommandError(str(error)) from error
        except FileNotFoundError as error:
            raise CommandError(f"{path}: 파일이 없습니다") from error
        except OSError as error:
            raise CommandError(f"{path}: 파일을 읽을 수 없습니다 ({error.strerror})") from error
        try:
            result = import_register(
                Actor.command("import_register"),
                text,
                str(path),
                dry_run=options["dry_run"],
                confirm_term_changes=options["confirm_term_changes"],
            )
        except TermChangesNotConfirmed as unconfirmed:
            for change in unconfirmed.changes:
                self.stderr.write(f"바뀜: {change}")
            raise CommandError(
                f"{path}: 등록된 기기의 보관기간·촬영시간이 바뀝니다 ({len(unconfirmed.changes)}건, 위 목록) — "
                "아무것도 가져오지 않았습니다. 확인했으면 --confirm-term-changes를 붙여 다시 실행하세요"
            ) from unconfirmed
        except RegisterFileError as error:
            for line in error.listed():  # the first ones and the count of the rest
                self.stderr.write(line)
            raise CommandError(f"{path}: 오류 {error.count:,}건 — 아무것도 가져오지 않았습니다") from error
        listed = {phrase.message() for phrase in result.unread_phrases}
        for warning in result.warnings:
            if warning.message not in listed:  # those are in the notice below, with the others
                self.stderr.write(f"경고: {warning}")
        for line in result.unread_notice():
            self.stderr.write(line)
        for change in result.term_changes:
            self.stdout.write(f"바뀜: {change}")
        for rescope in result.rescopes:
            self.stdout.write(f"관리부서 바뀜: {rescope}")
        if result.unchanged:
            self.stdout.write(
                f"{result.institution.name}({result.institution.slug})의 대장이 파일과 같습니다: 바뀐 내용이 없어 "
                "아무것도 저장하지 않았습니다"
            )
            return
        for label, (before, after) in result.changes.items():
            self.stdout.write(f"바뀜: {label}: {_shown(before)} → {_shown(after)}")
        counts = result.counts
        verb = "바꿨습니다" if result.replaced else "새로 만들었습니다"
        if result.dry_run:
            verb = (
                "바꿀 것입니다 (--dry-run: 저장하지 않았습니다)"
                if result.replaced
                else "새로 만들 것입니다 (--dry-run: 저장하지 않았습니다)"
            )
        self.stdout.write(
            f"{result.institution.name}({result.institution.slug})의 대장을 {verb}: 부서 {counts['departments']}, "
            f"담당자 {counts['officers']}, 위탁 {counts['contractors']}, 기기 묶음 {counts['device_groups']}"
            f"({counts['devices']}대, 위치 {counts['locations']}), 공표 합계 {counts['declared_totals']}"
        )


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(없음)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
