"""jikimi publish_policy INSTITUTION --announced D --effective D --reason R"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jikimi.audit.context import Actor
from jikimi.publishing import queries
from jikimi.publishing.actions import PublishRefused, publish_policy


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{option} '{text}': 날짜는 YYYY-MM-DD 형식이어야 합니다") from error


class Command(BaseCommand):
    help = "대장에서 생성한 방침을 새 버전으로 공개합니다 (공고일·시행일·변경 사유)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("institution", help="기관명 또는 식별자(slug)")
        parser.add_argument("--announced", required=True, help="공고일 YYYY-MM-DD")
        parser.add_argument("--effective", required=True, help="시행일 YYYY-MM-DD")
        parser.add_argument("--reason", required=True, help="변경 사유")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            institution = queries.find_institution(options["institution"])
        except queries.UnknownInstitution as error:
            raise CommandError(str(error)) from error
        try:
            published = publish_policy(
                Actor.command("publish_policy"),
                institution,
                _date(options["announced"], "--announced"),
                _date(options["effective"], "--effective"),
                options["reason"],
                check_permission=False,
            )
        except PublishRefused as error:
            raise CommandError(str(error)) from error
        for warning in published.warnings:
            self.stderr.write(f"경고: {warning}")
        version = published.version
        self.stdout.write(
            f"{institution.name} 방침 제{version.number}판 공개 (공고 {version.announced_on}, 시행 {version.effective_on}, "
            f"SHA-256 {version.content_sha256[:16]}…)"
        )
