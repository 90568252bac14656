"""[별지 제1호서식] 설치현황(총괄) is filled from the register: the 분류 of 별표 1 (stated, or read from the
설치 목적), the 책임관 and the 담당자; "공개 문서에 미수록" only where the register lacks the fact."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from jikimi.inventory.models import Institution
from jikimi.publishing.content import MISSING
from jikimi.publishing.installation_form import form_rows, installation_pdf
from jikimi.publishing.queries import groups_of
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze

REGISTERS = Path(__file__).resolve().parents[4] / "registers"


def rows_of(slug: str) -> list[tuple[str, list[str | int]]]:
    call_command("import_register", str(REGISTERS / f"{slug}.yaml"), verbosity=0)
    groups = groups_of(Institution.objects.get(slug=slug))
    return [(group.name, row) for group, row in zip(groups, form_rows(groups), strict=True)]


@pytest.mark.slow
def test_osan_rows_are_its_forms_rows(db):
    rows = [row for _name, row in rows_of("osan")]
    assert rows[0][1:] == [
        "회계과",
        "과장",
        "박○○",
        "7급",
        "김○○",
        "8036-7373",
        "abc@korea.kr",
        50,
        "시설관리",
        "출입통제",
    ]
    assert rows[1][-2:] == ["환경개선", "쓰레기투기 감시"]
    text = squeeze(pdf_text(installation_pdf(Institution.objects.get(slug="osan"))))
    assert "박○○" in text and "출입통제" in text and MISSING not in text


@pytest.mark.slow
def test_incheon_groups_are_classified_from_their_purposes(db):
    rows = rows_of("incheon")
    classified = {tuple(row[-2:]) for _name, row in rows}
    assert ("사회안정, 시설관리", "방범용(범죄예방), 시설물관리") in classified  # 방범 및 시설물관리
    assert ("교통안전", "교통정보수집") in classified
    assert ("특수지역", "재난·화재감시용(산불·홍수 등)") in classified
    # 버스전용차로 단속 is no row of 별표 1: not guessed.
    assert dict(rows)["버스전용차로 단속 CCTV"][-2:] == [MISSING, MISSING]
    # The register names 책임관 by position only, and no 담당자: those stay missing, the position is shown.
    first = rows[0][1]
    assert first[2] == "정보화담당관" and first[3] == MISSING
