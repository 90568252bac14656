from __future__ import annotations

from django.urls import reverse

from jikimi.publishing.tests.conftest import as_staff


def test_it_shows_staff_a_marked_live_preview_before_anything_is_published(staff_client):
    response = staff_client.get(reverse("publishing:policy", args=["gunsan"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "미리보기" in text and "아직 공개되지 않은 방침" in text
    assert "㈜영창티엠에스" in text
    assert "2024.01.01~2024.12.31" in text
    assert "제1조(고정형 영상정보처리기기의 설치 근거 및 설치 목적)" in text


def test_it_shows_the_register_facts_in_the_operation_table(staff_client):
    text = staff_client.get(reverse("publishing:policy", args=["gunsan"])).content.decode()
    for fact in (
        "교통행정과",
        "120대",
        "조촌동 시청로 17(2대)",
        "통합관제센터",
        "홍길동",
        "063-454-3101",
        "총무과장",
    ):
        assert fact in text, fact


def test_it_says_so_where_the_register_lacks_a_fact(staff_client):
    text = staff_client.get(reverse("publishing:policy", args=["gunsan"])).content.decode()
    # 총무과장's phone and the hall group's monitoring method are not in the register; neither group
    # refers to an attachment, so none is named.
    assert "공개 문서에 미수록" in text
    assert "(별첨" not in text


def test_an_unknown_institution_is_not_found(client, db):
    assert client.get(reverse("publishing:policy", args=["nowhere"])).status_code == 404


def test_an_institution_without_a_policy_structure_gets_the_default_one(client, db):
    from jikimi.inventory.models import Institution

    example = Institution.objects.create(name="예시군", slug="example")
    text = as_staff(client, example).get(reverse("publishing:policy", args=["example"])).content.decode()
    assert "제1조(영상정보처리기기의 설치 근거 및 설치 목적)" in text
    assert "정보주체의 개인영상정보 열람 등 요구에 대한 조치" in text
    assert "대장에 등록된 영상정보처리기기가 없습니다" in text


def test_register_text_is_escaped(staff_client):
    from jikimi.inventory.models import DeviceGroup

    DeviceGroup.objects.filter(key="city-hall").update(site="<script>alert(1)</script>")
    text = staff_client.get(reverse("publishing:policy", args=["gunsan"])).content.decode()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
