"""jikimi set_ptz_camera DEVICE_ID ONVIF_ADDRESS — record where a PTZ camera's ONVIF service answers (R14)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.inventory.actions.ptz import PtzCameraRefused, set_ptz_camera
from jikimi.inventory.models import Device


class Command(BaseCommand):
    help = (
        "기기를 PTZ 카메라로 등록합니다 (ONVIF 주소). 승인 프리셋과 사생활 보호 구역은 대장 파일의 ptz: "
        "항목에 적습니다."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("device", type=int, help="기기 번호")
        parser.add_argument(
            "address", help="ONVIF 주소 (예: http://192.0.2.10/onvif/device_service, 인증정보 없이)"
        )
        parser.add_argument("--profile", default="", help="미디어 프로필 토큰 (비우면 첫 프로필)")

    def handle(self, *args: Any, **options: Any) -> None:
        device = Device.objects.select_related("location").filter(pk=options["device"]).first()
        if device is None:
            raise CommandError(f"기기 번호 {options['device']}이(가) 없습니다")
        try:
            set_ptz_camera(
                Actor.command("set_ptz_camera"), device, options["address"], profile_token=options["profile"]
            )
        except PtzCameraRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"기기 {device.pk} '{device.name}': PTZ 카메라로 등록했습니다")
