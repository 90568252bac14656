"""The register edited entry by entry (as in the browser): the same checks as the file import, nothing
half-written on refusal, and one audit entry per change with its fields before and after."""

from __future__ import annotations

import pytest

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import EntryRefused, RegisterEdit, edit_register
from jikimi.inventory.tests.conftest import table_counts

ACTOR = Actor.system("test")

NEW_GROUP = {
    "key": "alley",
    "name": "방범용",
    "department": "총무과",
    "legal_bases": ["crime"],
    "purpose": "범죄예방",
    "count": 3,
    "site": "골목길",
    "recording_hours": "24시간",
    "retention": "30일",
    "storage_place": "시청 관제센터",
}


def _problems(refused: pytest.ExceptionInfo[EntryRefused]) -> dict[str, str]:
    return {p.field: str(p) for p in refused.value.problems}


@pytest.mark.django_db
def test_an_officer_is_added_with_contacts_and_audited(institution):
    edit = RegisterEdit(
        "officers",
        values={
            "key": "cctv-lead",
            "department": "총무과",
            "name": "이영희",
            "position": "팀장",
            "phone": "440-1234",
        },
    )
    result = edit_register(ACTOR, institution, edit, "조직 개편으로 관리책임자 지정")
    officer = models.Officer.objects.get(institution=institution, key="cctv-lead")
    assert officer.name == "이영희" and officer.department.name == "총무과"
    entry = AuditEntry.objects.get(action="inventory.add_register_entry")
    assert entry.target_id == str(officer.pk) and entry.reason == "조직 개편으로 관리책임자 지정"
    assert entry.details["changes"]["phone"] == [None, "440-1234"]
    assert result.changes["name"] == [None, "이영희"]


@pytest.mark.django_db
def test_a_bad_email_is_refused_at_its_field_with_nothing_written(institution):
    counts = table_counts()
    edit = RegisterEdit("officers", key="traffic-head", values={"email": "메일주소아님"})
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, edit, "연락처 정정")
    assert "이메일 주소" in _problems(refused)["email"]
    assert table_counts() == counts
    assert not AuditEntry.objects.filter(action__startswith="inventory.change").exists()


@pytest.mark.django_db
def test_a_renamed_department_keeps_its_groups_officers_and_privacy_department(institution):
    department = institution.departments.get(name="총무과")
    edit_register(
        ACTOR,
        institution,
        RegisterEdit("departments", key=department.key, values={"name": "행정지원과"}),
        "조직 개편",
    )
    department.refresh_from_db()
    assert department.name == "행정지원과"
    assert institution.device_groups.get(key="city-hall").department == department
    assert models.PolicyDocument.objects.get(institution=institution).privacy_department == department
    entry = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert entry.details["changes"] == {"name": ["총무과", "행정지원과"]}


@pytest.mark.django_db
def test_R1_a_new_group_without_a_legal_basis_is_refused_as_the_import_refuses_it(institution):
    counts = table_counts()
    with pytest.raises(EntryRefused) as refused:
        edit_register(
            ACTOR,
            institution,
            RegisterEdit("device_groups", values={**NEW_GROUP, "legal_bases": []}),
            "신규 설치",
        )
    problems = refused.value.problems
    assert any(p.field == "legal_bases" and p.rule == "R1" for p in problems), problems
    assert table_counts() == counts


@pytest.mark.django_db
def test_R16_a_new_group_keeping_footage_over_30_days_needs_a_reason(institution):
    edit = RegisterEdit("device_groups", values={**NEW_GROUP, "retention": "90일"})
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, edit, "신규 설치")
    assert any(p.field == "retention_reason" and p.rule == "R16" for p in refused.value.problems)


@pytest.mark.django_db
def test_a_new_group_is_added_and_a_stale_published_total_is_a_warning(institution):
    result = edit_register(ACTOR, institution, RegisterEdit("device_groups", values=NEW_GROUP), "신규 설치")
    group = institution.device_groups.get(key="alley")
    assert group.department.name == "총무과" and group.count == 3
    # The published 고정형 total (39대) no longer adds up: the next policy version states it (R6).
    assert any("공표 합계" in warning for warning in result.warnings), result.warnings
    assert AuditEntry.objects.get(action="inventory.add_register_entry").target_id == str(group.pk)


@pytest.mark.django_db
def test_an_officer_named_as_a_manager_cannot_be_removed(institution):
    counts = table_counts()
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, RegisterEdit("officers", key="traffic-head", remove=True), "퇴직")
    message = " ".join(str(p) for p in refused.value.problems)
    assert "기기 묶음 '버스전용차로 단속 CCTV'" in message and "traffic-head" in message
    assert table_counts() == counts


@pytest.mark.django_db
def test_a_contractor_without_a_company_is_refused_and_a_new_one_is_added(institution):
    values = {"key": "haneul", "task": "유지보수", "company": "", "supervising_department": "총무과"}
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, RegisterEdit("contractors", values=values), "계약")
    assert "company" in _problems(refused)
    edit_register(
        ACTOR, institution, RegisterEdit("contractors", values={**values, "company": "㈜하늘"}), "계약"
    )
    assert institution.contractors.get(key="haneul").supervising_department.name == "총무과"


@pytest.mark.django_db
def test_the_privacy_officer_is_changed_and_a_reason_is_required(institution):
    edit = RegisterEdit("privacy", values={"privacy_officer": "traffic-head"})
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, edit, " ")
    assert "reason" in _problems(refused)
    edit_register(ACTOR, institution, edit, "보호책임자 변경")
    assert models.PolicyDocument.objects.get(institution=institution).privacy_officer.key == "traffic-head"
    entry = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert entry.details["changes"] == {"privacy_officer": ["admin-head", "traffic-head"]}


@pytest.mark.django_db
def test_an_unknown_reference_is_refused_at_its_field(institution):
    edit = RegisterEdit("officers", key="traffic-staff", values={"department": "없는과"})
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, edit, "소속 변경")
    assert "없는과" in _problems(refused)["department"]


def test_a_department_officer_adds_groups_only_in_his_department_and_not_officers(client, alice, institution):
    from django.urls import reverse

    from jikimi.accounts.testing import log_in

    log_in(client, alice)
    add_group = reverse("inventory:entry_add", args=[institution.pk, "device_groups"])
    page = client.get(add_group)
    assert page.status_code == 200
    assert [value for value, _label in page.context["form"].fields["department"].choices] == ["교통행정과"]
    data = {**NEW_GROUP, "key": "alley", "department": "총무과", "reason": "신규"}
    response = client.post(add_group, data)
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert not institution.device_groups.filter(key="alley").exists()
    # The institution's own entries need a grant over the whole institution.
    assert client.get(reverse("inventory:entry_add", args=[institution.pk, "officers"])).status_code == 403
    assert client.get(reverse("inventory:register_home", args=[institution.pk])).status_code == 200


@pytest.mark.django_db
def test_R36_a_group_with_a_device_moved_to_another_department_is_rescoped_and_audited(institution):
    from jikimi.vault.actions.devices import add_device

    group = institution.device_groups.get(key="body-cam")
    add_device(ACTOR, group, "착용형 1호")
    edit = RegisterEdit(
        "device_groups", key="body-cam", values={"department": "총무과", "managers": ["admin-head"]}
    )
    edit_register(ACTOR, institution, edit, "업무 이관")
    group.refresh_from_db()
    assert group.department.name == "총무과" and [o.key for o in group.managers.all()] == ["admin-head"]
    rescoped = AuditEntry.objects.get(action="inventory.device_group_rescoped")
    assert rescoped.details["department"] == ["교통행정과", "총무과"]
    changed = AuditEntry.objects.get(action="inventory.change_register_entry")
    assert changed.details["changes"]["department"] == ["교통행정과", "총무과"]
    assert changed.details["changes"]["managers"] == [[], ["admin-head"]]


@pytest.mark.django_db
def test_R16_retention_of_a_group_with_devices_is_not_changed_unseen_from_the_entry_page(institution):
    from jikimi.vault.actions.devices import add_device

    group = institution.device_groups.get(key="body-cam")
    add_device(ACTOR, group, "착용형 1호")
    edit = RegisterEdit("device_groups", key="body-cam", values={"retention": "14일"})
    with pytest.raises(EntryRefused) as refused:
        edit_register(ACTOR, institution, edit, "단축")
    assert "보관기간" in str(refused.value)
    group.refresh_from_db()
    assert group.retention == "30일"
