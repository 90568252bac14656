"""An incident from bookmark to 112 record and hold, by hand (오산시 지침 제21조③; 법 제21조③, R18).

The operator sees a fight on 정문 1번, opens the camera's row on the health board ("사건 기록": the
camera and this moment), sets the moment he saw it and logs it; the seconded police officer finds the
unread notice on his incidents page, opens it (his reading is recorded), records his report to the 112
지령실 with time and receiver, a follow-up, and closes it keeping the footage apart for the police's
request. The clock is pinned (the suite also runs a year off): the footage, the hold and its end date
are of that day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from jikimi.accounts.testing import make_group, make_user
from jikimi.control.models import Incident, IncidentNotice
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import HeldSegment, LegalHold
from jikimi.vault.tests.conftest import ACTOR, synthetic_segment
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime.fromisoformat("2026-11-23T09:30:00+09:00")


@pytest.fixture
def control_room(settings, tmp_path: Path, live_server):  # type: ignore[no-untyped-def]
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    with time_machine.travel(NOW, tick=True):
        group = make_group("교통행정과", "bus-lane")
        gate = Location.objects.create(device_group=group, key="gate", name="정문")
        camera = add_device(ACTOR, group, "정문 1번", location=gate)
        for minute in range(10, 15):
            synthetic_segment(camera, NOW.replace(minute=minute))
        make_user("operator", "operator", group.institution, departments=["교통행정과"], name="관제요원")
        make_user("police", "seconded_police", group.institution, departments=["교통행정과"], name="김경위")
        yield camera


def test_an_incident_from_bookmark_to_112_record_and_hold(page, browser, live_server, control_room) -> None:  # type: ignore[no-untyped-def]
    camera = control_room
    with time_machine.travel(NOW + timedelta(minutes=1), tick=True):
        # The operator, on the health board, logs what he saw on 정문 1번.
        log_in(page, live_server, "operator")
        page.get_by_role("link", name="카메라 상태").first.click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("link", name="정문 1번 사건 기록").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_label("기기").input_value() == str(camera.pk)
        page.get_by_label("발견 시각 (영상 책갈피)").fill("2026-11-23T09:12:30")
        page.get_by_label("구분").select_option(label="범죄")
        page.get_by_label("상황").fill("남성 2명 몸싸움, 1명 쓰러짐")
        page.get_by_role("button", name="기록하고 경찰에 알림").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("상황실 경찰 1명에게 알렸습니다").is_visible()
        assert page.get_by_text("관제 사건 2026-0001 — 범죄").is_visible()
        # The operator reports to the police officer; he does not report to 112 himself.
        assert page.locator("#report-form").count() == 0

        # The police officer's page shows the unread notice.
        police = browser.new_context(locale="ko-KR").new_page()
        police.set_default_timeout(15_000)
        log_in(police, live_server, "police")
        police.get_by_role("link", name="관제 사건").first.click()
        police.wait_for_load_state("networkidle")
        notices = police.locator("#unread-notices")
        assert "확인하지 않은 사건 통보 1건" in notices.inner_text()
        notices.get_by_role("link").first.click()
        police.wait_for_load_state("networkidle")
        assert IncidentNotice.objects.get().read_at is not None
        assert "보존 종료일 2026-12-23" in police.locator("#incident-hold").inner_text()

        # 제21조③: he passes it on to the 112 지령실 and records when and to whom.
        police.get_by_label("통보 기관").select_option(label="경찰서 112지령실")
        police.get_by_label("통보 시각").fill("2026-11-23T09:31:10")
        police.get_by_label("접수자").fill("112지령실 경위 홍길동")
        police.get_by_role("button", name="통보 기록").click()
        police.wait_for_load_state("networkidle")
        report = police.locator("#incident-report").inner_text()
        assert "경찰서 112지령실 — 2026-11-23 09:31:10" in report and "홍길동" in report
        police.get_by_label("후속 조치").fill("지구대 출동, 2명 임의동행")
        police.get_by_role("button", name="후속 조치 기록").click()
        police.wait_for_load_state("networkidle")
        assert "지구대 출동" in police.locator("#incident-follow-ups").inner_text()
        police.get_by_label("종결 내용").fill("경찰 인계, 영상 제공 요청 예정")
        police.get_by_label("분리 보관 유지").check()
        police.get_by_label("보존 종료일 (유지할 때, 늦출 경우)").fill("2027-02-28")
        police.get_by_role("button", name="종결").click()
        police.wait_for_load_state("networkidle")
        assert "분리 보관 유지" in police.locator("#incident-closure").inner_text()
        assert "보존 종료일 2027-02-28" in police.locator("#incident-hold").inner_text()
        police.context.close()

    incident = Incident.objects.get()
    assert incident.state == Incident.State.CLOSED and incident.report_channel == "112"
    hold = LegalHold.objects.get(pk=incident.hold_id)
    # The footage around the bookmark (09:02:30–09:22:30) is kept apart: the five minutes recorded.
    assert hold.active and hold.case_reference == "관제 사건 2026-0001"
    assert HeldSegment.objects.filter(hold=hold).count() == 5
