"""The five seed institutions' registers (registers/*.yaml), imported with the real importer, render
to HTML and PDF with every R4 item, no missing glyph, and the seeds' own facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.inventory.models import Institution
from jikimi.publishing.content import document_text
from jikimi.publishing.coverage import POLICY_ITEMS
from jikimi.publishing.pdf import uncovered_characters
from jikimi.publishing.rendering import live_content, policy_pdf
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
    if not path.exists():
        pytest.skip(f"{path} is not written yet")
    call_command("import_register", str(path), verbosity=0)
    return Institution.objects.get(slug=slug)


@pytest.mark.slow
@pytest.mark.parametrize("slug", sorted(FACTS))
def test_each_seed_policy_renders_with_its_facts(client, db, slug):
    institution = import_register(slug)
    content = live_content(institution)
    covered = {number for section in content["sections"] for number in section["r4"]}
    assert covered == {item.number for item in POLICY_ITEMS}  # R4
    assert uncovered_characters(document_text(content)) == set()  # no tofu
    text = document_text(content)
    for fact in FACTS[slug]:
        for part in fact.split(" | "):
            assert part in text, part

    html = client.get(reverse("publishing:policy", args=[slug])).content.decode()
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
