"""A citizen on a phone files a 청구서 by hand (issue 13): from the institution's policy to the request
form, chooses the site in the select, types the window and the reason, attaches an ID photo, presses
제출, reads the receipt number and the due date, and opens the private status link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.disclosure.models import RequestAttachment, SubjectRequest
from jikimi.inventory.models import Location
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import LegalHold
from tests.browser.demo import build_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A photo as a phone saves it: a JPEG from its first bytes to its end marker.
ID_PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x42" * 2000 + b"\xff\xd9"


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_citizen_files_a_request_by_hand_on_a_phone(browser, live_server, settings, tmp_path):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    demo = build_demo()
    site = Location.objects.filter(device_group__institution=demo.institution).order_by("pk").first()
    assert site is not None
    add_device(Actor.command("test setup"), site.device_group, "현장 카메라", location=site)
    yesterday = (timezone.now().astimezone(SEOUL) - timedelta(days=1)).date()

    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/policy/incheon/")
        page.get_by_role("link", name="열람 등 청구하기").click()
        page.wait_for_load_state("networkidle")
        assert "영상정보 열람 등 청구서" in page.get_by_role("heading", level=1).inner_text()
        assert fits_a_phone(page)

        page.get_by_label("청구인 성명").fill("홍길동")
        page.get_by_label("생년월일").fill("1980-05-05")
        page.get_by_label("주소").fill("인천광역시 남동구 정각로 29")
        page.get_by_label("전화번호").fill("010-1234-5678")
        page.get_by_label("기록기간 시작").fill(f"{yesterday:%Y-%m-%d}T09:00")
        page.get_by_label("기록기간 끝").fill(f"{yesterday:%Y-%m-%d}T09:30")
        page.get_by_label("설치장소", exact=True).select_option(label=site.name)
        page.get_by_label("사본 교부").check()
        page.get_by_label("청구 목적 및 사유").fill("어제 아침 정문 앞 접촉사고 당시 상황 확인")
        page.get_by_label("신분증 사본").set_input_files(
            files=[{"name": "신분증.jpg", "mimeType": "image/jpeg", "buffer": ID_PHOTO}]
        )
        page.get_by_role("button", name="제출").click()
        page.wait_for_load_state("networkidle")

        assert page.get_by_role("heading", level=1).inner_text() == "청구가 접수되었습니다"
        receipt = page.locator(".jk-receipt-number").inner_text()
        subject_request = SubjectRequest.objects.get()
        assert receipt == subject_request.receipt_number
        assert receipt.startswith(f"{timezone.now().astimezone(SEOUL).year}-")
        assert subject_request.due_on.strftime("%Y년 %-m월 %-d일") in page.content()
        assert list(subject_request.locations.all()) == [site]
        assert RequestAttachment.objects.get().content_type == "image/jpeg"
        assert LegalHold.objects.filter(device__location=site).exists()
        assert fits_a_phone(page)

        page.locator("a.jk-status-link").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", level=1).inner_text() == "청구 진행 상태"
        assert "현재 상태: 접수" in page.locator(".jk-state").inner_text()
        assert receipt in page.content() and "신분증.jpg" not in page.content()
    finally:
        context.close()
