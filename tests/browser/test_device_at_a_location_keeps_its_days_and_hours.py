"""Issue 10's acceptance test, end to end as an officer does it (법 제21조①, 법 제25조①, R9, R16):

an officer adds a device at a location whose retention overrides its group's, the device page shows
the location's retention and hours, and footage ingested outside the hours is not stored, with the
reason shown in the existence check.

The world is a small register imported through the real import path: the group keeps 45일 and records
24시간; its location "중앙로 버스전용차로" keeps 14일 and records 평일 07:00~09:00 (as 인천광역시
publishes its bus-lane cameras). Everything else goes through the pages: the login form, the
add-device form, the upload form and the existence check's form. The clock is pinned to a working
Monday noon derived from today, so the test reads the same on any day (and a year ahead or behind).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine

from jikimi.accounts.testing import make_user
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.engine.synthetic import write_clip
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.vault.hours import public_holidays
from jikimi.vault.models import Segment
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "교통 단속 CCTV"
LANE = "중앙로 버스전용차로"
LANE_HOURS = "평일 07:00~09:00"
REGISTER = f"""\
format: jikimi-register/1
institution: {{name: 시험시, slug: siheomsi}}
departments:
  - {{key: gyotonghaengjeonggwa, name: 교통행정과}}
device_groups:
  - key: traffic
    name: {GROUP}
    department: 교통행정과
    legal_bases: [traffic_enforcement]
    purpose: 교통 단속
    count: 3
    site: 시청 앞
    recording_hours: 24시간
    retention: 45일
    retention_reason: 단속 이의신청 처리에 필요한 기간
    storage_place: 교통정보센터
    locations:
      - {{key: crossing, name: 시청 앞 교차로, count: 2}}
      - {{key: bus-lane, name: {LANE}, count: 1, retention: 14일, recording_hours: "{LANE_HOURS}"}}
"""


def a_working_monday(today: date) -> date:
    """The Monday of last week, or an earlier one when it is a public holiday (평일 excludes them)."""
    monday = today - timedelta(days=today.weekday() + 7)
    while True:
        noon = datetime.combine(monday, time(12), SEOUL)
        if monday not in public_holidays(noon, noon):
            return monday
        monday -= timedelta(weeks=1)


def test_R16_R9_a_device_at_a_location_keeps_its_days_and_hours_and_the_existence_check_says_why(
    page, live_server, settings, tmp_path: Path
):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    monday = a_working_monday(datetime.now(SEOUL).date())
    day = f"{monday:%Y-%m-%d}"
    end_of_hours = datetime.combine(monday, time(9), SEOUL)
    # 90 s from 08:59:00: a minute inside the hours, then 30 s after they end.
    clip = write_clip(tmp_path / "jungangno.mp4", seconds=90, fps=2, keyframe_seconds=1, audio=None)

    with time_machine.travel(datetime.combine(monday, time(12), SEOUL), tick=False):
        institution = import_register(Actor.system("test"), REGISTER, "siheomsi.yaml").institution
        make_user("gina", "officer", institution=institution, departments=["교통행정과"], name="김지나")
        log_in(page, live_server, "gina")

        # The officer adds the device, choosing its place among the register's locations.
        page.goto(f"{live_server.url}/vault/")
        page.get_by_role("link", name="기기 등록").click()
        page.get_by_label("기기 묶음").select_option(label=f"{GROUP} — 교통행정과 (시험시)")
        page.get_by_label("기기명").fill("중앙로 1호기")
        page.get_by_label("설치 위치").select_option(label=LANE)
        page.get_by_role("button", name="등록").click()
        page.wait_for_load_state("networkidle")
        main = page.locator("main")
        assert "기기 '중앙로 1호기'을(를) 등록했습니다" in main.inner_text()

        # The device page states the location's terms, not the group's (45일, 24시간).
        summary = main.locator("p.jk-muted").first.inner_text()
        assert (
            f"보관기간 14일 · 촬영 시간 {LANE_HOURS} (기기 묶음 '{GROUP}'의 위치 '{LANE}'에 따름)" in summary
        )
        assert "45일" not in summary and "24시간" not in summary
        assert f"{LANE} (bus-lane)" in main.get_by_role("row", name="위치").inner_text()
        device = Device.objects.get(name="중앙로 1호기")
        assert device.location is not None and device.location.key == "bus-lane"

        # The officer uploads a file recorded across the end of the hours; the page says what was left out.
        page.get_by_role("link", name="영상 파일 등록").click()
        page.get_by_label("영상 파일").set_input_files(str(clip))
        page.get_by_label("촬영 시작 (한국 시각)").fill(f"{day}T08:59")
        page.get_by_role("button", name="등록").click()
        page.wait_for_load_state("networkidle")
        said = main.inner_text()
        assert "암호화해 저장했습니다" in said
        kept = main.get_by_role("row", name="보관 중인 조각").inner_text()
        assert f"촬영 시간({LANE_HOURS})이 아닌 구간은 저장하지 않았습니다: {day} 09:00:00 ~ 09:00:30" in said

        # The existence check, asked through its form: the minute after 09:00 is "촬영 시간 아님".
        page.goto(f"{live_server.url}/vault/")
        page.get_by_role("link", name="존재확인").click()
        page.get_by_label("기기", exact=True).select_option(
            label=f"{GROUP} — 교통행정과 (시험시) / 중앙로 1호기"
        )
        page.get_by_label("시작 (한국 시각)").fill(f"{day}T08:58")
        page.get_by_label("끝 (한국 시각)").fill(f"{day}T09:02")
        page.get_by_role("button", name="확인").click()
        page.wait_for_load_state("networkidle")
        table = page.locator("table", has=page.locator("caption", has_text="구간별 영상 유무"))
        rows = [row.split("\t") for row in table.locator("tbody tr").all_inner_texts()]

        # The auditor reads in the audit log who added the device and who stored the file, with what
        # was left out.
        page.get_by_role("button", name="로그아웃").click()
        page.wait_for_load_state("networkidle")
        make_user("audrey", "auditor", institution=institution, name="정감사")
        log_in(page, live_server, "audrey")
        page.goto(f"{live_server.url}/audit/")
        logged = {}
        for event in ("기기 등록", "영상 파일 등록"):
            page.get_by_label("행위", exact=True).select_option(label=event)
            page.get_by_role("button", name="조회").click()
            page.wait_for_load_state("networkidle")
            logged[event] = page.locator("table tbody tr").all_inner_texts()

    assert rows == [
        [f"{day} 08:58:00", f"{day} 08:59:00", "녹화되지 않음 (사유 미상)"],
        [f"{day} 08:59:00", f"{day} 09:00:00", "영상 있음"],
        [f"{day} 09:00:00", f"{day} 09:02:00", "촬영 시간 아님"],
    ]
    # The index holds only the minute inside the hours, without a gap.
    stored = list(Segment.objects.filter(device=device).order_by("start"))
    assert stored and stored[0].start == end_of_hours - timedelta(minutes=1)
    assert max(s.end for s in stored) == end_of_hours
    assert sum(((s.end - s.start) for s in stored), timedelta()) == timedelta(minutes=1)
    assert kept.endswith(f"{len(stored)}개")

    # The audit log: who added the device and who stored what, with what was left out and why (R9).
    [added] = AuditEntry.objects.filter(action=AuditEvent.VAULT_ADD_DEVICE, target_id=str(device.pk))
    [ingested] = AuditEntry.objects.filter(action=AuditEvent.VAULT_INGEST_FILE, target_id=str(device.pk))
    for entry in (added, ingested):
        assert entry.actor is not None and entry.actor.username == "gina"
        assert entry.at == datetime.combine(monday, time(12), SEOUL)
    for event, rows_logged in logged.items():
        [row] = rows_logged
        assert "김지나" in row and "중앙로 1호기" in row and event in row
    upload_row = logged["영상 파일 등록"][0]
    # The details read in Korean (R40), not as the stored JSON.
    assert f"촬영시간: {LANE_HOURS}" in upload_row
    assert f"촬영시간 밖이라 버린 구간: 시작 {day} 09:00:00, 끝 {day} 09:00:30" in upload_row
    assert ingested.details["source"] == "jungangno.mp4"
    assert ingested.details["recording_hours"] == LANE_HOURS
    assert len(ingested.details["outside_hours"]) == 1
