"""R16 (영 제25조①4호, 표준지침): keeping footage beyond 30 days needs a reason. Where the published text
states such a retention but no reason (인천광역시 3개월·준영구, 금천구 45일·60일·90일), the register says the
reason is not published (`retention_reason: null`) — issue 16: "not published" is a value, never a
sentence of ours in the institution's register. The import accepts it with a warning naming the group
and what is missing; the register pages show it as to be resolved; the officer records the reason the
institution adopted on the group's edit page; the file round-trips it.
"""

from __future__ import annotations

from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.checks import reasons_not_published_of
from jikimi.inventory.register_file import RegisterFileError
from jikimi.inventory.tests.conftest import small_text
from jikimi.inventory.tests.not_published import (
    REGISTERS,
    assert_editing_another_field_keeps_it_not_published,
    assert_null_round_trips_byte_for_byte,
    assert_recording_it_resolves_it,
)
from jikimi.inventory.tests.test_group_pages import edit_data

PUBLISHED_REASON = "    retention_reason: 단속 증거 보존 (도로교통법)\n"


def small_without_a_published_reason() -> str:
    text = small_text()
    assert PUBLISHED_REASON in text
    return text.replace(PUBLISHED_REASON, "    retention_reason: null\n")


@pytest.fixture
def unpublished(institution) -> models.DeviceGroup:
    import_register(Actor.system("test"), small_without_a_published_reason(), "small.yaml")
    return institution.device_groups.get(key="bus-lane")


def test_R16_import_accepts_a_reason_not_published_with_a_warning_on_its_line(db):
    text = small_without_a_published_reason()
    result = import_register(Actor.system("test"), text, "small.yaml")
    line = text.splitlines().index("    retention_reason: null") + 1
    [warning] = [w for w in result.warnings if w.rule == "R16"]
    shown = str(warning)
    assert shown.startswith(f"small.yaml:{line}: device_groups[0].retention_reason (30일 초과 보관 사유): ")
    assert "'버스전용차로 단속 CCTV'의 보관기간 '준영구'" in shown and "사유 미공개" in shown
    assert shown.endswith("[R16]")
    assert result.institution.device_groups.get(key="bus-lane").retention_reason is None


def test_R16_an_empty_or_omitted_reason_is_still_refused(db):
    # Only an explicit null says "not published"; a reason left out is a mistake (R16 error, as before).
    for replacement in ("", '    retention_reason: ""\n'):
        with pytest.raises(RegisterFileError) as refused:
            import_register(
                Actor.system("test"), small_text().replace(PUBLISHED_REASON, replacement), "s.yaml"
            )
        assert "device_groups[0].retention_reason" in str(refused.value) and "[R16]" in str(refused.value)


@pytest.mark.parametrize(
    ("file", "groups"),
    [
        ("incheon.yaml", {"교통정보 수집용 CCTV", "버스전용차로 단속 CCTV"}),
        ("geumcheon.yaml", None),  # 8 groups of 45일·60일·90일·1년 …: counted below
    ],
)
def test_R16_the_seed_registers_state_the_reason_as_not_published(db, file, groups):
    text = (REGISTERS / file).read_text(encoding="utf-8")
    assert "기관 확인 필요" not in text  # no sentence of ours in the institution's register
    err = StringIO()
    call_command("import_register", str(REGISTERS / file), stdout=StringIO(), stderr=err)
    warnings = [line for line in err.getvalue().splitlines() if "사유 미공개" in line]
    institution = models.Institution.objects.get(slug=file.removesuffix(".yaml"))
    found = reasons_not_published_of(institution)
    assert len(warnings) == len(found) == text.count("retention_reason: null")
    for line in warnings:
        assert (
            line.startswith(f"경고: {REGISTERS / file}:")
            and ".retention_reason (30일 초과 보관 사유)" in line
        )
    if groups is not None:
        assert {group.name for group, _ in found} == groups
    assert all(group.retention_reason is None for group, _ in found)


@pytest.mark.parametrize("file", ["incheon.yaml", "geumcheon.yaml"])
def test_R16_a_reason_not_published_round_trips_as_null_byte_for_byte(db, file):
    assert_null_round_trips_byte_for_byte(file, "retention_reason", reasons_not_published_of)


def test_R16_the_register_page_lists_it_as_to_be_resolved(client, alice, unpublished):
    log_in(client, alice)
    page = unescape(
        client.get(reverse("inventory:register_home", args=[unpublished.institution_id])).content.decode()
    )
    assert 'id="reasons-not-published"' in page and "보관 사유 미공개 1건" in page
    assert "'버스전용차로 단속 CCTV'의 보관기간 '준영구'" in page
    assert reverse("inventory:group_edit", args=[unpublished.pk]) in page
    detail = client.get(reverse("inventory:group_detail", args=[unpublished.pk])).content.decode()
    assert (
        "사유: 공개 문서에 없음 (미공개)" in detail and "사유 미공개" in detail
    )  # the row and the R16 warning


def test_R16_editing_another_field_keeps_it_not_published(client, alice, unpublished):
    assert_editing_another_field_keeps_it_not_published(client, alice, unpublished, "retention_reason")


def test_R16_the_officer_records_the_reason_the_institution_adopted_and_it_is_resolved(
    client, alice, unpublished
):
    assert_recording_it_resolves_it(
        client,
        alice,
        unpublished,
        field="retention_reason",
        value="도로교통법에 따른 단속 증거 보존",
        reason="보관 사유 기록",
        prompt="공개 문서에 사유가 없습니다 (사유 미공개)",
        not_published_of=reasons_not_published_of,
        register_section="reasons-not-published",
    )


def test_R16_clearing_a_recorded_reason_is_refused_not_turned_back_into_not_published(
    client, alice, bus_lane
):
    log_in(client, alice)
    response = client.post(
        reverse("inventory:group_edit", args=[bus_lane.pk]),
        edit_data(bus_lane, retention_reason="", reason="삭제"),
    )
    assert response.status_code == 200
    assert "R16" in response.context["form"].errors["retention_reason"][0]
    bus_lane.refresh_from_db()
    assert bus_lane.retention_reason == "단속 증거 보존 (도로교통법)"
