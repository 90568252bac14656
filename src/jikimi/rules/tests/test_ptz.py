"""R14 (법 제25조⑤; 오산시 지침 제29조①): a PTZ camera's view within its approved presets, and out of its
privacy zones."""

from __future__ import annotations

from jikimi.rules.ptz import (
    Position,
    Preset,
    PrivacyZone,
    at_preset,
    check_view,
    in_privacy_zone,
    matching_preset,
    out_of_range,
)

GATE = Preset("gate", "정문", Position(0.1, -0.2, 0.0))
PARKING = Preset("parking", "주차장", Position(-0.5, -0.1, 0.3))
EDGE = Preset("edge", "끝", Position(0.99, 0.0, 0.0))
WINDOWS = PrivacyZone("windows", "아파트 창문", (0.4, 0.7), (0.0, 0.5))
BEHIND = PrivacyZone("behind", "민가", (0.9, -0.9), (-1.0, 1.0), zoom_min=0.2)


def test_a_position_within_tolerance_is_at_the_preset():
    assert at_preset(Position(0.11, -0.21, 0.01), GATE)
    assert not at_preset(Position(0.13, -0.2, 0.0), GATE)
    assert at_preset(Position(0.13, -0.2, 0.0), GATE, tolerance=0.05)
    wide = Preset("wide", "넓게", Position(0.1, -0.2, 0.0), tolerance=0.05)
    assert at_preset(Position(0.13, -0.2, 0.0), wide)


def test_pan_wraps_around():
    assert at_preset(Position(-0.995, 0.0, 0.0), EDGE)


def test_the_nearest_matching_preset_is_named():
    near = Preset("near", "근처", Position(0.12, -0.2, 0.0))
    assert matching_preset(Position(0.119, -0.2, 0.0), [GATE, near]) == near
    assert matching_preset(Position(0.3, 0.3, 0.0), [GATE, PARKING]) is None


def test_privacy_zones_by_pan_tilt_and_zoom():
    assert in_privacy_zone(Position(0.5, 0.2, 0.0), WINDOWS)
    assert not in_privacy_zone(Position(0.5, 0.6, 0.0), WINDOWS)
    # wrapping pan range, only zoomed in
    assert in_privacy_zone(Position(0.95, 0.0, 0.5), BEHIND)
    assert in_privacy_zone(Position(-0.95, 0.0, 0.5), BEHIND)
    assert not in_privacy_zone(Position(-0.95, 0.0, 0.1), BEHIND)
    assert not in_privacy_zone(Position(0.0, 0.0, 0.5), BEHIND)


def test_check_view_alerts_outside_the_presets_or_into_a_zone():
    ok = check_view(Position(0.1, -0.2, 0.0), [GATE, PARKING], [WINDOWS])
    assert not ok.alert and ok.preset == GATE and ok.message() == ""
    outside = check_view(Position(0.3, 0.3, 0.0), [GATE, PARKING], [WINDOWS])
    assert outside.alert and outside.message() == "승인된 프리셋을 벗어났습니다"
    peeping = check_view(Position(0.5, 0.2, 0.0), [GATE], [WINDOWS])
    assert peeping.message() == "승인된 프리셋을 벗어났습니다 — 사생활 보호 구역을 비춥니다: 아파트 창문"


def test_out_of_range_names_the_axis():
    assert out_of_range(Position(0.0, 0.0, 0.5)) == []
    assert out_of_range(Position(1.2, 0.0, -0.1)) == [
        "팬 1.2은(는) -1.0~1.0 범위여야 합니다",
        "줌 -0.1은(는) 0.0~1.0 범위여야 합니다",
    ]
