"""Each seed register (registers/*.yaml) carries what its seed publishes, place by place, and says
explicitly what the seed leaves out — no fact folded into another, none guessed.

금천구 (seed 004, 제11조③) keeps 청사 내외 45일 / 승강기 14일 and 클린하우스 30일 / 스마트경고판 14일 and
does not say how many of the 107 and 65 devices are at each place; 군산시 (seed 000) publishes its
운영·관리 현황 table with headers and no rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.inventory.models import DeviceGroup, Institution, Location
from jikimi.publishing.content import MISSING, cell_text, section_lines
from jikimi.publishing.rendering import live_content
from jikimi.publishing.tests.conftest import as_staff

REGISTERS = Path(__file__).resolve().parents[4] / "registers"


def import_register(slug: str) -> Institution:
    call_command("import_register", str(REGISTERS / f"{slug}.yaml"), verbosity=0)
    return Institution.objects.get(slug=slug)


def operation_row(content: dict[str, Any], group_name: str) -> dict[str, str]:
    """The 운영·관리 현황 row of one device group, by column title."""
    section = next(s for s in content["sections"] if s["key"] == "operation_table")
    table = next(block for block in section["blocks"] if block["type"] == "table")
    row = next(row for row in table["rows"] if group_name in cell_text(row[1]))
    return {column: cell_text(cell) for column, cell in zip(table["columns"], row, strict=True)}


def places(group: DeviceGroup) -> dict[str, tuple[int | None, str, str, str]]:
    return {
        location.name: (location.count, location.retention, location.recording_hours, location.storage_place)
        for location in group.locations.all()
    }


@pytest.mark.slow
def test_R16_geumcheon_elevator_footage_is_kept_14_days(client, db):
    institution = import_register("geumcheon")
    hall = institution.device_groups.get(key="city-hall")
    # 표 ③ '구청사내외 | 금천구청 지하1층 관제센터 | 24시간 | 청사 내외 45일 / 승강기 14일'; the 107대 are
    # not split between the two places (count None: not published).
    assert hall.count == 107 and hall.recording_hours == "24시간"
    assert hall.storage_place == "금천구청 지하1층 관제센터"
    assert places(hall) == {"청사 내외": (None, "45일", "", ""), "승강기": (None, "14일", "", "")}
    assert not hall.locations_complete

    row = operation_row(live_content(institution), "구청사 내외·승강기 CCTV")
    assert row["보관 기간"] == "청사 내외: 45일\n승강기: 14일"
    assert row["촬영 시간"] == "24시간"
    assert "승강기(대수 미공개)" in row["설치(운영) 위치 및 촬영 범위"]
    page = (
        as_staff(client, institution).get(reverse("publishing:policy", args=["geumcheon"])).content.decode()
    )
    assert "승강기: 14일" in page


@pytest.mark.slow
def test_R16_geumcheon_smart_warning_board_footage_is_kept_14_days(db):
    institution = import_register("geumcheon")
    clean = institution.device_groups.get(key="clean-houses")
    # 표 ③ '클린하우스 | 24시간 | 30일', '스마트경고판 | 24시간 | 14일': each place its own storage and
    # retention; the 65대 are not split between them.
    assert clean.count == 65 and clean.recording_hours == "24시간"
    assert places(clean) == {
        "클린하우스": (None, "30일", "", "클린하우스"),
        "스마트 경고판": (None, "14일", "", "스마트경고판"),
    }

    row = operation_row(live_content(institution), "클린하우스·스마트 경고판 CCTV")
    assert row["보관 기간"] == "클린하우스: 30일\n스마트 경고판: 14일"
    assert row["보관 장소"] == "클린하우스: 클린하우스\n스마트 경고판: 스마트경고판"
    assert row["촬영 시간"] == "24시간"


@pytest.mark.slow
def test_geumcheon_register_keeps_every_retention_of_its_seeds_table_3(db):
    institution = import_register("geumcheon")
    kept = {group.key: group.retention for group in institution.device_groups.all()}
    kept |= {
        f"{group.key}/{location.name}": location.retention
        for group in institution.device_groups.all()
        for location in group.locations.all()
    }
    # 제11조③, row by row.
    assert kept == {
        "crime-prevention": "30일",
        "facility-management": "30일",
        "traffic-enforcement": "30일",
        "city-hall": "45일",
        "city-hall/청사 내외": "45일",
        "city-hall/승강기": "14일",
        "pump-stations": "10일 ~ 60일",
        "siheung-valley-reservoir": "50일",
        "gasan-station": "30일",
        "open-civil-room": "30일",
        "construction-admin-office": "15일",
        "building-counsel-room": "30일",
        "integrated-civil-room": "45일",
        "clean-houses": "30일",
        "clean-houses/클린하우스": "30일",
        "clean-houses/스마트 경고판": "14일",
        "siheung1-centre": "25일",
        "welfare-town": "60일",
        "siheung3-centre": "45일",
        "siheung4-centre": "19일",
        "siheung5-centre": "35일",
        "doksan1-centre": "45일",
        "doksan1-branch": "25일",
        "doksan2-centre": "24일",
        "doksan3-centre": "30일",
        "doksan4-centre": "30일",
        "gasan-centre": "21일",
    }


@pytest.mark.slow
def test_gunsan_register_invents_no_cameras_its_seed_does_not_list(db):
    # Seed 000 제3조: the 운영·관리 현황 table has its headers and no rows (the 현황 is a linked document the
    # seed does not include); 제1조·제2조 list the law's purposes, not cameras. Nothing is made up: the
    # policy says the facts are not published.
    institution = import_register("gunsan")
    assert not institution.device_groups.exists()
    assert "내용 행이 하나도 없다" in institution.notes
    content = live_content(institution)
    table_section = next(s for s in content["sections"] if s["key"] == "operation_table")
    lines = section_lines(table_section)
    assert (
        "※ 공개된 방침의 '영상정보처리기기의 운영·관리 현황' 표에는 머리글만 있고 내용 행이 실려 있지 않습니다."
        in lines
    )
    assert f"대장에 등록된 영상정보처리기기가 없습니다 — {MISSING}" in lines
    labelling = "\n".join(section_lines(next(s for s in content["sections"] if s["key"] == "labelling")))
    assert f"설치 대수: {MISSING}" in labelling and f"보관 기간: {MISSING}" in labelling


def test_R16_a_location_retention_is_printed_beside_the_groups_for_the_other_devices(gunsan):
    hall = gunsan.device_groups.get(key="city-hall")
    Location.objects.create(device_group=hall, name="승강기", count=None, retention="7일")
    content = live_content(gunsan)
    row = operation_row(content, "청사 시설관리용 CCTV")
    # The group's 14일 still holds for the 본관 devices outside the 승강기: both are printed.
    assert row["보관 기간"] == "14일\n승강기: 7일"
    assert "승강기(대수 미공개)" in row["설치(운영) 위치 및 촬영 범위"]
    labelling = "\n".join(section_lines(next(s for s in content["sections"] if s["key"] == "labelling")))
    assert "7일" in labelling and "14일" in labelling
