"""Issue 16: a group's department may be not published (null) where the published text gives none —
never a department made up. R36 (안전성 확보조치 기준 제5조①: least privilege) decides who sees such a
group: it belongs to no department, so it is scoped to the whole institution — an institution-wide
grant, or a grant naming the group itself, reaches it; no department's grant does, and a grant of a
few other groups does not either (a null department must not read as "a grant of no department")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jikimi.accounts.permissions import Permission, device_groups_for, has_permission
from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import export_register
from jikimi.inventory.register_file.errors import RegisterFileError
from jikimi.inventory.tests.conftest import small_text

NO_DEPARTMENT_GROUP = """\
  - key: forest-fire
    name: 산불감시 CCTV
    department: null
    legal_bases: [crime]
    purpose: 산불 예방
    recording_hours: 산불기간
    retention: 30일
"""


def _with_group(text: str, group: str) -> str:
    return text.replace("declared_totals:\n", group + "declared_totals:\n", 1)


@pytest.fixture
def forest(institution) -> models.DeviceGroup:
    import_register(Actor.system("test"), _with_group(small_text(), NO_DEPARTMENT_GROUP), "small.yaml")
    return institution.device_groups.get(key="forest-fire")


def test_a_group_without_a_published_department_imports_and_exports_as_null(forest):
    assert forest.department is None and forest.department_name == ""
    assert "(관리부서 미공개)" not in forest.choice_label and "관리부서 미공개" in forest.choice_label
    text = export_register(forest.institution)
    assert "department: null" in text
    import_register(Actor.system("test"), text, "small.yaml")
    assert models.DeviceGroup.objects.get(key="forest-fire").department is None


def test_an_omitted_department_is_refused_not_taken_as_unknown(institution):
    # Unknown is stated (null); an omitted key is a mistake, not a silent institution-wide scope.
    group = NO_DEPARTMENT_GROUP.replace("    department: null\n", "")
    with pytest.raises(RegisterFileError) as refused:
        import_register(Actor.system("test"), _with_group(small_text(), group), "small.yaml")
    assert "관리부서" in str(refused.value)


def test_R36_only_the_whole_institution_or_the_group_itself_reaches_it(forest, institution, bus_lane):
    whole = make_user("whole", "officer", institution=institution)
    department = make_user("dept", "officer", institution=institution, departments=["총무과"])
    other_group = make_user("other", "officer", institution=institution, device_groups=[bus_lane])
    itself = make_user("itself", "officer", institution=institution, device_groups=[forest])
    for permission in (Permission.VIEW_FOOTAGE, Permission.EDIT_REGISTER):
        assert has_permission(whole, permission, device_group=forest)
        assert has_permission(itself, permission, device_group=forest)
        assert not has_permission(department, permission, device_group=forest)
        # The leak this guards: a grant of another group has no departments, and filter(departments=None)
        # would read it as covering every group without a department.
        assert not has_permission(other_group, permission, device_group=forest)
        assert forest in device_groups_for(whole, permission)
        assert forest not in device_groups_for(department, permission)
        assert forest not in device_groups_for(other_group, permission)


def test_only_a_whole_institution_editor_puts_a_group_without_a_department(client, institution, alice):
    url = reverse("inventory:entry_add", args=[institution.pk, "device_groups"])
    values = {
        "key": "forest-fire",
        "name": "산불감시 CCTV",
        "department": "",
        "kind": "fixed",
        "status": "operating",
        "legal_bases": ["crime"],
        "purpose": "산불 예방",
        "recording_hours": "24시간",
        "retention": "30일",
        "reason": "공개 문서 반영",
    }
    log_in(client, alice)  # an officer of 교통행정과 only
    response = client.post(url, values)
    assert response.status_code == 200, response
    assert "기관 전체 권한" in " ".join(response.context["form"].errors["department"])
    assert not institution.device_groups.filter(key="forest-fire").exists()
    client.logout()
    log_in(client, make_user("minsu", "privacy_officer", institution=institution))
    form = client.get(url).context["form"]
    assert form.fields["department"].choices[0][0] == ""
    response = client.post(url, values)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert institution.device_groups.get(key="forest-fire").department is None


def test_the_staff_pages_say_the_department_is_not_published(client, forest, institution):
    log_in(client, make_user("whole-viewer", "officer", institution=institution))
    page = client.get(reverse("inventory:group_detail", args=[forest.pk])).content.decode()
    assert "관리부서 미공개" in page
    listing = client.get(reverse("inventory:group_list")).content.decode()
    assert "산불감시 CCTV" in listing and "관리부서 미공개" in listing
