"""jikimi add_device GROUP DEVICE [--source URL] — add a device to a device group of the register."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.vault.actions.devices import DeviceError, add_device
from jikimi.vault.queries import GroupLookupError, resolve_group


class Command(BaseCommand):
    help = "기기 묶음에 기기를 등록합니다. GROUP은 대장에 적힌 기기 묶음 이름 또는 식별자입니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("group", help="기기 묶음 이름(대장에 적힌 대로) 또는 식별자(key)")
        parser.add_argument("device", help="기기명 (예: 정문 1번)")
        parser.add_argument("--source", default="", help="RTSP/HTTP 영상 주소 (없으면 파일 등록 전용)")
        parser.add_argument(
            "--location",
            default="",
            help="설치 위치: 대장에 적힌 묶음의 위치 식별자(key) 또는 이름. 그 위치의 보관기간·촬영시간을 따름 "
            "(위치를 나열하는 묶음에서는 필수)",
        )
        parser.add_argument(
            "--substream",
            default="",
            help="실시간 관제용 보조 스트림 주소 (인증정보 없이; 주 영상의 것을 씀)",
        )
        parser.add_argument("--disabled", action="store_true", help="사용하지 않는 상태로 등록")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            group = resolve_group(options["group"])
            device = add_device(
                Actor.command("add_device"),
                group,
                options["device"],
                location=options["location"],
                source_url=options["source"],
                substream_url=options["substream"],
                enabled=not options["disabled"],
            )
        except (GroupLookupError, DeviceError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"기기 {device.pk}: '{device.name}'을(를) '{group.name}'에 등록했습니다")
