"""R14 (법 제25조⑤; 오산시 지침 제18조①, 제29조①): PTZ cameras moved only within the register's approved
views, every move audited, an alert when a view leaves them — driven through the real ONVIF client
library against the simulated camera's ONVIF service (tools.simcam.onvif), over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tools.simcam.onvif import OnvifPtzServer

from jikimi.audit.context import Actor
from jikimi.audit.display import details_text
from jikimi.audit.models import AuditEntry
from jikimi.control import ptz_onvif
from jikimi.control.actions.ptz import Nudge, PtzRefused, check_ptz_views, close_alert, move_camera
from jikimi.control.ptz_queries import open_alerts, ptz_cameras_for
from jikimi.control.tests.ptz_world import CAMERA_PRESETS, PtzWorld, build
from jikimi.rules.ptz import Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def ptz(db) -> Iterator[PtzWorld]:
    with OnvifPtzServer(user="admin", password="pw", presets=CAMERA_PRESETS, name="공원 PTZ") as server:
        yield build(server)


def _actor(user) -> Actor:
    return Actor.for_user(user, "10.0.0.7")


def _close(a: Position, b: tuple[float, float, float]) -> bool:
    return all(abs(x - y) < 1e-6 for x, y in zip((a.pan, a.tilt, a.zoom), b, strict=True))


# -- the driver, against the simulated camera ------------------------------------------------------------


def test_the_driver_moves_the_simulated_camera_and_reads_it_back(ptz: PtzWorld):
    target = ptz_onvif.target_for(ptz.camera)
    assert (target.user, target.password) == ("admin", "pw")  # the device's sealed login (R42)
    assert "pw" not in repr(target)
    assert _close(ptz_onvif.status(target), (0.0, 0.0, 0.0))
    assert _close(ptz_onvif.goto_preset(target, "1"), (0.1, -0.2, 0.0))
    assert _close(ptz_onvif.absolute_move(target, Position(-0.5, -0.1, 0.3)), (-0.5, -0.1, 0.3))
    after = ptz_onvif.continuous_move(target, Position(0.5, 0.0, 0.0), 0.2)
    assert -0.45 < after.pan < -0.3 and not ptz.server.state.moving  # moved right, then stopped
    assert ptz.server.moves == ["GotoPreset", "AbsoluteMove", "ContinuousMove", "Stop"]


def test_the_driver_drives_a_camera_without_a_login():
    with OnvifPtzServer(presets={"1": ("정문", 0.1, -0.2, 0.0)}) as server:
        target = ptz_onvif.OnvifTarget("127.0.0.1", server.port, "", "")
        assert _close(ptz_onvif.goto_preset(target, "1"), (0.1, -0.2, 0.0))


def test_the_driver_says_in_korean_when_the_login_is_refused_or_nobody_answers():
    with OnvifPtzServer(user="admin", password="other") as server:
        target = ptz_onvif.OnvifTarget("127.0.0.1", server.port, "admin", "pw")
        with pytest.raises(ptz_onvif.PtzUnavailable, match="로그인을 거절"):
            ptz_onvif.status(target)
        port = server.port
    with pytest.raises(ptz_onvif.PtzUnavailable, match="응답"):
        ptz_onvif.status(ptz_onvif.OnvifTarget("127.0.0.1", port, "admin", "pw"))


# -- moves, audit and alerts --------------------------------------------------------------------------


def test_R14_a_move_to_an_approved_preset_is_audited_without_alert(ptz: PtzWorld):
    move = move_camera(_actor(ptz.operator), ptz.camera, preset=ptz.gate)
    assert (move.matched_preset, move.alert, move.error) == ("정문", "", "")
    assert move.from_text == "팬 +0.000, 틸트 +0.000, 줌 0.000"
    assert move.to_text == "팬 +0.100, 틸트 -0.200, 줌 0.000"
    assert ptz.server.moves == ["GotoPreset"]  # the camera's own preset 1 (camera_preset)
    entry = AuditEntry.objects.get(action="control.move_ptz")
    assert entry.actor == ptz.operator and entry.reason == "승인 프리셋 '정문'(으)로 이동"
    text = details_text(entry.action, entry.details, entry.target_type)
    assert "조작 방법: 승인 프리셋으로 이동" in text and "일치한 승인 프리셋: 정문" in text
    assert not AuditEntry.objects.filter(action="control.ptz_alert").exists()
    # a preset without a camera token is reached by its coordinates
    move_camera(_actor(ptz.operator), ptz.camera, preset=ptz.playground)
    assert ptz.server.moves[-1] == "AbsoluteMove" and _close(
        Position(*ptz.server.position), (-0.5, -0.1, 0.3)
    )


def test_R14_a_manual_move_needs_a_reason_and_nothing_reaches_the_camera_without_one(ptz: PtzWorld):
    with pytest.raises(PtzRefused, match="사유를 적어야"):
        move_camera(_actor(ptz.operator), ptz.camera, position=Position(0.3, 0.3, 0.0), reason="  ")
    with pytest.raises(PtzRefused, match="팬 1.5"):
        move_camera(_actor(ptz.operator), ptz.camera, position=Position(1.5, 0.0, 0.0), reason="추적")
    assert ptz.server.moves == [] and not AuditEntry.objects.filter(action="control.move_ptz").exists()


def test_R14_a_manual_move_outside_the_presets_raises_an_alert(ptz: PtzWorld):
    move = move_camera(
        _actor(ptz.operator), ptz.camera, position=Position(0.3, 0.3, 0.0), reason="폭행 의심자 추적"
    )
    assert move.alert == "승인된 프리셋을 벗어났습니다" and move.alert_open
    assert list(open_alerts()) == [move]
    alert = AuditEntry.objects.get(action="control.ptz_alert")
    assert alert.reason == "폭행 의심자 추적"
    assert "경보 내용: 승인된 프리셋을 벗어났습니다" in details_text(
        alert.action, alert.details, alert.target_type
    )


def test_R14_a_view_into_a_privacy_zone_names_it(ptz: PtzWorld):
    move = move_camera(
        _actor(ptz.operator), ptz.camera, position=Position(0.5, 0.2, 0.4), reason="소음 민원 확인"
    )
    assert move.alert == "승인된 프리셋을 벗어났습니다 — 사생활 보호 구역을 비춥니다: 건너편 아파트 창문"
    entry = AuditEntry.objects.get(action="control.move_ptz")
    assert entry.details["privacy_zones_viewed"] == ["건너편 아파트 창문"]


def test_R14_the_view_read_back_decides_not_the_one_asked(ptz: PtzWorld):
    # The camera's own preset 1 was re-aimed at the pole (not through jikimi): going to 정문 ends elsewhere.
    ptz.server.state.presets["1"] = ("정문", -0.8, 0.5, 0.9)
    move = move_camera(_actor(ptz.operator), ptz.camera, preset=ptz.gate)
    assert move.alert == "승인된 프리셋을 벗어났습니다" and move.matched_preset == ""


def test_R14_a_nudge_is_a_manual_move(ptz: PtzWorld):
    move = move_camera(
        _actor(ptz.operator), ptz.camera, nudge=Nudge(Position(0.5, 0.0, 0.0), 0.2), reason="차량 번호 확인"
    )
    assert move.kind == "nudge" and move.alert and ptz.server.moves == ["ContinuousMove", "Stop"]


def test_R14_a_camera_that_does_not_answer_is_recorded_as_a_failed_move(ptz: PtzWorld):
    ptz.server.stop()
    move = move_camera(_actor(ptz.operator), ptz.camera, preset=ptz.gate)
    assert move.error and "응답" in move.error and move.to_pan is None and move.alert == ""
    entry = AuditEntry.objects.get(action="control.move_ptz")
    assert "조작 실패 사유" in details_text(entry.action, entry.details, entry.target_type)


def test_R36_R47_only_operators_of_the_group_move_it(ptz: PtzWorld):
    from jikimi.accounts.testing import make_user

    police = make_user("ptzpolice", "seconded_police", departments=["안전총괄과"])
    for user in (ptz.other_operator, police):
        with pytest.raises(PtzRefused, match="권한"):
            move_camera(_actor(user), ptz.camera, preset=ptz.gate)
        assert ptz_cameras_for(user) == []
    assert ptz_cameras_for(ptz.operator) == [ptz.camera]
    assert ptz.server.moves == []


def test_R14_the_head_of_the_centre_closes_an_alert_with_a_note(ptz: PtzWorld):
    move = move_camera(_actor(ptz.operator), ptz.camera, position=Position(0.3, 0.3, 0.0), reason="추적")
    with pytest.raises(PtzRefused, match="권한"):
        close_alert(_actor(ptz.operator), move, "복귀")
    with pytest.raises(PtzRefused, match="확인 내용"):
        close_alert(_actor(ptz.head), move, " ")
    close_alert(_actor(ptz.head), move, "정문 프리셋으로 복귀 확인")
    move.refresh_from_db()
    assert not move.alert_open and move.alert_closed_by == ptz.head
    assert list(open_alerts()) == []
    assert AuditEntry.objects.filter(action="control.close_ptz_alert", actor=ptz.head).count() == 1


# -- the pages ----------------------------------------------------------------------------------------


def test_R14_the_page_moves_to_a_preset_then_by_hand_with_a_reason_and_shows_the_alert(ptz: PtzWorld, client):
    from django.urls import reverse

    from jikimi.accounts.testing import log_in

    log_in(client, ptz.operator)
    page = reverse("control:ptz_camera", args=[ptz.camera.device_id])
    move_url = reverse("control:ptz_move", args=[ptz.camera.device_id])
    assert "정문" in client.get(page).content.decode()
    response = client.post(move_url, {"mode": "preset", "preset": ptz.gate.pk}, follow=True)
    assert "승인 프리셋 「정문」 화각입니다" in response.content.decode()
    refused = client.post(
        move_url, {"mode": "manual", "pan": "0.3", "tilt": "0.3", "zoom": "0", "reason": ""}
    )
    assert refused.status_code == 400
    assert "승인 프리셋 밖으로 움직이려면 사유를 적으세요" in refused.content.decode()
    bad = client.post(move_url, {"mode": "manual", "pan": "2", "tilt": "0", "zoom": "0", "reason": "추적"})
    assert bad.status_code == 400 and "팬: 1.0 이하여야 합니다" in bad.content.decode()
    assert ptz.server.moves == ["GotoPreset"]
    response = client.post(
        move_url,
        {"mode": "manual", "pan": "0.3", "tilt": "0.3", "zoom": "0", "reason": "폭행 의심자 추적"},
        follow=True,
    )
    text = response.content.decode()
    assert "경보: 승인된 프리셋을 벗어났습니다" in text and 'id="ptz-alerts"' in text
    # the centre's head sees it on the health page and closes it there
    client.logout()
    log_in(client, ptz.head)
    health = client.get(reverse("control:health")).content.decode()
    assert "PTZ 경보" in health and "폭행 의심자 추적" in health
    move = ptz.camera.device.ptz_moves.first()
    closed = client.post(
        reverse("control:ptz_close_alert", args=[move.pk]),
        {"note": "정문 복귀 확인", "back": "health"},
        follow=True,
    )
    assert (
        "경보를 확인했습니다" in closed.content.decode() and 'id="ptz-alerts"' not in closed.content.decode()
    )


def test_R14_an_operator_of_another_department_is_refused_the_page(ptz: PtzWorld, client):
    from django.urls import reverse

    from jikimi.accounts.testing import log_in

    log_in(client, ptz.other_operator)
    assert client.get(reverse("control:ptz_camera", args=[ptz.camera.device_id])).status_code == 403
    response = client.post(reverse("control:ptz_move", args=[ptz.camera.device_id]), {"preset": ptz.gate.pk})
    assert response.status_code == 403 and ptz.server.moves == []


def test_R14_a_camera_moved_outside_jikimi_is_found_by_the_check(ptz: PtzWorld):
    system = Actor.system("ptz-check")
    # As installed at (0, 0, 0), never moved through jikimi: not an approved view — one alert, once.
    assert check_ptz_views(system) == (1, 1)
    assert open_alerts().get().alert == "승인된 프리셋을 벗어났습니다"
    assert check_ptz_views(system) == (1, 0)
    close_alert(_actor(ptz.head), open_alerts().get(), "설치 시 화각, 정문으로 옮김")
    move_camera(_actor(ptz.operator), ptz.camera, preset=ptz.gate)
    assert check_ptz_views(system) == (1, 0)  # where jikimi left it
    ptz.server.set_position(0.55, 0.3, 0.5)  # turned at the pole, or by the camera's own web page
    assert check_ptz_views(system) == (1, 1)
    found = open_alerts().get()
    assert found.kind == "observed" and found.user is None
    assert found.alert.startswith("jikimi를 거치지 않고 움직였습니다")
    assert "건너편 아파트 창문" in found.alert
    assert check_ptz_views(system) == (1, 0)  # reported once
    ptz.server.stop()
    assert check_ptz_views(system) == (0, 0)  # not answering: the health check's business


def test_R14_R42_a_ptz_camera_is_recorded_without_credentials_and_only_where_presets_are_approved(
    ptz: PtzWorld,
):
    from django.core.management import CommandError, call_command

    from jikimi.inventory.actions.ptz import PtzCameraRefused, set_ptz_camera
    from jikimi.vault.actions.devices import add_device
    from jikimi.vault.tests.conftest import place

    device = ptz.camera.device
    with pytest.raises(PtzCameraRefused, match="인증정보를 적지 않습니다"):
        set_ptz_camera(Actor.system("test"), device, "http://admin:pw@127.0.0.1/onvif/device_service")
    with pytest.raises(PtzCameraRefused, match="ONVIF 주소는"):
        set_ptz_camera(Actor.system("test"), device, "rtsp://127.0.0.1/onvif")
    gate = place(device.device_group, "gate", "정문")  # a location without approved presets
    bare = add_device(Actor.system("test"), device.device_group, "정문 1번", location=gate)
    with pytest.raises(CommandError, match="승인 프리셋이 없습니다"):
        call_command("set_ptz_camera", str(bare.pk), "http://127.0.0.1/onvif/device_service")
    call_command(
        "set_ptz_camera", str(device.pk), "http://127.0.0.1:8080/onvif/device_service", "--profile", "p2"
    )
    ptz.camera.refresh_from_db()
    assert (ptz.camera.onvif_address, ptz.camera.profile_token) == (
        "http://127.0.0.1:8080/onvif/device_service",
        "p2",
    )
    assert AuditEntry.objects.filter(action="inventory.set_ptz_camera").count() == 2  # the world's, and this


def test_R14_the_full_size_camera_on_the_wall_links_to_its_ptz_page(ptz: PtzWorld, client):
    from django.urls import reverse

    from jikimi.accounts.testing import log_in
    from jikimi.control.actions.live import open_live_viewing

    log_in(client, ptz.operator)
    single = open_live_viewing(_actor(ptz.operator), [ptz.camera.device], size=1, replay=True)
    page = client.get(reverse("control:wall_live", args=[single.pk])).content.decode()
    assert reverse("control:ptz_camera", args=[ptz.camera.device_id]) in page
