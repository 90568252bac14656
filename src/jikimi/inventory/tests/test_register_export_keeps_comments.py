"""Export writes the officer's own file back: their comments and key order, with the register's
current values (issue 16: "Export keeps the comments and order of the file"). The stored file is read
by the safe loader's limits before the round-trip library sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import export_register
from jikimi.inventory.register_file.reading import parse_register

from .conftest import small_text

REGISTERS = Path(__file__).resolve().parents[4] / "registers"
NOTE = "# 2024 추경으로 증설 — 담당: 교통행정과 (지우지 마세요)"


def commented() -> str:
    text = small_text()
    text = text.replace("  slug: siheom\n", "  slug: siheom   # 주소창 이름: 바꾸면 링크가 깨짐\n", 1)
    text = text.replace("  - key: bus-lane\n", f"  {NOTE}\n  - key: bus-lane\n", 1)
    # the officer's own order: head_title before name
    text = text.replace(
        "  name: 시험시\n  slug: siheom   # 주소창 이름: 바꾸면 링크가 깨짐\n  scope_statement: 본청 및 소속기관\n"
        "  head_title: 시험시장\n",
        "  head_title: 시험시장\n  name: 시험시\n  slug: siheom   # 주소창 이름: 바꾸면 링크가 깨짐\n"
        "  scope_statement: 본청 및 소속기관\n",
        1,
    )
    assert NOTE in text and text.index("head_title") < text.index("  name: 시험시")
    return text


def test_export_keeps_the_comments_and_order_with_the_current_values(db):
    institution = import_register(Actor.system("test"), commented(), "siheom.yaml").institution
    # The register changes after the import (as an edit in the browser does): a value and a new entry.
    institution.device_groups.filter(key="bus-lane").update(coverage="150m 이내")
    models.Department.objects.create(institution=institution, key="jeongbo", name="정보통신과", position=9)

    exported = export_register(institution)

    assert NOTE in exported
    assert "slug: siheom   # 주소창 이름: 바꾸면 링크가 깨짐" in exported
    assert exported.index("head_title: 시험시장") < exported.index("name: 시험시")
    assert "coverage: 150m 이내" in exported and "coverage: 100m 이내" not in exported
    assert "name: 정보통신과" in exported
    # keys the officer left out stay out (the plain export writes every key: address, phone, …)
    assert "  address:" not in exported
    # and it is exactly the register
    entry = parse_register(exported, "exported.yaml").entry
    assert entry.device_groups[0].coverage == "150m 이내"
    assert [d.name for d in entry.departments][-1] == "정보통신과"


def test_export_then_import_then_export_of_a_commented_file_is_byte_identical(db):
    institution = import_register(Actor.system("test"), commented(), "siheom.yaml").institution
    first = export_register(institution)
    result = import_register(Actor.system("test"), first, "exported.yaml")
    assert result.unchanged
    assert export_register(result.institution) == first


def test_a_removed_entry_leaves_with_its_comment_and_the_others_keep_theirs(db):
    text = commented().replace(
        "  - key: chongmugwa\n", "  # 총무과: 2025 조직개편으로 폐지 예정\n  - key: chongmugwa\n", 1
    )
    institution = import_register(Actor.system("test"), text, "siheom.yaml").institution
    institution.contractors.filter(key="yeongchang").update(company="㈜새관제")
    exported = export_register(institution)
    assert "company: ㈜새관제" in exported
    assert NOTE in exported and "# 총무과: 2025 조직개편으로 폐지 예정" in exported


def test_the_stored_file_passes_the_safe_loader_before_the_round_trip_library_reads_it(institution):
    # A stored text the import would refuse (an alias bomb: 10¹⁰ strings) is never expanded by
    # ruamel: the safe loader refuses it at its limit and the register is written in the plain layout.
    bomb = ["bomb:", "  l0: &l0 [" + ", ".join(["하하하하"] * 10) + "]"]
    bomb += [f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    models.RegisterSource.objects.filter(institution=institution).update(
        text=small_text() + "\n".join(bomb) + "\n"
    )
    exported = export_register(institution)
    assert exported.startswith("# 시험시 영상정보처리기기 설치·운영 현황 (jikimi export_register)\n")
    assert "bomb" not in exported


SEEDS = [path for path in sorted(REGISTERS.glob("*.yaml")) if path.name != "gunsan.yaml"]  # 군산: no groups


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_an_edit_of_a_seed_register_changes_its_line_of_the_file_only(db, path):
    text = path.read_text(encoding="utf-8")
    institution = import_register(Actor.system("test"), text, path.name).institution
    assert export_register(institution) == text  # unchanged: the file as imported
    group = institution.device_groups.order_by("position").first()
    models.DeviceGroup.objects.filter(pk=group.pk).update(coverage="편집된 촬영 범위")
    exported = export_register(institution)
    changed = [
        (before, after)
        for before, after in zip(text.splitlines(), exported.splitlines(), strict=True)
        if before != after
    ]
    assert [after.strip() for _, after in changed] == ['coverage: "편집된 촬영 범위"']
