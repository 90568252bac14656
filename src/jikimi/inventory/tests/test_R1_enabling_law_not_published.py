"""R1 (법 제25조①1호): a device installed because a law specifically permits it rests on that law, and
the register names it. Where the published text cites 1호 but names no law (광양시's 2,417 fixed
devices: 1–6호, the devices' own purposes in an unpublished 별첨), the register says the law is not
published (`enabling_law: null`) — issue 16: "not published" is a value, never a sentence of ours in the
institution's register. The import accepts it with a warning on its line; the register pages show it as
to be resolved; the officer records the law on the group's edit page (audited); the file round-trips it.
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
from jikimi.inventory.checks import laws_not_published_of
from jikimi.inventory.register_file import RegisterFileError
from jikimi.inventory.tests.conftest import small_text
from jikimi.inventory.tests.not_published import (
    REGISTERS,
    assert_editing_another_field_keeps_it_not_published,
    assert_null_round_trips_byte_for_byte,
    assert_recording_it_resolves_it,
)
from jikimi.inventory.tests.test_group_pages import edit_data

BUS_LANE_BASES = "    legal_bases: [traffic_enforcement]\n    purpose: 버스전용차로 단속\n"


def small_citing_1ho(law: str) -> str:
    """The small register with its bus-lane group resting on 1호 too, its law written as `law`."""
    text = small_text()
    assert BUS_LANE_BASES in text
    return text.replace(
        BUS_LANE_BASES,
        f"    legal_bases: [law_permits, traffic_enforcement]\n    purpose: 버스전용차로 단속\n{law}",
    )


@pytest.fixture
def unpublished(institution) -> models.DeviceGroup:
    import_register(Actor.system("test"), small_citing_1ho("    enabling_law: null\n"), "small.yaml")
    return institution.device_groups.get(key="bus-lane")


def test_R1_import_accepts_an_enabling_law_not_published_with_a_warning_on_its_line(db):
    text = small_citing_1ho("    enabling_law: null\n")
    result = import_register(Actor.system("test"), text, "small.yaml")
    line = text.splitlines().index("    enabling_law: null") + 1
    [warning] = [w for w in result.warnings if w.rule == "R1" and "enabling_law" in str(w)]
    shown = str(warning)
    assert shown.startswith(f"small.yaml:{line}: device_groups[0].enabling_law (근거 법령): ")
    assert "'버스전용차로 단속 CCTV'은(는) '법령에서 구체적으로 허용'(1호)" in shown
    assert "근거 법령 미공개" in shown and shown.endswith("[R1]")
    assert result.institution.device_groups.get(key="bus-lane").enabling_law is None


def test_R1_an_empty_or_omitted_enabling_law_under_1ho_is_still_refused(db):
    # Only an explicit null says "not published"; a law left out is a mistake (R1 error, as before).
    for law in ("", '    enabling_law: ""\n'):
        with pytest.raises(RegisterFileError) as refused:
            import_register(Actor.system("test"), small_citing_1ho(law), "s.yaml")
        assert "device_groups[0].enabling_law" in str(refused.value) and "[R1]" in str(refused.value)


def test_R1_gwangyang_states_its_enabling_law_as_not_published(db):
    text = (REGISTERS / "gwangyang.yaml").read_text(encoding="utf-8")
    assert text.count("enabling_law: null") == 1 and "미기재" not in text
    err = StringIO()
    call_command("import_register", str(REGISTERS / "gwangyang.yaml"), stdout=StringIO(), stderr=err)
    [warning] = [line for line in err.getvalue().splitlines() if "근거 법령 미공개" in line]
    line = text.splitlines().index("    enabling_law: null") + 1
    assert warning.startswith(f"경고: {REGISTERS / 'gwangyang.yaml'}:{line}: device_groups[0].enabling_law")
    institution = models.Institution.objects.get(slug="gwangyang")
    [(group, _)] = laws_not_published_of(institution)
    assert group.name == "고정형 영상정보처리기기" and group.enabling_law is None


def test_R1_an_enabling_law_not_published_round_trips_as_null_byte_for_byte(db):
    assert_null_round_trips_byte_for_byte("gwangyang.yaml", "enabling_law", laws_not_published_of)


def test_R1_the_register_page_lists_it_as_to_be_resolved(client, alice, unpublished):
    log_in(client, alice)
    page = unescape(
        client.get(reverse("inventory:register_home", args=[unpublished.institution_id])).content.decode()
    )
    assert 'id="laws-not-published"' in page and "근거 법령 미공개 1건" in page
    assert "'버스전용차로 단속 CCTV'은(는) '법령에서 구체적으로 허용'(1호)" in page
    assert reverse("inventory:group_edit", args=[unpublished.pk]) in page
    assert 'id="reasons-not-published"' not in page
    detail = client.get(reverse("inventory:group_detail", args=[unpublished.pk])).content.decode()
    assert 'id="enabling-law-not-published"' in detail and "근거 법령 미공개" in detail  # row and warning


def test_R1_editing_another_field_keeps_it_not_published(client, alice, unpublished):
    assert_editing_another_field_keeps_it_not_published(client, alice, unpublished, "enabling_law")


def test_R1_the_officer_records_the_law_the_institution_relies_on_and_it_is_resolved(
    client, alice, unpublished
):
    assert_recording_it_resolves_it(
        client,
        alice,
        unpublished,
        field="enabling_law",
        value="도로교통법 제15조",
        reason="근거 법령 기록",
        prompt="공개 문서에 법령이 없습니다 (근거 법령 미공개)",
        not_published_of=laws_not_published_of,
        register_section="laws-not-published",
    )


def test_R1_clearing_a_recorded_law_under_1ho_is_refused_not_turned_back_into_not_published(
    client, alice, institution
):
    import_register(Actor.system("test"), small_citing_1ho("    enabling_law: 도로교통법\n"), "small.yaml")
    group = institution.device_groups.get(key="bus-lane")
    log_in(client, alice)
    response = client.post(
        reverse("inventory:group_edit", args=[group.pk]), edit_data(group, enabling_law="", reason="삭제")
    )
    assert response.status_code == 200
    assert "R1" in str(response.context["form"].errors)
    group.refresh_from_db()
    assert group.enabling_law == "도로교통법"
