"""안내판 (R9, R34): purpose and place, coverage and hours, manager and contact, contractor; a QR code."""

from __future__ import annotations

from django.urls import reverse

from jikimi.inventory.models import Contractor, DeviceGroup, Officer
from jikimi.publishing.signs import sign_for
from jikimi.publishing.tests.pdf_reading import pdf_fonts, pdf_text, squeeze


def test_a_sign_shows_the_items_of_r9_and_the_contractor(client, published, gunsan, settings):
    settings.PUBLIC_BASE_URL = "https://cctv.gunsan.example"
    response = client.get(reverse("publishing:sign_pdf", args=["gunsan", "control-centre"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(response.content))
    for fact in (
        "범죄예방",
        "조촌동시청로17",  # the sign stands at its location (법 제25조④), not at "군산시 관내"
        "반경50m",
        "24시간",
        "교통행정과",
        "063-454-3100",
        "㈜영창티엠에스",
        "063-000-0000",
    ):
        assert fact in text, fact
    assert "https://cctv.gunsan.example/policy/gunsan/" in text
    assert all(font["emb"] == "yes" for font in pdf_fonts(response.content))


def test_the_qr_code_leads_to_the_public_policy_page(gunsan, settings):
    settings.PUBLIC_BASE_URL = "https://cctv.gunsan.example"
    sign = sign_for(DeviceGroup.objects.get(key="control-centre"))
    assert sign.policy_url == "https://cctv.gunsan.example/policy/gunsan/"
    assert sign.qr_svg_uri.startswith("data:image/svg+xml")


def test_a_sign_without_any_contact_is_refused_with_what_is_missing(client, published, gunsan):
    # 총무과 has no phone and 총무과장's phone is not in the register.
    response = client.get(reverse("publishing:sign_pdf", args=["gunsan", "city-hall"]))
    assert response.status_code == 422
    text = response.content.decode()
    assert "안내판을 만들 수 없습니다" in text and "관리책임자 연락처" in text


def test_a_sign_whose_contractor_has_no_contact_is_refused(client, published, gunsan):
    Contractor.objects.filter(key="yeongchang").update(contact="")
    response = client.get(reverse("publishing:sign_pdf", args=["gunsan", "control-centre"]))
    assert response.status_code == 422
    assert "㈜영창티엠에스" in response.content.decode()


def test_adding_the_contact_makes_the_sign_printable(client, published, gunsan):
    Officer.objects.filter(key="general-head").update(phone="063-454-2100")
    assert client.get(reverse("publishing:sign_pdf", args=["gunsan", "city-hall"])).status_code == 200


def test_the_sign_list_marks_what_is_missing(client, published, gunsan):
    text = client.get(reverse("publishing:signs", args=["gunsan"])).content.decode()
    # 방범용 CCTV lists its location: the sign is that place's; 청사 has no locations: one sign for its site.
    assert reverse("publishing:location_sign_pdf", args=["gunsan", "control-centre", "jochon"]) in text
    assert "대장에 없는 항목" in text


def test_a_reference_to_an_attachment_is_not_a_contact(client, published, gunsan):
    # 광양시's register says '별첨 참조' where the phone should be: nobody can call that (R9).
    Officer.objects.filter(key="general-head").update(phone="별첨 참조")
    response = client.get(reverse("publishing:sign_pdf", args=["gunsan", "city-hall"]))
    assert response.status_code == 422
    assert "관리책임자 연락처" in response.content.decode()
