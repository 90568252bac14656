"""An officer shortens a group's retention on the group edit page: before anything is saved the page
lists the device whose footage would be kept for another period (법 제21조①, R16), and only after the
officer ticks the confirmation is it applied; the device page then shows the new retention. Then the
officer moves the device to the lifts, confirming the shorter retention (R17: older footage goes at
the next sweep)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from jikimi.accounts.testing import make_user
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import Device, DeviceGroup
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR
from jikimi.vault.tests.test_devices_in_the_register import IMPORTER, REGISTER
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SEOUL)


def test_R16_the_group_edit_page_shows_the_devices_new_retention_and_applies_it_only_when_confirmed(
    page, live_server
):
    with time_machine.travel(NOW, tick=True):
        institution = import_register(IMPORTER, REGISTER, "siheomgu.yaml").institution
        group = institution.device_groups.get(key="city-hall")
        door = add_device(ACTOR, group, "현관 1번", location="hall")
        make_user("gina", "officer", institution=institution, departments=["행정지원과"], name="김지나")
        log_in(page, live_server, "gina")

        page.goto(f"{live_server.url}/register/groups/{group.pk}/edit/")
        page.get_by_label("보관 기간", exact=True).fill("30일")
        page.get_by_label("30일 초과 보관 사유").fill("")
        page.get_by_label("변경 사유").fill("정기점검 결과 보관기간 단축")
        page.get_by_role("button", name="저장").click()
        page.wait_for_load_state("networkidle")

        warning = page.locator("#term-changes")
        assert "기기 1대의 보관기간·촬영시간이 바뀝니다" in warning.inner_text()
        assert "현관 1번: 보관기간 45일 → 30일 (영상 0일치)" in warning.inner_text()
        assert DeviceGroup.objects.get(pk=group.pk).retention == "45일"  # not yet

        page.get_by_text("위 기기의 보관기간·촬영시간 변경을 확인했습니다").click()
        assert page.get_by_label("위 기기의 보관기간·촬영시간 변경을 확인했습니다").is_checked()
        page.get_by_role("button", name="확인하고 저장").click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(f"/register/groups/{group.pk}/")
        assert "고쳤습니다" in page.locator("body").inner_text()
        assert DeviceGroup.objects.get(pk=group.pk).retention == "30일"
        assert AuditEntry.objects.filter(action="inventory.device_terms_changed").count() == 1

        page.goto(f"{live_server.url}/vault/devices/{door.pk}/")
        assert "보관기간 30일" in page.locator("p.jk-muted").first.inner_text()

        # The device moves to the lifts (14 days): the move is confirmed with the shorter retention.
        page.get_by_label("새 설치 위치").select_option(label="승강기 (보관기간 14일)")
        page.get_by_label("옮기는 사유").fill("승강기 안으로 이설")
        page.get_by_role("button", name="위치 옮기기").click()
        page.wait_for_load_state("networkidle")
        shown = page.locator("#term-changes").inner_text()
        assert "현관 1번: 보관기간 30일 → 14일" in shown
        assert "새 보관기간(14일)보다 오래된 영상은 다음 파기 때 파기됩니다" in shown
        page.get_by_text("위 보관기간·촬영시간 변경을 확인했습니다").click()
        page.get_by_role("button", name="확인하고 옮기기").click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(f"/vault/devices/{door.pk}/")
        assert "보관기간 14일" in page.locator("p.jk-muted").first.inner_text()
        moved = Device.objects.get(pk=door.pk)
        assert moved.location is not None and moved.location.key == "elevators"
