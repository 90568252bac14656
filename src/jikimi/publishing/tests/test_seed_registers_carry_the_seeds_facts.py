"""Issue 16: the 금천구 (seed 004) and 군산시 (seed 000) registers carry what their seeds publish. The
facts checked are named here, read from the seeds' CCTV parts (금천구 제11조~, 군산시 제1조~제9조):
every telephone number, department and retention period of 금천구's tables, and 군산시's contractor,
dates, revisions and content contact — each must survive the import into the register (checked in the
register as exported from the database, not in the file's text)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from jikimi.inventory.models import Institution
from jikimi.inventory.register_file import export_register

REGISTERS = Path(__file__).resolve().parents[4] / "registers"

# 금천구 제11조 ②·③ and 제12조: the numbers as printed (no area code), the departments, the periods.
GEUMCHEON_PHONES = (
    "2104-2503", "2104-2525", "2104-5200", "2104-5204", "2104-5213", "2104-5270", "2104-5273", "2104-5300",
    "2104-5306", "2104-5330", "2104-5334", "2104-5360", "2104-5363", "2104-5432", "2104-5460", "2104-5462",
    "2104-5500", "2104-5502", "2627-1000", "2627-1003", "2627-1130", "2627-1133", "2627-1380", "2627-1392",
    "2627-1470", "2627-1486", "2627-1494", "2627-1570", "2627-1572", "2627-1620", "2627-1622", "2627-1901",
    "2627-1902", "2627-1903", "2627-1904", "2627-1905", "2627-2266", "2627-2268", "2627-2415", "2627-2503",
    "2627-2517", "2627-2930", "2627-2965",
)  # fmt: skip
GEUMCHEON_DEPARTMENTS = (
    "감사담당관", "건설행정과", "건축과", "도시안전과", "민원여권과", "사회복지과", "청소행정과", "치수과", "행정지원과",
)  # fmt: skip
GEUMCHEON_RETENTIONS = ("10일", "14일", "30일", "45일", "50일", "60일")


def _imported(slug: str) -> Institution:
    call_command("import_register", str(REGISTERS / f"{slug}.yaml"), verbosity=0)
    return Institution.objects.get(slug=slug)


@pytest.mark.slow
@pytest.mark.django_db
def test_geumcheon_carries_every_phone_department_and_retention_of_its_seed():
    institution = _imported("geumcheon")
    text = export_register(institution)
    assert [p for p in GEUMCHEON_PHONES if p not in text] == []
    names = set(institution.departments.values_list("name", flat=True))
    assert set(GEUMCHEON_DEPARTMENTS) <= names
    stated = " ".join(
        [g.retention for g in institution.device_groups.all()]
        + [loc.retention for g in institution.device_groups.all() for loc in g.locations.all()]
    )
    assert [r for r in GEUMCHEON_RETENTIONS if r not in stated] == []


@pytest.mark.django_db
def test_gunsan_carries_its_contractor_dates_revisions_and_contact():
    institution = _imported("gunsan")
    contractor = institution.contractors.get()
    # 제5조: 교통행정과 | 통합관제센터 관제(모니터링) | ㈜영창티엠에스 | 2024.01.01~2024.12.31
    assert (contractor.company, contractor.task, contractor.supervising_department.name) == (
        "㈜영창티엠에스",
        "통합관제센터 관제(모니터링)",
        "교통행정과",
    )
    assert (contractor.period_start, contractor.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    document = institution.policy_document
    # 제9조: 공고 2024년 8월 23일, 시행 2024년 9월 1일, 최소 7일 전, the three rows of its 변경현황.
    assert (document.announced_on, document.effective_on) == (date(2024, 8, 23), date(2024, 9, 1))
    assert document.change_notice_days == 7
    assert [
        (r.label, r.valid_from, r.valid_until) for r in institution.policy_revisions.order_by("valid_from")
    ] == [
        ("최초 제정", date(2013, 6, 20), date(2022, 2, 21)),
        ("1차 개정", date(2022, 2, 22), date(2024, 8, 31)),
        ("2차 개정", date(2024, 9, 1), None),
    ]
    # The page's 콘텐츠 관리부서 and 담당전화; the 대표전화 (당직실).
    assert (document.content_department, document.content_phone) == ("정보통신과 정보보호계", "063-454-3902")
    assert institution.phone == "063-454-4000"
    # 제3조's table has headers and no rows: no device group is made up.
    assert not institution.device_groups.exists()
