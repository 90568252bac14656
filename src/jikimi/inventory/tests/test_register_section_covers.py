"""A policy section's `covers` (R4) and the 청구서's boxes and examples (R20) edited in the browser
(issue 12): publishing tells inventory at startup what they may hold (it sits above inventory), the
section form offers exactly those with Korean labels, the file import and the page refuse anything
else alike, and the audit log and the register's history read the change in Korean."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.context import Actor
from jikimi.audit.display import details_text
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import EntryRefused, RegisterEdit, edit_register, import_register
from jikimi.inventory.history import changes_of
from jikimi.inventory.register_file import RegisterFileError
from jikimi.inventory.section_options import section_options
from jikimi.inventory.tests.conftest import small_text, table_counts
from jikimi.publishing.coverage import COVERABLE_KEYS
from jikimi.publishing.sections_standard import REQUEST_CHOICES

ACTOR = Actor.system("test")
REQUEST_SECTION = {"title": "[별지] 청구서", "generated": "request_form"}


@pytest.fixture
def minsu(institution):
    return make_user("minsu", "privacy_officer", institution=institution, name="박민수")


def _sections(institution: models.Institution) -> list[dict]:
    return models.PolicyDocument.objects.get(institution=institution).sections


def _with_request_form(institution: models.Institution) -> None:
    edit_register(ACTOR, institution, RegisterEdit("policy_sections", values=REQUEST_SECTION), "청구서 신설")


def test_publishing_tells_inventory_what_a_section_may_name_when_django_starts():
    options = section_options()
    assert set(options.coverable) == COVERABLE_KEYS
    assert options.request_choices == REQUEST_CHOICES
    labels = dict(options.coverable_choices())
    assert labels["viewing_method_place"] == "개인영상정보의 확인 방법 및 장소"
    assert set(labels) == COVERABLE_KEYS
    # Only what carries a 시행령 제25조① item: the 청구서 and the labelling block are not offered.
    assert "request_form" not in labels and "labelling" not in labels


@pytest.mark.django_db
def test_the_section_form_offers_the_coverable_items_in_korean(client, minsu, institution):
    log_in(client, minsu)
    page = client.get(reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "2"]))
    text = page.content.decode()
    assert "다루는 방침 항목" in text and 'value="viewing_method_place"' in text
    assert "개인영상정보의 확인 방법 및 장소" in text
    # The 청구서's boxes belong to the 청구서's section only.
    assert "청구서 선택 항목" not in text and "기록기간 예시" not in text


@pytest.mark.django_db
def test_a_sections_covers_are_ticked_saved_and_read_in_korean_in_the_log_and_history(
    client, minsu, institution
):
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "2"])
    response = client.post(
        url,
        {
            "title": "기타",
            "body": "자유롭게 쓴 문단",
            "covers": ["viewing_method_place", "subject_rights"],  # the page's order
            "reason": "인천처럼 한 절이 두 항목을 다룸",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert _sections(institution)[1]["covers"] == ["viewing_method_place", "subject_rights"]
    entry = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert entry.details["changes"] == {"covers": [[], ["viewing_method_place", "subject_rights"]]}
    text = details_text(entry.action, entry.details, entry.target_type)
    assert "다루는 방침 항목" in text and "개인영상정보의 확인 방법 및 장소" in text, text
    assert "viewing_method_place" not in text and "covers" not in text
    (change,) = changes_of(entry.details)
    assert change.label == "다루는 방침 항목" and change.before == "(없음)"
    both = "개인영상정보의 확인 방법 및 장소, 정보주체의 열람 등 요구에 대한 조치 (거부 사유, 10일)"
    assert change.after == both
    home = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert f"다루는 방침 항목: {both}" in home  # the section's row
    assert f"(없음) → {both}" in home  # the history


@pytest.mark.django_db
def test_an_unknown_covered_key_is_refused_by_the_page_and_the_action_with_nothing_written(
    client, minsu, institution
):
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "2"])
    counts = table_counts()
    page = client.post(url, {"title": "기타", "covers": ["request_form"], "reason": "시험"})
    assert page.status_code == 200 and "다루는 방침 항목:" in page.content.decode()
    with pytest.raises(EntryRefused) as refused:
        edit_register(
            ACTOR, institution, RegisterEdit("policy_sections", key="2", values={"covers": ["nothing"]}), "x"
        )
    (problem,) = refused.value.problems
    assert problem.field == "covers" and "'nothing'" in problem.message and problem.rule == "R4"
    assert "viewing_method_place" in problem.message
    assert table_counts() == counts and "covers" not in _sections(institution)[1]
    assert not AuditEntry.objects.filter(action="inventory.change_register_entry").exists()


@pytest.mark.django_db
def test_the_file_import_refuses_an_unknown_covered_key_and_a_box_the_form_cannot_offer(db):
    text = small_text().replace(
        '- {title: 기타, body: "자유롭게 쓴 문단"}',
        '- {title: 기타, body: "자유롭게 쓴 문단", covers: [viewing_place]}\n'
        "    - {title: 청구서, generated: request_form, choices: [열람, 정정]}\n"
        "    - {title: 안내, body: 글, example_place: 시청 앞}",
    )
    with pytest.raises(RegisterFileError) as refused:
        import_register(ACTOR, text, "small.yaml")
    message = str(refused.value)
    assert "policy.sections[1].covers" in message and "'viewing_place'" in message and "[R4]" in message
    assert "policy.sections[2].choices" in message and "'정정'" in message and "[R20]" in message
    assert "policy.sections[3].example_place" in message and "청구서" in message
    assert not models.Institution.objects.exists()


@pytest.mark.django_db
def test_the_request_forms_boxes_and_examples_are_edited_on_its_own_section(client, minsu, institution):
    _with_request_form(institution)
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "3"])
    page = client.get(url).content.decode()
    for label in ("청구서 선택 항목", "기록기간 예시", "설치장소 예시", "청구서에 적힌 방침 이름"):
        assert label in page, label
    assert all(f'value="{choice}"' in page for choice in REQUEST_CHOICES)
    response = client.post(
        url,
        {
            "title": "[별지] 청구서",
            "generated": "request_form",
            "choices": ["존재확인", "열람"],
            "example_period": "2014.01.01 18:30 ~ 2014.01.01 19:00",
            "example_place": "00시 00구 00대로 0 인근 CCTV",
            "policy_name": "시험시 영상정보처리기기 운영관리 방침",
            "reason": "청구서 서식 반영",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert _sections(institution)[2] == {
        **REQUEST_SECTION,
        "choices": ["존재확인", "열람"],
        "example_period": "2014.01.01 18:30 ~ 2014.01.01 19:00",
        "example_place": "00시 00구 00대로 0 인근 CCTV",
        "policy_name": "시험시 영상정보처리기기 운영관리 방침",
    }
    entry = AuditEntry.objects.filter(action="inventory.change_register_entry").get()
    text = details_text(entry.action, entry.details, entry.target_type)
    for label in ("청구서 선택 항목", "기록기간 예시", "설치장소 예시", "청구서에 적힌 방침 이름"):
        assert label in text, text
    assert "choices" not in text and "example_" not in text and "policy_name" not in text
    labels = {c.label: c.after for c in changes_of(entry.details)}
    assert labels["청구서 선택 항목"] == "존재확인, 열람"
    assert labels["청구서에 적힌 방침 이름"] == "시험시 영상정보처리기기 운영관리 방침"
    home = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "청구서 선택 항목: 존재확인, 열람" in home


@pytest.mark.django_db
def test_the_boxes_keep_the_files_order_when_the_same_are_ticked(client, minsu, institution):
    edit = RegisterEdit("policy_sections", values={**REQUEST_SECTION, "choices": ["열람", "존재확인"]})
    edit_register(ACTOR, institution, edit, "신설")
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "3"])
    data = {"title": "[별지] 개인영상정보 청구서", "generated": "request_form", "reason": "제목"}
    response = client.post(url, {**data, "choices": ["존재확인", "열람"]})
    assert response.status_code == 302
    assert _sections(institution)[2]["choices"] == ["열람", "존재확인"]
    changed = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert set(changed.details["changes"]) == {"title"}


@pytest.mark.django_db
def test_a_section_no_longer_the_request_form_keeps_none_of_its_boxes(client, minsu, institution):
    edit = RegisterEdit(
        "policy_sections", values={**REQUEST_SECTION, "choices": ["열람"], "example_place": "시청 앞"}
    )
    edit_register(ACTOR, institution, edit, "신설")
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "3"])
    response = client.post(
        url, {"title": "정보주체의 권리", "body": "청구서로 청구합니다.", "reason": "별지 삭제"}
    )
    assert response.status_code == 302, response.content.decode()
    assert _sections(institution)[2] == {"title": "정보주체의 권리", "body": "청구서로 청구합니다."}


@pytest.mark.django_db
def test_an_unknown_box_is_refused_by_the_page(client, minsu, institution):
    _with_request_form(institution)
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "3"])
    page = client.post(url, {**REQUEST_SECTION, "choices": ["정정"], "reason": "시험"})
    assert page.status_code == 200 and "청구서 선택 항목:" in page.content.decode()
    assert "choices" not in _sections(institution)[2]
