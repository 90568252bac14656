"""`jikimi create_admin --username U --name NAME [--institution SLUG]`: an administrator to start with.

Creates the account, or resets it when it exists: a new one-time password is printed once, and must
be changed at first login. With --institution the account is the administrator (MANAGE_ACCOUNTS and
the rest) of that institution; without it, a superuser, which jikimi treats as administrator of every
institution for account management only (see jikimi.accounts.permissions). Recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from jikimi.accounts import actions
from jikimi.accounts.models import Role, RoleGrant, User
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.inventory.models import Institution


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
        actor = Actor.command("create_admin")
        institution = None
        if options["institution"]:
            institution = Institution.objects.filter(slug=options["institution"]).first()
            if institution is None:
                known = ", ".join(Institution.objects.values_list("slug", flat=True)) or "(없음)"
                raise CommandError(
                    f"--institution: 기관 '{options['institution']}'이(가) 없습니다. 있는 기관: {known}"
                )
        with transaction.atomic():
            user = User.objects.filter(username=options["username"]).first()
            try:
                if user is None:
                    user, password = actions.create_user(
                        actor,
                        username=options["username"],
                        name=options["name"],
                        institution=institution,
                        reason="create_admin",
                    )
                    made = "만들었습니다"
                else:
                    password = actions.reset_password(actor, user, reason="create_admin")
                    made = "초기화했습니다"
            except actions.AccountError as error:
                raise CommandError(str(error)) from error
            user.refresh_from_db()
            changed: dict[str, Any] = {}
            if user.name != options["name"]:
                changed["name"] = [user.name, options["name"]]
                user.name = options["name"]
            if not user.is_active:
                changed["is_active"] = [False, True]
                user.is_active = True
            if user.locked_until or user.failed_login_count:
                changed["unlocked"] = True
                user.locked_until, user.failed_login_count = None, 0
            if not user.is_staff:
                changed["is_staff"] = [False, True]
                user.is_staff = True
            if institution is None and not user.is_superuser:
                changed["is_superuser"] = [False, True]
                user.is_superuser = True
            user.save()
            if changed:
                record(actor, "accounts.update_user", user, reason="create_admin", details=changed)
            if (
                institution is not None
                and not RoleGrant.objects.filter(
                    user=user,
                    role=Role.ADMINISTRATOR,
                    institution=institution,
                    revoked_at__isnull=True,
                    departments__isnull=True,
                    device_groups__isnull=True,
                ).exists()
            ):
                actions.grant_role(
                    actor, user, role=Role.ADMINISTRATOR, institution=institution, reason="create_admin 명령"
                )
        where = f"{institution}의 시스템 관리자" if institution else "최고관리자(모든 기관의 계정 관리)"
        self.stdout.write(f"{user} — {where} 계정을 {made}.")
        self.stdout.write(f"일회용 비밀번호: {password}")
        self.stdout.write("이 비밀번호는 다시 표시되지 않습니다. 처음 로그인할 때 바꾸어야 합니다.")
