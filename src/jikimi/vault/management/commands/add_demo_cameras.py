"""jikimi add_demo_cameras — register the simulated cameras of `make run` (tools/simcam) as devices.

Three devices, sources rtsp://127.0.0.1:8554/cam1…cam3, in the demo institution's first operating
device group whose retention keeps footage (a 미보유 group records nothing, R15). Each is added with
the audited add_device action; running it again adds nothing.

And one PTZ camera (R14): cam4, at the first location of such a group recorded around the clock (else
the first location of the first such group that lists locations: `demo_ptz_location`),
driven through the simulated ONVIF service of `make run` (tools.simcam.onvif on port 8081). The seed
registers state no presets, so the demo records its own at that location — two presets and a privacy
zone, each named "데모용 문구: …" — through the audited add_demo_ptz_views step, and registers the
device's ONVIF address with the audited set_ptz_camera action.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.inventory.actions.ptz import DEMO_MARK, add_demo_ptz_views, set_ptz_camera
from jikimi.inventory.device_terms import machine_terms
from jikimi.inventory.models import Device, DeviceGroup, Institution, Location, PrivacyZone, PtzPreset
from jikimi.rules.retention import RetentionError, parse_retention
from jikimi.rules.schedule import ScheduleError, parse_schedule
from jikimi.vault.actions.devices import add_device

CAMERAS = [
    ("데모 카메라 1 (음성 있음)", "rtsp://127.0.0.1:8554/cam1"),
    ("데모 카메라 2", "rtsp://127.0.0.1:8554/cam2"),
    ("데모 카메라 3 (주기적 장애)", "rtsp://127.0.0.1:8554/cam3"),  # `make run`: simcam --flaky cam3
]

# `make run` starts `python -m tools.simcam.onvif --port 8081 --user demo --password demo-ptz --preset 1=…` next to the RTSP cameras;
# the camera's own preset 1 is the demo's entrance view (moved by GotoPreset), the road view by coordinates.
# Its login is the camera's, as on a real one: written with its video address and sealed (R42); the
# ONVIF driver uses it (the ONVIF client library always sends a login).
PTZ_CAMERA = ("데모 PTZ 카메라", "rtsp://127.0.0.1:8554/cam4")
PTZ_LOGIN = ("demo", "demo-ptz")
PTZ_ONVIF_ADDRESS = "http://127.0.0.1:8081/onvif/device_service"


def demo_ptz_views() -> tuple[list[PtzPreset], list[PrivacyZone]]:
    presets = [
        PtzPreset(
            key="demo-entrance",
            name=f"{DEMO_MARK} 입구 방향",
            pan=0.1,
            tilt=-0.2,
            zoom=0.0,
            camera_preset="1",
        ),
        PtzPreset(key="demo-road", name=f"{DEMO_MARK} 도로 방향", pan=-0.5, tilt=-0.1, zoom=0.3),
    ]
    zones = [
        PrivacyZone(
            key="demo-windows",
            name=f"{DEMO_MARK} 건너편 주택 창문",
            pan_min=0.4,
            pan_max=0.7,
            tilt_min=0.0,
            tilt_max=0.5,
        )
    ]
    return presets, zones


def _footage_groups(institution: Institution) -> list[DeviceGroup]:
    groups = DeviceGroup.objects.filter(institution=institution, status=DeviceGroup.Status.OPERATING)
    found = []
    for group in groups.order_by("pk"):
        try:
            if parse_retention(group.retention).stores_footage:
                found.append(group)
        except RetentionError:
            continue
    return found


def demo_group(institution: Institution) -> DeviceGroup | None:
    """The institution's first operating device group whose retention keeps footage."""
    return next(iter(_footage_groups(institution)), None)


def demo_ptz_location(institution: Institution) -> Location | None:
    """The first location recorded around the clock of an operating, footage-keeping group, else the
    first location of such a group. (인천's first one, a bus-lane camera, records 07–09 and 17–20 on
    weekdays: in the evening the demo's PTZ camera was not recorded and so not live on the wall.)"""
    first = None
    for group in _footage_groups(institution):
        for location in group.locations.order_by("position", "id"):
            first = first or location
            try:
                if parse_schedule(machine_terms(group, location)[1]).is_always:
                    return location
            except ScheduleError:
                continue
    return first


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
        self._add_ptz_camera(actor, institution)

    def _add_ptz_camera(self, actor: Actor, institution: Institution) -> None:
        location = demo_ptz_location(institution)
        if location is None:
            self.stdout.write(
                f"{institution}에 위치를 나열한 기기 묶음이 없어 데모 PTZ 카메라를 등록하지 않습니다"
            )
            return
        name, url = PTZ_CAMERA
        device = Device.objects.filter(device_group__institution=institution, source_url=url).first()
        if device is None:
            login = f"{PTZ_LOGIN[0]}:{PTZ_LOGIN[1]}@"
            device = add_device(
                actor,
                location.device_group,
                name,
                source_url=url.replace("//", f"//{login}", 1),
                location=location,
            )
            self.stdout.write(
                f"기기 {device.pk}: '{device.name}' ({url})을(를) '{location.name}'에 등록했습니다"
            )
        presets, zones = demo_ptz_views()
        add_demo_ptz_views(
            actor,
            location,
            presets,
            zones,
            "데모 기관의 PTZ 카메라 (대장에 승인 프리셋이 없어 데모에서 적음, R14)",
        )
        if hasattr(device, "ptz"):
            self.stdout.write(f"{url}: 이미 PTZ 카메라로 등록되어 있습니다")
        else:
            set_ptz_camera(actor, device, PTZ_ONVIF_ADDRESS)
            self.stdout.write(
                f"기기 {device.pk}: PTZ 카메라로 등록했습니다 ({PTZ_ONVIF_ADDRESS}, 위치 '{location.name}'의 "
                "데모용 프리셋 " + ", ".join(p.name for p in location.ptz_presets.all()) + ")"
            )
