"""`jikimi verify_audit`: check the audit log's hash chain and its signed checkpoints (R40).

Exit status 1 when it does not hold. An auditor verifies with the public key they keep
(`--public-key FILE`) and may add checkpoints they kept themselves, e.g. from the mails they were
sent (`--checkpoints FILE`, JSON lines).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jikimi.audit.anchoring import SigningKeyError, public_key_from_text
from jikimi.audit.checkpoints import BadCheckpoint, Checkpoint, parse
from jikimi.audit.queries import verify_log


class Command(BaseCommand):
    help = (
        "감사 기록의 해시 체인을 처음부터 끝까지, 그리고 외부에 서명해 둔 고정점과 맞추어 검증합니다."
        " 이상이 있으면 첫 이상을 알리고 0이 아닌 값으로 끝납니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--public-key", help="감사인이 보관한 감사 공개키 파일 (PEM)")
        parser.add_argument(
            "--checkpoints", help="감사인이 따로 보관한 고정점 파일 (JSON lines, 메일로 받은 줄)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = None
        extra: list[Checkpoint] = []
        try:
            if options["public_key"]:
                path = Path(options["public_key"])
                key = public_key_from_text(path.read_text(encoding="ascii"), str(path))
            if options["checkpoints"]:
                path = Path(options["checkpoints"])
                lines = path.read_text(encoding="utf-8").splitlines()
                extra = [parse(line, f"{path}:{n}") for n, line in enumerate(lines, 1) if line.strip()]
        except (OSError, SigningKeyError, BadCheckpoint) as error:
            raise CommandError(str(error), returncode=2) from error
        # Verifying is a read: it writes no entry of its own, so that the check never changes
        # what it checks. The auditor page records its "verify now" separately.
        result = verify_log(public_key=key, extra_checkpoints=extra)
        if result.problem is None:
            self.stdout.write(result.summary())
            return
        problem = result.problem
        self.stderr.write(f"순번: {problem.sequence}\n종류: {problem.kind}\n내용: {problem.message}")
        raise CommandError(result.summary(), returncode=1)
