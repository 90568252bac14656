"""`jikimi load_demo REGISTER`: what `make run` does after migrating.

Imports the demo institution's register when it is not there yet, publishes its policy once,
creates the administrator with a one-time password printed on the console, and adds demo requests,
provisions and a destruction once (jikimi.disclosure.actions.demo_history) for the 관리대장 and its figures. No shortcuts: every step
goes through the same audited commands a real deployment uses.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jikimi.accounts.models import User
from jikimi.audit.context import Actor
from jikimi.disclosure.actions.demo_history import load_demo_cases
from jikimi.inventory.actions import update_device_group
from jikimi.inventory.checks import laws_not_published_of, reasons_not_published_of
from jikimi.inventory.models import Institution
from jikimi.lib import clock


class Command(BaseCommand):
    help = "데모 기관의 대장을 불러오고 방침을 공개하고 관리자 계정을 만듭니다 (make run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("register", type=Path, help="registers/*.yaml")
        parser.add_argument("--admin", default="admin", help="관리자 계정 이름 (기본: admin)")

    def handle(self, *args: Any, register: Path, admin: str, **options: Any) -> None:
        if not register.exists():
            raise CommandError(f"{register}: 파일이 없습니다")
        try:
            header = yaml.safe_load(register.read_text(encoding="utf-8"))["institution"]
            name, slug = header["name"], header["slug"]
        except (yaml.YAMLError, KeyError, TypeError) as error:
            raise CommandError(
                f"{register}: institution.name / institution.slug를 읽을 수 없습니다 ({error})"
            ) from error
        institution = Institution.objects.filter(slug=slug).first()
        if institution is None:
            call_command("import_register", str(register), stdout=self.stdout, stderr=self.stderr)
            institution = Institution.objects.get(slug=slug)
            self._record_demo_facts(institution)
            today = clock.today()
            call_command(
                "publish_policy",
                slug,
                announced=(today - timedelta(days=7)).isoformat(),
                effective=today.isoformat(),
                reason="데모 기관 최초 공개",
                stdout=self.stdout,
            )
        else:
            self.stdout.write(f"{name}의 대장이 이미 있습니다 — 다시 불러오지 않습니다.")

        user = User.objects.filter(username=admin).first()
        if user is None or user.must_change_password:
            # A fresh one-time password each start until the administrator has chosen their own.
            call_command(
                "create_admin", username=admin, name="데모 관리자", institution=slug, stdout=self.stdout
            )
        else:
            self.stdout.write(f"관리자 '{admin}'는 이미 비밀번호를 정했습니다.")
        # A year of requests, provisions and a destruction, so the 관리대장 and its figures show something.
        self.stdout.write(load_demo_cases(institution, approver=User.objects.get(username=admin)))
        self.stdout.write(
            self.style.SUCCESS(
                f"http://127.0.0.1:8000/ 에서 {name}의 지킴이가 열립니다 (공개 방침: /policy/{slug}/)"
            )
        )
        self.stdout.write(
            f"열람 등 청구: 시민은 /requests/{slug}/new 에서 청구하고, 담당자는 /disclosure/ 에서 처리합니다."
        )
        mail_host = getattr(settings, "EMAIL_HOST", "")
        mail_port = getattr(settings, "EMAIL_PORT", "")
        self.stdout.write(
            f"메일(접수 안내, 통지서, 기한 알림)은 {mail_host}:{mail_port} 로 보냅니다"
            + (
                " — make run에서는 var/demo/mail/ 에 .eml 파일로 보관됩니다."
                if mail_host == "127.0.0.1"
                else "."
            )
        )

    def _record_demo_facts(self, institution: Institution) -> None:
        """R16, R1: where the register says a retention's reason (인천광역시 3개월, 준영구) or a 1호
        basis's enabling law (광양시) is not published, publishing waits until it is recorded. The demo
        records one, through the same audited edit an officer makes, marked as the demo's words; the
        reason is not printed in the policy, the law is — as the demo's words, not the institution's
        (issue 16)."""
        actor = Actor.command("load_demo")
        for group, law in laws_not_published_of(institution):
            update_device_group(
                actor,
                group,
                {
                    "enabling_law": "데모용 문구: 공개 방침에 법령이 없어 데모에서 적음 (실제로는 기관이 근거로 삼은 법령)"
                },
                "데모 기관의 방침 공개 (근거 법령 미공개, R1)",
            )
            self.stdout.write(f"데모: {law.message()} — 데모용 법령을 적었습니다.")
        for group, found in reasons_not_published_of(institution):
            update_device_group(
                actor,
                group,
                {
                    "retention_reason": "데모용 문구: 공개 방침에 사유가 없어 데모에서 적음 (실제로는 기관이 정한 사유를 적습니다)"
                },
                "데모 기관의 방침 공개 (보관 사유 미공개, R16)",
            )
            self.stdout.write(f"데모: {found.message()} — 데모용 사유를 적었습니다.")
