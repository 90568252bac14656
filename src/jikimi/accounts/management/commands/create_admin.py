"""`jikimi create_admin --username U --name NAME [--institution SLUG]`: an administrator to start with.

Creates the account, or resets it when it exists: a new one-time password is printed once, and must
be changed at first login. With --institution the account is the administrator (MANAGE_ACCOUNTS and
the rest) of that institution, working through jikimi's pages (not staff: the Django admin is for
system administrators only, R36); without it, a superuser, which jikimi treats as administrator of every
institution for account management only (see jikimi.accounts.permissions). The command parses; the
action jikimi.accounts.actions.set_up_administrator changes and records.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jikimi.accounts import actions, register
from jikimi.audit.context import Actor


class Command(BaseCommand):
    help = "시스템 관리자 계정을 만들거나 초기화하고, 일회용 비밀번호를 한 번 출력합니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="아이디")
        parser.add_argument("--name", required=True, help="성명")
        parser.add_argument(
            "--institution",
            default="",
            help="관리할 기관의 식별자(slug). 없으면 모든 기관의 계정 관리자(최고관리자)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        institution = None
        if options["institution"]:
            institution = register.institutions().filter(slug=options["institution"]).first()
            if institution is None:
                known = ", ".join(register.institutions().values_list("slug", flat=True)) or "(없음)"
                raise CommandError(
                    f"--institution: 기관 '{options['institution']}'이(가) 없습니다. 있는 기관: {known}"
                )
        try:
            done = actions.set_up_administrator(
                Actor.command("create_admin"),
                username=options["username"],
                name=options["name"],
                institution=institution,
            )
        except actions.AccountError as error:
            raise CommandError(str(error)) from error
        where = f"{institution}의 시스템 관리자" if institution else "최고관리자(모든 기관의 계정 관리)"
        made = "만들었습니다" if done.created else "초기화했습니다"
        self.stdout.write(f"{done.user} — {where} 계정을 {made}.")
        self.stdout.write(f"일회용 비밀번호: {done.password}")
        self.stdout.write("이 비밀번호는 다시 표시되지 않습니다. 처음 로그인할 때 바꾸어야 합니다.")
