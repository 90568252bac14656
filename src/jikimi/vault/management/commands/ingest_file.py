"""jikimi ingest_file --device ID --start ISO8601 FILE — store a footage file, encrypted, without audio."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.engine.footage import FootageError, FootageRejected
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.keyring import FootageRefused
from jikimi.vault.staff_messages import rejected_file

logger = logging.getLogger(__name__)


def parse_start(text: str) -> datetime:
    """ISO 8601; a time without an offset is Asia/Seoul wall-clock time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"--start '{text}'은(는) ISO 8601 시각이 아닙니다 (예: 2026-11-23T09:00:00+09:00)"
        ) from error
    return value if value.tzinfo else value.replace(tzinfo=SEOUL)


class Command(BaseCommand):
    help = "영상 파일(MP4, MPEG-TS, MKV)을 기기의 영상으로 등록합니다. 음성은 저장하지 않습니다 (법 제25조⑤)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--device", required=True, type=int, help="기기 번호 (add_device가 알려 준 번호)")
        parser.add_argument(
            "--start", required=True, help="촬영 시작 시각, ISO 8601 (시간대가 없으면 한국 시각)"
        )
        parser.add_argument("file", help="영상 파일")

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_start(options["start"])
        device = Device.objects.select_related("device_group").filter(pk=options["device"]).first()
        if device is None:
            raise CommandError(f"기기 {options['device']}이(가) 없습니다")
        try:
            result = ingest(Actor.command("ingest_file"), device, options["file"], start)
        except FootageRejected as error:
            logger.warning("ingest_file %s refused: %s", options["file"], error)  # the engine's detail
            raise CommandError(
                f"영상 파일을 받지 않았습니다 (저장된 것 없음) — {rejected_file(error, options['file'])}"
            ) from error
        except (FootageRefused, FootageError, ValueError) as error:
            raise CommandError(f"저장하지 못했습니다 (저장된 것 없음): {error}") from error
        self.stdout.write(
            f"{device}: 조각 {result.segments}개, {result.stored_bytes:,} 바이트를 암호화해 저장했습니다"
            + (" — 원본의 음성은 제거했습니다 (상태 경고를 남겼습니다)" if result.had_audio else "")
        )
        if result.dropped:
            self.stdout.write(result.left_out())  # R9
