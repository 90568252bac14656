"""jikimi add_demo_cameras — register the simulated cameras of `make run` (tools/simcam) as devices.

Three devices, sources rtsp://127.0.0.1:8554/cam1…cam3, in the demo institution's first operating
device group whose retention keeps footage (a 미보유 group records nothing, R15). Each is added with
the audited add_device action; running it again adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.inventory.models import Device, DeviceGroup, Institution
from jikimi.rules.retention import RetentionError, parse_retention
from jikimi.vault.actions.devices import add_device

CAMERAS = [
    ("데모 카메라 1 (음성 있음)", "rtsp://127.0.0.1:8554/cam1"),
    ("데모 카메라 2", "rtsp://127.0.0.1:8554/cam2"),
    ("데모 카메라 3 (주기적 장애)", "rtsp://127.0.0.1:8554/cam3"),  # `make run`: simcam --flaky cam3
]


def demo_group(institution: Institution) -> DeviceGroup | None:
    """The institution's first operating device group whose retention keeps footage."""
    groups = DeviceGroup.objects.filter(institution=institution, status=DeviceGroup.Status.OPERATING)
    for group in groups.order_by("pk"):
        try:
            if parse_retention(group.retention).stores_footage:
                return group
        except RetentionError:
            continue
    return None


class Command(BaseCommand):
    help = "데모용 모의 카메라 3대(rtsp://127.0.0.1:8554/cam1…3)를 데모 기관의 기기로 등록합니다. 다시 실행해도 안전합니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--institution", default="", help="기관 식별자(slug); 기본은 처음 등록된 기관")

    def handle(self, *args: Any, **options: Any) -> None:
        institutions = Institution.objects.order_by("pk")
        if options["institution"]:
            institutions = institutions.filter(slug=options["institution"])
        institution = institutions.first()
        if institution is None:
            raise CommandError(
                f"기관 '{options['institution']}'이(가) 없습니다"
                if options["institution"]
                else "등록된 기관이 없습니다 — 먼저 jikimi load_demo로 대장을 불러오세요"
            )
        group = demo_group(institution)
        if group is None:
            raise CommandError(f"{institution}에 영상을 보관하는 운영 중인 기기 묶음이 없습니다")
        actor = Actor.command("add_demo_cameras")
        for name, url in CAMERAS:
            if Device.objects.filter(device_group__institution=institution, source_url=url).exists():
                self.stdout.write(f"{url}: 이미 등록되어 있습니다")
                continue
            # A device is at one of its group's locations when the group lists any (the first one here).
            place = group.locations.order_by("position", "id").first()
            device = add_device(actor, group, name, source_url=url, location=place)
            self.stdout.write(
                f"기기 {device.pk}: '{device.name}' ({url})을(를) '{group.name}'에 등록했습니다"
            )
