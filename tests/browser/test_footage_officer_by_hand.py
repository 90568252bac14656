"""The 관리담당자 and the 관제요원 at the footage pages, as each of them meets them: through the menu and
the buttons, choosing in the selects and typing, never by a hand-made address (issue 12).

The officer checks whether footage exists (R41: audited like a viewing, R39), is told in Korean what
is wrong with a window typed backwards or a search with nothing chosen, and places a legal hold
(R18), where an end date already past is refused. The operator, who watches live only, is offered
no footage search at all (R36).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jikimi.accounts.testing import make_user
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.engine.synthetic import write_clip
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.models import LegalHold
from jikimi.vault.tests.conftest import ACTOR, new_device
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def recorded(settings, tmp_path: Path, live_server):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    clip = write_clip(tmp_path / "clip.mp4", seconds=4, audio=None)
    t0 = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    device = new_device(name="정문 1번")
    ingest(ACTOR, device, clip, t0)
    return device, t0


def typed(moment: datetime) -> str:
    """What a person types into a datetime-local field (Korean time, to the minute)."""
    return moment.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")


def open_existence_check(page) -> None:
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="영상 보관").click()
    page.get_by_role("link", name="존재확인").first.click()
    page.wait_for_load_state("networkidle")


def test_the_officer_checks_footage_by_hand_and_is_told_what_is_wrong(page, live_server, recorded):
    device, t0 = recorded
    make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
    log_in(page, live_server, "alice")
    open_existence_check(page)

    # Nothing chosen: the page says so instead of showing nothing.
    page.get_by_label("시작 (한국 시각)").fill(typed(t0 - timedelta(minutes=1)))
    page.get_by_label("끝 (한국 시각)").fill(typed(t0 + timedelta(minutes=2)))
    page.get_by_role("button", name="확인").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").filter(has_text="기기").count() >= 1
    assert "__all__" not in page.content()

    # The window typed backwards: Korean, no internal field key.
    page.get_by_label("기기", exact=True).select_option(
        label=f"{device.device_group.choice_label} / {device.name}"
    )
    page.get_by_label("시작 (한국 시각)").fill(typed(t0 + timedelta(minutes=2)))
    page.get_by_label("끝 (한국 시각)").fill(typed(t0 - timedelta(minutes=1)))
    page.get_by_role("button", name="확인").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("끝 시각이 시작 시각보다 늦어야 합니다").is_visible()
    assert "__all__" not in page.content()
    assert not AuditEntry.objects.filter(action=AuditEvent.VAULT_EXISTENCE_CHECK).exists()

    # The device chosen in the select (the other selects left at "선택 안 함"), the window right.
    page.get_by_label("기기", exact=True).select_option(
        label=f"{device.device_group.choice_label} / {device.name}"
    )
    page.get_by_label("시작 (한국 시각)").fill(typed(t0 - timedelta(minutes=1)))
    page.get_by_label("끝 (한국 시각)").fill(typed(t0 + timedelta(minutes=2)))
    page.get_by_role("button", name="확인").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=f"{device.device_group.name} / {device.name}").is_visible()
    assert page.get_by_role("cell", name="영상 있음").count() >= 1
    assert "번호가 아닙니다" not in page.content()
    # R41: the search is recorded like a viewing, one entry for the camera searched.
    [entry] = AuditEntry.objects.filter(action=AuditEvent.VAULT_EXISTENCE_CHECK)
    assert entry.actor.username == "alice" and entry.target_id == str(device.pk)


def test_the_officer_places_a_hold_and_a_past_end_is_refused(page, live_server, recorded):
    device, t0 = recorded
    make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
    log_in(page, live_server, "alice")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="영상 보관").click()
    page.get_by_role("link", name=device.name).click()
    page.get_by_role("link", name="분리 보관 설정").click()

    page.get_by_label("시작 (한국 시각)").fill(typed(t0 - timedelta(minutes=1)))
    page.get_by_label("끝 (한국 시각)").fill(typed(t0 + timedelta(minutes=2)))
    page.get_by_label("보존 근거").fill("형사소송법 제106조 압수 요청")
    page.get_by_label("요청자").fill("군산경찰서 수사과")
    page.get_by_label("보존 종료일").fill("2020-01-01")
    page.get_by_role("button", name="설정").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").filter(has_text="보존 종료일").is_visible()
    assert not LegalHold.objects.exists()

    ends_on = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.get_by_label("보존 종료일").fill(ends_on)
    page.get_by_role("button", name="설정").click()
    page.wait_for_load_state("networkidle")
    hold = LegalHold.objects.get()
    assert hold.ends_on.isoformat() == ends_on and hold.requester == "군산경찰서 수사과"
    assert page.get_by_text("보존 중").first.is_visible()


def test_the_operator_is_offered_no_footage_search(page, live_server, recorded):
    make_user("oscar", "operator", departments=["교통행정과"], name="오관제")
    log_in(page, live_server, "oscar")
    menu = page.get_by_role("navigation", name="주 메뉴")
    assert menu.get_by_role("link", name="영상 보관").count() == 0
    assert menu.get_by_role("link", name="감사 기록").count() == 0
    # What a curious operator may type into the address bar is refused all the same (R36).
    response = page.goto(f"{live_server.url}/vault/coverage/")
    assert response is not None and response.status == 403
