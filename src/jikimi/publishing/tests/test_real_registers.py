"""The five seed institutions' registers (registers/*.yaml), imported with the real importer, render
to HTML and PDF with every R4 item, no missing glyph, and the seeds' own facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.inventory.models import Institution
from jikimi.lib.pdf import uncovered_characters
from jikimi.publishing.content import document_text, section_lines
from jikimi.publishing.coverage import POLICY_ITEMS
from jikimi.publishing.rendering import live_content, policy_pdf
from jikimi.publishing.tests.conftest import as_staff
from jikimi.publishing.tests.pdf_reading import pdf_fonts, pdf_text, squeeze
from jikimi.rules.purposes import OSAN_CLASSIFICATION

REGISTERS = Path(__file__).resolve().parents[4] / "registers"

INCHEON_BUS_LANE = [
    "율목동 유동3거리",
    "간석 레미안자이앞",
    "제물포역 철교",
    "심곡사거리 후방",
    "공촌사거리 전방",
    "청천동 대우자동차 앞",
    "신흥동 대한지적공사앞",
    "산곡동 현대아파트앞",
    "간석동 상인천중학교 옆",
    "인천메트로 부근",
    "석천초등학교",
    "부평군부대앞",
    "만수동 만수주공단지 앞",
    "구월중학교직진",
    "인천교 가구단지 앞",
    "인천대삼거리 직전",
    "간석금호어울림 앞",
    "주안초등학교앞",
    "구월동 볼링장맞은편",
    "효성동 풍산아파트앞(서울방향)",
    "효성동 풍산아파트앞(인천방향)",
    "작전동이마트직진(서울방향)",
    "작전동이마트직진(인천방향)",
]
GEUMCHEON_COMMUNITY_CENTRES = [
    "시흥1동 주민센터",
    "시흥2동 주민센터",
    "시흥3동 주민센터",
    "시흥4동 주민센터",
    "시흥5동 주민센터",
    "독산1동 주민센터",
    "독산1동 분소",
    "독산2동 주민센터",
    "독산3동 주민센터",
    "독산4동 주민센터",
    "가산동 주민센터",
]
# 별표1 as the 지침 prints it, and the classified rows of 별지 제1호서식.
OSAN_ROWS = [f"{primary} — {', '.join(secondaries)}" for primary, secondaries in OSAN_CLASSIFICATION.items()]

FACTS = {
    "gwangyang": ["고정형", "2,417대", "이동형", "19대"],
    "incheon": ["버스전용차로 단속 CCTV", "23대", "준영구", *INCHEON_BUS_LANE],
    "geumcheon": ["434개소", "개인정보의 처리목적", "개인정보 보호책임자", *GEUMCHEON_COMMUNITY_CENTRES],
    "gunsan": [
        "통합관제센터 관제(모니터링)",
        "㈜영창티엠에스",
        "2024.01.01~2024.12.31",
        "교통행정과",
        "요청 및 제공절차",
    ],
    "osan": [
        "[별표 1] 설치목적에 따른 분류 기준표",
        *OSAN_ROWS,
        "회계과 | 시설관리 | 출입통제",
        "환경과 | 환경개선 | 쓰레기투기 감시",
    ],
}


def import_register(slug: str) -> Institution:
    path = REGISTERS / f"{slug}.yaml"
    call_command("import_register", str(path), verbosity=0)
    return Institution.objects.get(slug=slug)


@pytest.mark.slow
@pytest.mark.parametrize("slug", sorted(FACTS))
def test_each_seed_policy_renders_with_its_facts(client, db, slug):
    institution = import_register(slug)
    content = live_content(institution)
    covered = {number for section in content["sections"] for number in section["r4"]}
    if content["kind"] == "guideline":
        # 오산시 지침: R4 binds a 운영·관리방침, not a 지침; it is published as written.
        assert not any(section["appended"] for section in content["sections"])
    else:
        assert covered == {item.number for item in POLICY_ITEMS}  # R4
    assert uncovered_characters(document_text(content)) == set()  # no tofu
    text = document_text(content)
    for fact in FACTS[slug]:
        for part in fact.split(" | "):
            assert part in text, part

    # Never published: the public gets a 404 (R5), staff who may publish read the draft.
    assert client.get(reverse("publishing:policy", args=[slug])).status_code == 404
    html = as_staff(client, institution).get(reverse("publishing:policy", args=[slug])).content.decode()
    for fact in FACTS[slug]:
        for part in fact.split(" | "):
            assert part in html, part

    pdf = policy_pdf(institution)
    fonts = pdf_fonts(pdf)
    # Embedded, and only the Korean font of the @font-face: no fallback font stood in for a missing glyph.
    assert fonts and all(font["emb"] == "yes" for font in fonts)
    assert all(font["name"].split("+")[-1].startswith("JikimiKorean") for font in fonts)
    pdf_words = squeeze(pdf_text(pdf))
    for fact in FACTS[slug]:
        for part in fact.split(" | "):
            assert squeeze(part) in pdf_words, part


@pytest.mark.slow
def test_incheon_is_rendered_with_its_own_structure_and_form(db):
    content = live_content(import_register("incheon"))
    headings = [section["heading"] for section in content["sections"]]
    # 4. carries 확인 방법 및 장소 (청구서를 작성하여 담당부서에 제출): nothing appended, no "9. 확인 방법".
    assert not any(section["appended"] for section in content["sections"])
    assert headings[-1] == "[별지] 개인영상정보 열람·존재확인 청구서"
    form = "\n".join(section_lines(content["sections"][-1]))
    assert "개인영상정보(□ 존재확인 □ 열람) 청구서" in form
    assert "삭제" not in form
    assert "(예 : 2014.01.01 18:30 ~ 2014.01.01 19:00)" in form
    assert "(예 : 00시 00구 00대로 0 인근 CCTV)" in form
    assert (
        "「인천광역시 영상정보처리기기 운영관리 방침」에 따라 위와 같이 개인영상정보의 존재확인, 열람을 청구합니다."
        in form
    )
    assert "인천광역시장 귀하" in form
    assert "담당자의 청구인에 대한 확인 서명" in form


@pytest.mark.slow
def test_geumcheon_states_its_processing_method_once(db):
    content = live_content(import_register("geumcheon"))
    section = next(s for s in content["sections"] if s["key"] == "operation_table")
    method = "처리방법: 개인영상정보의 목적외 이용, 제3자제공, 파기, 열람 등 요구에 관한 사항을 기록·관리하고, 보관기간 만료시 삭제(출력물의 경우 파쇄 또는 소각)합니다."
    assert section_lines(section).count(method) == 1


@pytest.mark.slow
def test_osan_guideline_is_published_as_written(db):
    content = live_content(import_register("osan"))
    assert not any(section["appended"] for section in content["sections"])
    assert "최소 7일 전" not in document_text(content)


@pytest.mark.slow
def test_gunsan_claims_no_contract_item_it_never_stated(db):
    text = document_text(live_content(import_register("gunsan")))
    assert "㈜영창티엠에스" in text
    assert "재위탁 제한" not in text
    assert "손해배상" not in text
