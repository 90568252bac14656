"""R9 (촬영시간): an officer uploads a file that runs past the end of the published hours; only the part
inside them is stored, the page says what was left out, and the existence check names the rest
"촬영 시간 아님". Real ingest, real server, real browser; the clock is pinned to a Monday noon."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from jikimi.accounts.testing import PASSWORD, make_user
from jikimi.engine.synthetic import write_clip
from jikimi.vault.models import Segment
from jikimi.vault.tests.conftest import new_device, traffic_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BUS_LANE = "평일 07:00~09:00, 17:00~20:00"  # 인천광역시 버스전용차로 단속 CCTV
END_OF_HOURS = datetime.fromisoformat("2026-11-23T09:00:00+09:00")


def test_R9_an_uploaded_file_keeps_only_the_hours_and_the_existence_check_says_why(
    page, live_server, settings, tmp_path: Path
):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    clip = write_clip(
        tmp_path / "bus-lane.mp4", seconds=90, fps=2, keyframe_seconds=1, audio=None
    )  # 08:59:00–09:00:30
    with time_machine.travel(datetime.fromisoformat("2026-11-23T12:00:00+09:00"), tick=True):
        device = new_device(traffic_group(recording_hours=BUS_LANE))
        make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("아이디").fill("alice")
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_load_state("networkidle")

        page.goto(f"{live_server.url}/vault/devices/{device.pk}/")
        assert f"촬영 시간 {BUS_LANE}" in page.locator("main").inner_text()
        page.get_by_role("link", name="영상 파일 등록").click()
        page.get_by_label("영상 파일").set_input_files(str(clip))
        page.get_by_label("촬영 시작 (한국 시각)").fill("2026-11-23T08:59")
        page.get_by_role("button", name="등록").click()
        page.wait_for_url(f"**/vault/devices/{device.pk}/")
        told = page.get_by_text("이 아닌 구간은 저장하지 않았습니다").inner_text()
        assert (
            f"촬영 시간({BUS_LANE})이 아닌 구간은 저장하지 않았습니다: 2026-11-23 09:00:00~09:00:30" in told
        )

        page.get_by_role("link", name="존재확인").click()
        page.get_by_label("시작 (한국 시각)").fill("2026-11-23T08:58")
        page.get_by_label("끝 (한국 시각)").fill("2026-11-23T09:02")
        page.get_by_role("button", name="확인").click()
        page.wait_for_url("**/vault/coverage/?*start=*")
        table = page.locator("table", has=page.locator("caption", has_text="구간별 영상 유무"))
        rows = table.locator("tbody tr").all_inner_texts()
    assert [row.split("\t") for row in rows] == [
        ["2026-11-23 08:58:00", "2026-11-23 08:59:00", "녹화되지 않음"],
        ["2026-11-23 08:59:00", "2026-11-23 09:00:00", "영상 있음"],
        ["2026-11-23 09:00:00", "2026-11-23 09:02:00", "촬영 시간 아님"],
    ]
    assert max(s.end for s in Segment.objects.filter(device=device)) <= END_OF_HOURS
