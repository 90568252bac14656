"""R9 (촬영시간, 영 제25조①4호): footage outside the published hours is neither recorded nor stored.

인천광역시's 버스전용차로 cameras record 평일 07:00~09:00, 17:00~20:00; 금천구's some only 강우시에만
or 필요시. A file ingested across the hours keeps only what falls inside them and the officer is told
the rest; an event-driven schedule records between an audited start and stop; the existence check
calls such gaps "촬영 시간 아님". Clips are 4 s at 10 fps with a keyframe every second (conftest).
Every test pins the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage import segment_file
from jikimi.lib.clock import SEOUL
from jikimi.rules.coverage import Coverage
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import ingest, store_live_segment
from jikimi.vault.actions.recording_triggers import TriggerError, start_recording, stop_recording
from jikimi.vault.models import Device, RecordingTrigger, Segment
from jikimi.vault.queries import device_coverage
from jikimi.vault.recording import camera_sources
from jikimi.vault.tests.conftest import ACTOR, admin_group, new_device, stored_objects, traffic_group

pytestmark = pytest.mark.django_db
BUS_LANE = "평일 07:00~09:00, 17:00~20:00"  # 인천광역시 버스전용차로 단속 CCTV
OFFICER = Actor.system("test")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _kinds(device: Device, start: str, end: str) -> list[tuple[str, str, Coverage]]:
    result = device_coverage(device, kst(start), kst(end))
    return [
        (
            i.start.astimezone(SEOUL).strftime("%H:%M:%S"),
            i.end.astimezone(SEOUL).strftime("%H:%M:%S"),
            i.coverage,
        )
        for i in result.intervals
    ]


def test_R9_a_file_across_the_end_of_the_hours_keeps_only_the_part_inside_and_reports_the_rest(
    silent_clip: Path,
) -> None:
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=False):  # a Monday
        result = ingest(ACTOR, device, silent_clip, kst("2026-11-23T08:59:58"))
        kinds = _kinds(device, "2026-11-23T08:59:50", "2026-11-23T09:00:10")
    stored = list(Segment.objects.filter(device=device).order_by("start"))
    assert stored and stored[0].start == kst("2026-11-23T08:59:58")
    assert max(s.end for s in stored) <= kst("2026-11-23T09:00:00")
    assert result.dropped == ((kst("2026-11-23T09:00:00"), kst("2026-11-23T09:00:02")),)
    assert len(stored_objects()) == len(stored)
    entry = AuditEntry.objects.get(action="vault.ingest_file")
    assert entry.details["recording_hours"] == BUS_LANE
    assert entry.details["outside_hours"] == [
        {"start": "2026-11-23T00:00:00Z", "end": "2026-11-23T00:00:02Z"}
    ]
    assert kinds == [
        ("08:59:50", "08:59:58", Coverage.NOT_RECORDING),
        ("08:59:58", "09:00:00", Coverage.FOOTAGE),
        ("09:00:00", "09:00:10", Coverage.NOT_SCHEDULED),  # 촬영 시간 아님, not an outage
    ]


def test_R9_a_file_wholly_outside_the_hours_stores_nothing(silent_clip: Path) -> None:
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=False):
        result = ingest(ACTOR, device, silent_clip, kst("2026-11-23T12:00:00") - timedelta(hours=2))
    assert result.segments == 0 and stored_objects() == []
    assert result.dropped == ((kst("2026-11-23T10:00:00"), kst("2026-11-23T10:00:04")),)


def test_R9_weekday_hours_skip_korean_public_holidays(silent_clip: Path) -> None:
    # 2026-05-05 (화) 어린이날: "평일" does not include a public holiday.
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    with time_machine.travel(kst("2026-05-05T12:00:00"), tick=False):
        holiday = ingest(ACTOR, device, silent_clip, kst("2026-05-05T08:00:00"))
        kinds = _kinds(device, "2026-05-05T06:00:00", "2026-05-05T10:00:00")
    assert holiday.segments == 0 and kinds == [("06:00:00", "10:00:00", Coverage.NOT_SCHEDULED)]
    with time_machine.travel(kst("2026-05-04T12:00:00"), tick=False):  # the Monday before: a weekday
        assert ingest(ACTOR, device, silent_clip, kst("2026-05-04T08:00:00")).segments > 0


def test_R9_a_device_at_a_location_with_its_own_hours_keeps_those(silent_clip: Path) -> None:
    group = traffic_group(recording_hours="24시간")
    lane = group.locations.create(key="lane-1", name="버스전용차로 1구간", recording_hours=BUS_LANE)
    device = add_device(ACTOR, group, "정문 1번", location=lane)
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=False):
        assert ingest(ACTOR, device, silent_clip, kst("2026-11-23T10:00:00")).segments == 0


def test_R9_a_recorder_segment_across_the_start_of_the_hours_is_cut_at_the_first_keyframe_inside(
    silent_clip: Path,
) -> None:
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    [segment] = segment_file(silent_clip, kst("2026-11-23T16:59:58.500000"), segment_seconds=60).segments
    with time_machine.travel(kst("2026-11-23T17:00:10"), tick=False):
        [stored] = store_live_segment(ACTOR, device, segment)
    # keyframes at :58.5, :59.5 and 17:00:00.5: the first inside the hours starts what is kept
    assert stored.start == kst("2026-11-23T17:00:00.500000")
    assert stored.end == segment.end and len(stored_objects()) == 1


def test_R9_a_recorder_segment_wholly_outside_the_hours_is_not_stored(silent_clip: Path) -> None:
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    [segment] = segment_file(silent_clip, kst("2026-11-23T21:00:00"), segment_seconds=60).segments
    with time_machine.travel(kst("2026-11-23T21:01:00"), tick=False):
        assert store_live_segment(ACTOR, device, segment) == []
    assert stored_objects() == [] and not Segment.objects.exists()


def test_R9_rain_only_cameras_record_between_an_audited_start_and_stop(silent_clip: Path) -> None:
    group = traffic_group(recording_hours="강우시에만 녹화")  # 금천구
    device = new_device(group)
    with time_machine.travel(kst("2026-07-13T14:00:00"), tick=False):
        nothing = ingest(ACTOR, device, silent_clip, kst("2026-07-13T13:00:00"))
    assert nothing.segments == 0  # no rain, no window: nothing may be kept
    with time_machine.travel(kst("2026-07-13T14:00:02"), tick=False):
        start_recording(OFFICER, group, reason="호우주의보 발령 (기상청 14:00)")
    with time_machine.travel(kst("2026-07-13T14:30:00"), tick=False):
        stop_recording(OFFICER, group, reason="호우주의보 해제")
        result = ingest(ACTOR, device, silent_clip, kst("2026-07-13T14:00:00"))
        kinds = _kinds(device, "2026-07-13T13:59:00", "2026-07-13T14:31:00")
    assert result.dropped == ((kst("2026-07-13T14:00:00"), kst("2026-07-13T14:00:02")),)
    assert [(s.start, s.end) for s in Segment.objects.filter(device=device)] == [
        (kst("2026-07-13T14:00:02"), kst("2026-07-13T14:00:04"))
    ]
    starts = AuditEntry.objects.filter(action="vault.start_recording")
    stops = AuditEntry.objects.filter(action="vault.stop_recording")
    assert [e.reason for e in starts] == ["호우주의보 발령 (기상청 14:00)"]
    assert [e.reason for e in stops] == ["호우주의보 해제"]
    assert kinds == [
        ("13:59:00", "14:00:02", Coverage.NOT_SCHEDULED),
        ("14:00:02", "14:00:04", Coverage.FOOTAGE),
        ("14:00:04", "14:30:00", Coverage.NOT_RECORDING),
        ("14:30:00", "14:31:00", Coverage.NOT_SCHEDULED),
    ]


def test_R9_a_window_opened_for_one_device_does_not_open_the_others(silent_clip: Path) -> None:
    group = traffic_group(recording_hours="필요시")
    one, other = new_device(group), new_device(group, "후문 2번")
    with time_machine.travel(kst("2026-07-13T09:00:00"), tick=False):
        start_recording(OFFICER, group, device=one, reason="민원 현장 확인")
    with time_machine.travel(kst("2026-07-13T09:10:00"), tick=False):
        assert ingest(ACTOR, one, silent_clip, kst("2026-07-13T09:05:00")).segments > 0
        assert ingest(ACTOR, other, silent_clip, kst("2026-07-13T09:05:00")).segments == 0


def test_R9_only_event_driven_hours_can_be_started_and_each_start_and_stop_needs_its_reason() -> None:
    fixed = traffic_group(recording_hours=BUS_LANE)
    with pytest.raises(TriggerError, match="조건부"):
        start_recording(OFFICER, fixed, reason="임의 녹화")
    group = new_device(admin_group(recording_hours="강우시에만 녹화")).device_group
    with time_machine.travel(kst("2026-07-13T14:00:00"), tick=False):
        with pytest.raises(TriggerError, match="시작 사유"):
            start_recording(OFFICER, group, reason=" ")
        with pytest.raises(TriggerError, match="촬영 중이 아닙니다"):
            stop_recording(OFFICER, group, reason="해제")
        start_recording(OFFICER, group, reason="호우경보")
        with pytest.raises(TriggerError, match="이미 .* 촬영 중"):
            start_recording(OFFICER, group, reason="호우경보")
        with pytest.raises(TriggerError, match="종료 사유"):
            stop_recording(OFFICER, group, reason="")
    assert RecordingTrigger.objects.count() == 1
    assert AuditEntry.objects.filter(action="vault.start_recording").count() == 1


def test_R9_an_external_signal_starts_and_stops_recording_through_the_api(
    client: Any, people: dict[str, Any]
) -> None:
    group = traffic_group(recording_hours="강우시에만 녹화")
    device = new_device(group)
    url = reverse("api:recording_start")
    with time_machine.travel(kst("2026-07-13T14:00:00"), tick=False):
        log_in(client, people["alice"])  # on the pinned day: the idle timeout counts on it (R38)
        started = client.post(
            url, {"group": group.key, "reason": "강우 감지 (우량계 3mm/h)"}, content_type="application/json"
        )
        unknown = client.post(
            url, {"group": group.key, "device": 999, "reason": "강우"}, content_type="application/json"
        )
    with time_machine.travel(kst("2026-07-13T14:20:00"), tick=False):
        stopped = client.post(
            reverse("api:recording_stop"),
            {"group": group.key, "reason": "강우 종료"},
            content_type="application/json",
        )
        again = client.post(
            reverse("api:recording_stop"),
            {"group": group.key, "reason": "강우 종료"},
            content_type="application/json",
        )
    assert started.status_code == 200 and started.json()["start_reason"] == "강우 감지 (우량계 3mm/h)"
    assert unknown.status_code == 400 and "기기 999번이 없습니다" in unknown.json()["error"]
    assert stopped.status_code == 200 and stopped.json()["end"].startswith("2026-07-13T14:20:00")
    assert again.status_code == 400 and "촬영 중이 아닙니다" in again.json()["error"]
    entry = AuditEntry.objects.get(action="vault.start_recording")
    assert entry.actor_label == str(people["alice"]) and entry.details["device"] is None
    windows = device_coverage(device, kst("2026-07-13T13:00:00"), kst("2026-07-13T16:00:00")).intervals
    assert [i.coverage for i in windows] == [
        Coverage.NOT_SCHEDULED,
        Coverage.NOT_RECORDING,
        Coverage.NOT_SCHEDULED,
    ]


def test_R9_an_officer_outside_the_groups_department_cannot_signal(
    client: Any, people: dict[str, Any]
) -> None:
    group = traffic_group(recording_hours="강우시에만 녹화")
    with time_machine.travel(kst("2026-07-13T14:00:00"), tick=False):
        log_in(client, people["charlie"])
        refused = client.post(
            reverse("api:recording_start"),
            {"group": group.key, "reason": "강우"},
            content_type="application/json",
        )
    assert refused.status_code == 403 and not RecordingTrigger.objects.exists()


def test_R9_the_device_page_starts_and_stops_an_event_driven_camera(
    client: Any, people: dict[str, Any]
) -> None:
    device = new_device(traffic_group(recording_hours="필요시"))
    page = reverse("vault:device_detail", args=[device.pk])
    with time_machine.travel(kst("2026-07-13T09:00:00"), tick=False):
        log_in(client, people["alice"])
        assert "촬영하지 않음" in client.get(page).content.decode()
        started = client.post(
            reverse("vault:recording_start", args=[device.pk]), {"reason": "민원 현장 확인"}, follow=True
        ).content.decode()
        assert "촬영을 시작했습니다" in started and "촬영 중" in started and "민원 현장 확인" in started
    with time_machine.travel(kst("2026-07-13T09:20:00"), tick=False):
        stopped = client.post(
            reverse("vault:recording_stop", args=[device.pk]), {"reason": "확인 완료"}, follow=True
        ).content.decode()
    assert "촬영을 종료했습니다" in stopped
    trigger = RecordingTrigger.objects.get()
    assert trigger.device_id == device.pk and trigger.stop_reason == "확인 완료"


def test_R9_the_upload_page_tells_the_officer_what_was_not_stored(
    client: Any, people: dict[str, Any], silent_clip: Path
) -> None:
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=False), silent_clip.open("rb") as upload:
        log_in(client, people["alice"])
        page = client.post(
            reverse("vault:upload", args=[device.pk]),
            {"file": upload, "start": "2026-11-23T08:59:58"},
            follow=True,
        ).content.decode()
    assert "조각 1개를 암호화해 저장했습니다" in page
    assert f"촬영 시간({BUS_LANE})이 아닌 구간은 저장하지 않았습니다: 2026-11-23 09:00:00 ~ 09:00:02" in page


def test_R9_the_existence_check_page_as_submitted_with_no_group_chosen_names_the_hours_gap(
    client: Any, people: dict[str, Any]
) -> None:
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=False):
        log_in(client, people["alice"])
        # The page's own form sends its "(선택 안 함)" selects as empty values.
        page = client.get(
            reverse("vault:coverage"),
            {
                "device": device.pk,
                "group": "",
                "site": "",
                "start": "2026-11-23T08:30",
                "end": "2026-11-23T09:30",
            },
        ).content.decode()
    assert "번호가 아닙니다" not in page
    assert "녹화되지 않음" in page and "촬영 시간 아님" in page


def test_R9_the_recorder_connects_an_event_driven_camera_only_while_its_window_is_open() -> None:
    group = traffic_group(recording_hours="강우시에만 녹화")
    device = add_device(ACTOR, group, "배수펌프장", source_url="rtsp://192.0.2.10/stream1")
    always = add_device(ACTOR, admin_group(), "청사 정문", source_url="rtsp://192.0.2.11/stream1")

    def connected() -> list[str]:
        return [source.camera for source in camera_sources(60)]

    with time_machine.travel(kst("2026-07-13T13:59:00"), tick=False):
        assert connected() == [always.storage_name]
    with time_machine.travel(kst("2026-07-13T14:00:00"), tick=False):
        start_recording(OFFICER, group, reason="호우주의보 발령")
        assert connected() == [device.storage_name, always.storage_name]
    with time_machine.travel(kst("2026-07-13T16:00:00"), tick=False):
        assert connected() == [device.storage_name, always.storage_name]  # open until it is stopped
        stop_recording(OFFICER, group, reason="호우주의보 해제")
    with time_machine.travel(kst("2026-07-13T16:00:30"), tick=False):
        assert connected() == [always.storage_name]


def test_R9_the_ingest_command_prints_what_it_left_out(silent_clip: Path) -> None:
    device = new_device(traffic_group(recording_hours=BUS_LANE))
    out = StringIO()
    with time_machine.travel(kst("2026-11-23T20:30:00"), tick=False):
        call_command(
            "ingest_file",
            "--device",
            str(device.pk),
            "--start",
            "2026-11-23T19:59:57",
            str(silent_clip),
            stdout=out,
        )
    lines = out.getvalue().splitlines()
    assert "조각 1개" in lines[0]
    assert (
        lines[1] == f"촬영 시간({BUS_LANE})이 아닌 구간은 저장하지 않았습니다: 2026-11-23 20:00:00 ~ 20:00:01"
    )
