"""Each import records what changed, field by field; an identical file changes nothing and says so
(issue 16, "Identity and history")."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.display import details_text
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import export_register

from .conftest import small_text, table_counts

REGISTERS = Path(__file__).resolve().parents[4] / "registers"
FILE = "registers/siheom.yaml"


def imports() -> int:
    return AuditEntry.objects.filter(action=AuditEvent.INVENTORY_IMPORT_REGISTER).count()


def test_reimporting_the_same_file_changes_nothing_and_says_so(institution, tmp_path: Path):
    before = (table_counts(), AuditEntry.objects.count())
    result = import_register(Actor.system("test"), small_text(), FILE)
    assert result.unchanged and result.changes == {} and result.institution.pk == institution.pk
    assert (table_counts(), AuditEntry.objects.count()) == before, "nothing written, nothing recorded"
    register = tmp_path / "siheom.yaml"
    register.write_text("# 주석만 다른 같은 대장\n" + small_text(), encoding="utf-8")
    out = StringIO()
    call_command("import_register", str(register), stdout=out, stderr=StringIO())
    assert (
        "시험시(siheom)의 대장이 파일과 같습니다: 바뀐 내용이 없어 아무것도 저장하지 않았습니다"
        in out.getvalue()
    )
    assert AuditEntry.objects.count() == before[1]


def test_an_exported_register_reimports_as_unchanged(institution):
    result = import_register(Actor.system("test"), export_register(institution), "exported.yaml")
    assert result.unchanged, result.changes


@pytest.mark.parametrize("seed", ["geumcheon", "gunsan", "gwangyang", "incheon", "osan"])
def test_each_seed_register_reimports_as_unchanged(db, seed):
    text = (REGISTERS / f"{seed}.yaml").read_text(encoding="utf-8")
    import_register(Actor.system("test"), text, f"{seed}.yaml")
    again = import_register(Actor.system("test"), text, f"{seed}.yaml")
    assert again.unchanged, again.changes


def test_an_import_records_each_changed_field_before_and_after(institution):
    text = (
        small_text()
        .replace("    purpose: 범죄예방 및 시설안전\n", "    purpose: 범죄예방·시설안전\n")
        .replace("  head_title: 시험시장\n", "  head_title: 시험시 시장\n")
        .replace("    name: 총무과\n", "    name: 총무과\n    phone: 063-454-2000\n", 1)
    )
    result = import_register(Actor.system("test"), text, FILE)
    assert not result.unchanged
    assert result.changes == {
        "기관 기관장 직함": ["시험시장", "시험시 시장"],
        "부서 chongmugwa 전화번호": ["", "063-454-2000"],
        "기기 묶음 city-hall 설치 목적": ["범죄예방 및 시설안전", "범죄예방·시설안전"],
    }
    entry = AuditEntry.objects.filter(action=AuditEvent.INVENTORY_IMPORT_REGISTER).latest("sequence")
    assert entry.details["changes"] == result.changes
    text_shown = details_text(entry.action, entry.details, entry.target_type)
    assert "기기 묶음 city-hall 설치 목적 범죄예방 및 시설안전 → 범죄예방·시설안전" in text_shown


def test_an_added_and_a_removed_entry_change_its_list(institution):
    text = small_text().replace("departments:\n", "departments:\n  - key: gamsagwa\n    name: 감사과\n", 1)
    result = import_register(Actor.system("test"), text, FILE)
    assert result.changes["부서 목록"] == [
        ["gyotonghaengjeonggwa", "chongmugwa", "tonghapgwanjesenteo"],
        ["gamsagwa", "gyotonghaengjeonggwa", "chongmugwa", "tonghapgwanjesenteo"],
    ]
    assert result.changes["부서 gamsagwa 부서명"] == [None, "감사과"]
    back = import_register(Actor.system("test"), small_text(), FILE)
    assert back.changes["부서 gamsagwa 부서명"] == ["감사과", None]


def test_the_register_page_shows_what_an_import_changed(client, alice, institution):
    text = small_text().replace("    purpose: 범죄예방 및 시설안전\n", "    purpose: 범죄예방·시설안전\n")
    import_register(Actor.system("test"), text, FILE)
    log_in(client, alice)
    page = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "설치·운영 현황 대장 가져오기" in page
    assert "기기 묶음 city-hall 설치 목적: 범죄예방 및 시설안전 → 범죄예방·시설안전" in page
