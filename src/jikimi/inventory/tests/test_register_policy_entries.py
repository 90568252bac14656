"""The policy's own text (title, 머리말, its sections, its earlier revisions) and the published totals
edited entry by entry, as in the browser (issue 12): the file import's checks, nothing half-written on
refusal, one audit entry per change with the entry before → after, and only over the whole institution."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.display import details_text
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import EntryRefused, RegisterEdit, edit_register
from jikimi.inventory.history import changes_of
from jikimi.inventory.tests.conftest import table_counts

ACTOR = Actor.system("test")


def _document(institution: models.Institution) -> models.PolicyDocument:
    return models.PolicyDocument.objects.get(institution=institution)


def _problems(refused: pytest.ExceptionInfo[EntryRefused]) -> dict[str, str]:
    return {p.field: str(p) for p in refused.value.problems}


@pytest.mark.django_db
def test_a_sections_heading_and_text_are_changed_and_audited_before_and_after(institution):
    edit = RegisterEdit(
        "policy_sections", key="2", values={"title": "영상정보의 보호", "body": "첫 문단\n둘째 문단"}
    )
    edit_register(ACTOR, institution, edit, "2026년 방침 개정")
    assert _document(institution).sections[1] == {"title": "영상정보의 보호", "body": "첫 문단\n둘째 문단"}
    entry = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert entry.target_type == "inventory.PolicyDocument" and entry.scope_institution == institution.pk
    assert entry.details["key"] == "2번째 절"
    assert entry.details["changes"] == {
        "title": ["기타", "영상정보의 보호"],
        "body": ["자유롭게 쓴 문단", "첫 문단\n둘째 문단"],
    }
    # Read as people read it, in the audit log and in the register's history.
    text = details_text(entry.action, entry.details, entry.target_type)
    assert "본문 자유롭게 쓴 문단 → 첫 문단" in text and "body" not in text
    assert sorted(c.label for c in changes_of(entry.details)) == ["본문", "제목"]  # jsonb orders keys its way


@pytest.mark.django_db
def test_a_section_is_added_at_its_place_moved_and_removed(institution):
    values = {"title": "영상정보처리기기 설치 및 관리 등의 위탁", "generated": "outsourcing", "position": 2}
    edit_register(ACTOR, institution, RegisterEdit("policy_sections", values=values), "위탁 조항 신설")
    titles = [s["title"] for s in _document(institution).sections]
    assert titles == ["설치 근거 및 설치 목적", "영상정보처리기기 설치 및 관리 등의 위탁", "기타"]
    added = AuditEntry.objects.get(action="inventory.add_register_entry")
    assert added.details["changes"]["generated"] == [None, "outsourcing"]
    assert "설치 및 관리 등의 위탁" in details_text(added.action, added.details, added.target_type)

    edit_register(
        ACTOR, institution, RegisterEdit("policy_sections", key="3", values={"position": 1}), "순서"
    )
    assert _document(institution).sections[0]["title"] == "기타"
    moved = AuditEntry.objects.filter(action="inventory.change_register_entry").get()
    assert moved.details["changes"] == {"position": [3, 1]}

    edit_register(ACTOR, institution, RegisterEdit("policy_sections", key="1", remove=True), "삭제")
    assert [s["title"] for s in _document(institution).sections] == titles[:2]
    removed = AuditEntry.objects.get(action="inventory.remove_register_entry")
    assert removed.target_type == "inventory.PolicyDocument"
    assert removed.details["changes"]["body"] == ["자유롭게 쓴 문단", None]


@pytest.mark.django_db
def test_a_section_without_a_heading_or_with_an_unknown_generated_key_is_refused_with_nothing_written(
    institution,
):
    before = _document(institution).sections
    counts = table_counts()
    with pytest.raises(EntryRefused) as refused:
        edit_register(
            ACTOR, institution, RegisterEdit("policy_sections", key="2", values={"title": ""}), "정정"
        )
    assert "title" in _problems(refused)
    with pytest.raises(EntryRefused) as refused:
        edit_register(
            ACTOR,
            institution,
            RegisterEdit("policy_sections", values={"title": "새 절", "generated": "none"}),
            "신설",
        )
    assert "알 수 없는 생성 항목" in _problems(refused)["generated"]
    with pytest.raises(EntryRefused):
        edit_register(
            ACTOR, institution, RegisterEdit("policy_sections", key="9", values={"title": "x"}), "정정"
        )
    assert _document(institution).sections == before and table_counts() == counts
    assert not AuditEntry.objects.filter(action__endswith="_register_entry").exists()


@pytest.mark.django_db
def test_the_preamble_and_title_are_changed_and_only_the_policy_fields_are_recorded(institution):
    edit = RegisterEdit(
        "policy", values={"title": "영상정보처리기기 운영·관리 방침", "preamble": "새 머리말"}
    )
    edit_register(ACTOR, institution, edit, "머리말 정정")
    document = _document(institution)
    assert document.preamble == "새 머리말" and document.privacy_officer.key == "admin-head"
    changes = AuditEntry.objects.get(action="inventory.change_register_entry").details["changes"]
    assert set(changes) == {"title", "preamble"}
    assert changes["preamble"][1] == "새 머리말"


@pytest.mark.django_db
def test_a_revision_is_added_and_a_bad_period_is_refused(institution):
    values = {"key": "2cha-gaejeong", "label": "2차 개정", "valid_from": "2025-01-01", "note": ""}
    edit_register(ACTOR, institution, RegisterEdit("revisions", values=values), "이력 보완")
    revision = institution.policy_revisions.get(key="2cha-gaejeong")
    assert revision.label == "2차 개정"
    added = AuditEntry.objects.get(action="inventory.add_register_entry")
    assert added.target_type == "inventory.PolicyRevision" and added.target_id == str(revision.pk)
    assert added.scope_institution == institution.pk
    counts = table_counts()
    with pytest.raises(EntryRefused) as refused:
        edit_register(
            ACTOR,
            institution,
            RegisterEdit("revisions", key="2cha-gaejeong", values={"valid_from": "어제"}),
            "정정",
        )
    assert "valid_from" in _problems(refused)
    assert table_counts() == counts
    edit_register(ACTOR, institution, RegisterEdit("revisions", key="2cha-gaejeong", remove=True), "오기")
    assert not institution.policy_revisions.filter(key="2cha-gaejeong").exists()


@pytest.mark.django_db
def test_R6_a_declared_total_is_changed_added_and_removed_with_the_files_checks(institution):
    edit = RegisterEdit("declared_totals", key="idonghyeong", values={"count": 4})
    result = edit_register(ACTOR, institution, edit, "공표 대수 정정")
    assert institution.declared_totals.get(key="idonghyeong").count == 4
    # The groups no longer add up to it: as in the file, a warning until the next policy version (R6).
    assert any("공표 합계" in w or "이동형" in w for w in result.warnings), result.warnings
    entry = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert entry.target_type == "inventory.DeclaredTotal" and entry.details["changes"] == {"count": [3, 4]}
    with pytest.raises(EntryRefused) as refused:
        edit_register(
            ACTOR,
            institution,
            RegisterEdit(
                "declared_totals", values={"key": "x", "label": "x", "count": 1, "department": "없는과"}
            ),
            "추가",
        )
    assert "없는과" in _problems(refused)["department"]
    values = {"key": "chongmu", "label": "총무과", "count": 30, "department": "총무과", "kind": "fixed"}
    edit_register(ACTOR, institution, RegisterEdit("declared_totals", values=values), "추가")
    added = AuditEntry.objects.get(action="inventory.add_register_entry")
    text = details_text(added.action, added.details, added.target_type)
    assert "부서 없음 → 총무과" in text and "department" not in text
    edit_register(ACTOR, institution, RegisterEdit("declared_totals", key="chongmu", remove=True), "삭제")
    assert not institution.declared_totals.filter(key="chongmu").exists()


def test_a_department_officer_cannot_edit_the_policy_text_or_totals(client, alice, institution):
    log_in(client, alice)
    for section, key in (("policy", "-"), ("policy_sections", "1"), ("revisions", "1cha-gaejeong")):
        url = reverse("inventory:entry_edit", args=[institution.pk, section, key])
        assert client.get(url).status_code == 403, section
        assert client.post(url, {"title": "x", "reason": "x"}).status_code == 403, section
    for section in ("policy_sections", "declared_totals", "revisions"):
        assert client.get(reverse("inventory:entry_add", args=[institution.pk, section])).status_code == 403
    assert _document(institution).sections[1]["title"] == "기타"
    page = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "절 추가" not in page and "공표 합계 추가" not in page


@pytest.fixture
def minsu(institution):
    from jikimi.accounts.testing import make_user

    return make_user("minsu", "privacy_officer", institution=institution, name="박민수")


def test_the_chief_officer_edits_a_sections_text_through_the_page(client, minsu, institution):
    log_in(client, minsu)
    home = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "2"])
    assert (
        url in home and "절 추가" in home and "공표 합계 추가" in home and "방침 제목·머리말 고치기" in home
    )
    page = client.get(url)
    assert page.context["form"].initial["title"] == "기타" and page.context["form"].initial["position"] == 2
    assert "방침의 글은 기관이 정한 그대로 적습니다" in page.content.decode()
    # Typed in a textarea, line breaks arrive as CR LF: stored as the file's LF, not refused as a control.
    response = client.post(url, {"title": "기타 사항", "body": "첫 문단\r\n\r\n둘째 문단", "reason": "개정"})
    assert response.status_code == 302 and response["Location"].endswith("#policy")
    assert _document(institution).sections[1] == {"title": "기타 사항", "body": "첫 문단\n\n둘째 문단"}
    home = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "제목: 기타 → 기타 사항" in home and "본문: 자유롭게 쓴 문단 → 첫 문단" in home


def test_a_heading_over_its_limit_or_missing_is_refused_beside_the_field(client, minsu, institution):
    log_in(client, minsu)
    url = reverse("inventory:entry_add", args=[institution.pk, "policy_sections"])
    page = client.get(url)
    form = page.context["form"]
    # Nothing is typed in for the institution: no heading, no text, no generated item.
    assert not any(form[name].value() for name in ("title", "generated", "body", "position"))
    response = client.post(url, {"title": "가" * 201, "body": "본문", "reason": "신설"})
    assert response.status_code == 200
    assert "200" in " ".join(response.context["form"].errors["title"])
    response = client.post(url, {"title": "", "body": "본문", "reason": "신설"})
    assert response.context["form"].errors["title"]
    text = response.content.decode()
    assert "제목: " in text and 'role="alert"' in text
    assert len(_document(institution).sections) == 2


def test_the_policy_form_prefills_the_stored_text_only(client, minsu, institution):
    log_in(client, minsu)
    models.PolicyDocument.objects.filter(institution=institution).delete()
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy", "-"])
    form = client.get(url).context["form"]
    assert not form["title"].value() and not form["preamble"].value()
    response = client.post(
        url,
        {
            "kind": "standalone",
            "article_style": "article",
            "change_notice_days": 7,
            "preamble": "시험시 머리말",
            "reason": "방침 구성",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["title"]
    assert not models.PolicyDocument.objects.filter(institution=institution).exists()


def test_a_declared_total_is_added_through_the_page(client, minsu, institution):
    log_in(client, minsu)
    url = reverse("inventory:entry_add", args=[institution.pk, "declared_totals"])
    data = {"key": "chongmu", "label": "총무과", "count": "30", "kind": "fixed", "department": "총무과"}
    response = client.post(url, {**data, "reason": "공표 대수"})
    assert response.status_code == 302
    total = institution.declared_totals.get(key="chongmu")
    assert total.count == 30 and total.department.name == "총무과"
    edit = reverse("inventory:entry_edit", args=[institution.pk, "declared_totals", "chongmu"])
    response = client.post(edit, {**data, "count": "-1", "reason": "정정"})
    assert response.status_code == 200 and response.context["form"].errors["count"]
    assert client.post(edit, {**data, "remove": "1", "reason": "삭제"}).status_code == 302
    assert not institution.declared_totals.filter(key="chongmu").exists()
    assert (
        client.get(reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "9"])).status_code
        == 404
    )


def test_a_policy_is_set_up_by_typing_its_title_before_its_sections(client, minsu, institution):
    log_in(client, minsu)
    models.PolicyDocument.objects.filter(institution=institution).delete()
    institution.policy_revisions.all().delete()
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, RegisterEdit("policy_sections", values={"title": "목적"}), "신설")
    assert "제목·머리말" in str(refused.value)
    assert not models.PolicyDocument.objects.filter(institution=institution).exists()
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy", "-"])
    data = {"kind": "standalone", "article_style": "article", "change_notice_days": 7, "reason": "방침 구성"}
    response = client.post(
        url, {**data, "title": "시험시 영상정보처리기기 운영방침", "preamble": "머리말\r\n둘째 줄"}
    )
    assert response.status_code == 302
    document = _document(institution)
    assert document.title == "시험시 영상정보처리기기 운영방침" and document.preamble == "머리말\n둘째 줄"
    assert document.sections == []


@pytest.mark.django_db
def test_a_removed_request_form_section_reads_its_own_keys_in_the_log(institution):
    section = {"title": "[별지] 청구서", "generated": "request_form", "covers": ["viewing_method_place"]}
    edit_register(ACTOR, institution, RegisterEdit("policy_sections", values=section), "신설")
    edit_register(ACTOR, institution, RegisterEdit("policy_sections", key="3", remove=True), "삭제")
    entry = AuditEntry.objects.get(action="inventory.remove_register_entry")
    text = details_text(entry.action, entry.details, entry.target_type)
    assert "다루는 방침 항목 개인영상정보의 확인 방법 및 장소 → 없음" in text, text
    assert "생성 항목 개인영상정보 열람·존재확인 청구서 (별지) → 없음" in text
    assert "점검 범위" not in text and "request_form" not in text
    labels = {c.label: c.before for c in changes_of(entry.details)}
    assert labels["다루는 방침 항목"] == "개인영상정보의 확인 방법 및 장소"


def test_the_entry_pages_say_their_own_notes(client, minsu, institution):
    # The base template's own `section` (the site's part) hid the page's notes: they never showed.
    log_in(client, minsu)
    page = client.get(reverse("inventory:entry_add", args=[institution.pk, "device_groups"])).content.decode()
    assert "설치 위치는 저장한 뒤" in page
    page = client.get(reverse("inventory:entry_edit", args=[institution.pk, "policy_sections", "2"]))
    assert "(2번째 절)" in page.content.decode()
