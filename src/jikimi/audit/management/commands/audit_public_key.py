"""`jikimi audit_public_key`: print the audit key's public half for the auditors to keep (R40).

The auditors verify every checkpoint with it (`jikimi verify_audit --public-key FILE`); they should
receive it once, on paper or through a channel other than the server, and compare its fingerprint.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.anchoring import SigningKeyError, public_key_pem, signing_key
from jikimi.audit.checkpoints import key_id


class Command(BaseCommand):
    help = "감사 고정점 서명키의 공개키(PEM)와 지문을 출력합니다. 감사인이 보관해 검증에 씁니다."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = signing_key().public_key()
        except SigningKeyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(public_key_pem(key).rstrip("\n"))
        self.stderr.write(f"지문(key id): {key_id(key)}")
