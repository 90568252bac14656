"""The policy PDF embeds its Korean font and has no missing glyphs."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from jikimi.audit.context import Actor
from jikimi.lib.pdf import uncovered_characters
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.content import document_text
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context
from jikimi.publishing.tests.pdf_reading import pdf_fonts, pdf_text, squeeze


def test_the_pdf_embeds_the_korean_font(staff_client):
    client = staff_client
    response = client.get(reverse("publishing:policy_pdf", args=["gunsan"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    fonts = pdf_fonts(response.content)
    assert fonts and all(font["emb"] == "yes" for font in fonts)
    # Only the @font-face file (NanumGothic) is used: no system fallback font crept in.
    assert all(font["name"].split("+")[-1].startswith("JikimiKorean") for font in fonts)


def test_the_korean_text_comes_back_out_of_the_pdf(staff_client):
    client = staff_client
    text = squeeze(pdf_text(client.get(reverse("publishing:policy_pdf", args=["gunsan"])).content))
    for fact in (
        "군산시",
        "영상정보처리기기운영·관리방침",
        "㈜영창티엠에스",
        "2024.01.01~2024.12.31",
        "미리보기",
    ):
        assert squeeze(fact) in text, fact


def test_every_character_of_the_policy_is_in_the_embedded_font():
    # No tofu: what the font's cmap lacks would print as an empty box.
    assert uncovered_characters("운영‧관리 ․ ☐ ① ㈜ 「」 ~ ·") == set()


def test_every_character_of_a_generated_policy_is_in_the_font(gunsan):
    content = build_document(load_policy_context(gunsan))
    assert uncovered_characters(document_text(content)) == set()


def test_a_version_pdf_is_the_frozen_version(client, gunsan, privacy_officer):
    publish_policy(
        Actor.for_user(privacy_officer, "127.0.0.1"), gunsan, date(2024, 8, 23), date(2024, 9, 1), "개정"
    )
    response = client.get(reverse("publishing:version_pdf", args=["gunsan", 1]))
    text = squeeze(pdf_text(response.content))
    assert "제1판" in text and "미리보기" not in text


def test_the_comparison_pdf_shows_both_sides(client, gunsan, privacy_officer):
    from jikimi.inventory.models import DeviceGroup

    actor = Actor.for_user(privacy_officer, "127.0.0.1")
    publish_policy(actor, gunsan, date(2024, 1, 1), date(2024, 1, 8), "제정")
    DeviceGroup.objects.filter(key="city-hall").update(retention="45일")
    publish_policy(actor, gunsan, date(2024, 2, 1), date(2024, 2, 8), "보관기간 변경")
    response = client.get(reverse("publishing:compare_pdf", args=["gunsan", 1, 2]))
    text = squeeze(pdf_text(response.content))
    assert "신구비교표" in text and "변경전(제1판)" in text and "14일" in text and "45일" in text
    assert all(font["emb"] == "yes" for font in pdf_fonts(response.content))


def test_a_missing_font_is_a_clear_error(monkeypatch, tmp_path):
    import pytest

    from jikimi.lib import pdf

    pdf.korean_fonts.cache_clear()
    monkeypatch.setenv(pdf.FONT_ENV, str(tmp_path / "none.ttf"))
    try:
        with pytest.raises(pdf.FontMissing, match="none.ttf"):
            pdf.korean_fonts()
        monkeypatch.delenv(pdf.FONT_ENV)
        monkeypatch.setattr(pdf, "FONT_DIRS", (str(tmp_path),))
        pdf.korean_fonts.cache_clear()
        with pytest.raises(pdf.FontMissing, match="fonts-nanum"):
            pdf.korean_fonts()
    finally:
        pdf.korean_fonts.cache_clear()
