"""A PTZ camera moved by hand in the browser (R14; 오산시 지침 제18조①, 제29조①).

The operator opens the camera's PTZ page, moves it to the approved preset 정문 (no alert: the view read
back from the camera is the preset's), then by hand outside the presets with a reason; the page shows
the alert, and the move is in the audit log with the operator and the reason. The camera is the
simulated camera's ONVIF service (tools.simcam.onvif), driven by the real ONVIF client library.
"""

from __future__ import annotations

import pytest
from tools.simcam.onvif import OnvifPtzServer

from jikimi.audit.models import AuditEntry
from jikimi.control.tests.ptz_world import PtzWorld, build
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ptz(live_server):  # type: ignore[no-untyped-def]
    from jikimi.control.tests.ptz_world import CAMERA_PRESETS

    with OnvifPtzServer(user="admin", password="pw", presets=CAMERA_PRESETS, name="공원 PTZ") as server:
        yield build(server)


def test_a_ptz_move_outside_the_presets_raises_an_alert(page, live_server, ptz: PtzWorld) -> None:  # type: ignore[no-untyped-def]
    log_in(page, live_server, "ptzop")
    page.goto(f"{live_server.url}/control/ptz/")
    page.get_by_role("link", name="공원 PTZ").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="PTZ 조작 — 공원 PTZ").is_visible()

    # To an approved preset: no alert.
    page.get_by_label("승인 프리셋").select_option(label="정문 (팬 +0.10, 틸트 -0.20, 줌 0.00)")
    page.get_by_role("button", name="이동", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("승인 프리셋 「정문」 화각입니다").is_visible()
    assert page.locator("#ptz-alerts").count() == 0
    assert ptz.server.position == pytest.approx((0.1, -0.2, 0.0))

    # By hand without a reason: refused, the camera does not move.
    page.locator("#manual-pan").fill("0.3")
    page.locator("#manual-tilt").fill("0.3")
    page.locator("#manual-zoom").fill("0")
    page.get_by_role("button", name="직접 이동").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("승인 프리셋 밖으로 움직이려면 사유를 적으세요").first.is_visible()
    assert ptz.server.moves == ["GotoPreset"]

    # By hand with a reason: moved, and the alert is on the page.
    page.locator("#manual-pan").fill("0.3")
    page.locator("#manual-tilt").fill("0.3")
    page.locator("#manual-zoom").fill("0")
    page.locator("#manual-reason").fill("폭행 의심자 추적")
    page.get_by_role("button", name="직접 이동").click()
    page.wait_for_load_state("networkidle")
    alerts = page.locator("#ptz-alerts")
    assert alerts.is_visible()
    assert "승인된 프리셋을 벗어났습니다" in alerts.inner_text()
    assert "폭행 의심자 추적" in alerts.inner_text()
    assert "경보: 승인된 프리셋을 벗어났습니다" in page.locator(".jk-messages").inner_text()
    assert ptz.server.position == pytest.approx((0.3, 0.3, 0.0))
    alert = AuditEntry.objects.get(action="control.ptz_alert")
    assert alert.actor == ptz.operator and alert.reason == "폭행 의심자 추적"
    assert AuditEntry.objects.filter(action="control.move_ptz").count() == 2
