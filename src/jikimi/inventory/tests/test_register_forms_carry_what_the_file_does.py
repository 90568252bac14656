"""Issue 16: the staff forms carry what the register file carries — a department's 자체/위탁 operation
and its contractor, the attachment's date, the department a policy is scoped to, and a location's
machine meaning (recording_schedule, retention_days) beside its published words — refused in Korean
at the field when wrong, and written exactly as the import writes them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.inventory import models
from jikimi.inventory.register_file import export_register
from jikimi.inventory.tests.test_group_pages import edit_data


@pytest.fixture
def minsu(institution):
    return make_user("minsu", "privacy_officer", institution=institution, name="박민수")


def _form_data(client, url: str, **changes) -> dict:
    form = client.get(url).context["form"]
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    data.update(changes)
    return data


def test_a_department_is_stated_outsourced_with_its_contractor(client, minsu, institution):
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "departments", "tonghapgwanjesenteo"])
    form = client.get(url).context["form"]
    assert [c for c, _ in form.fields["operation"].choices] == ["", "own", "outsourced"]
    assert "yeongchang" in dict(form.fields["operator"].choices)
    # A contractor named for a department the policy says runs its own devices: refused, in Korean.
    response = client.post(url, _form_data(client, url, operation="own", operator="yeongchang", reason="x"))
    assert response.status_code == 200
    assert "위탁" in " ".join(response.context["form"].errors["operator"])
    assert not institution.departments.get(key="tonghapgwanjesenteo").operation
    response = client.post(
        url, _form_data(client, url, operation="outsourced", operator="yeongchang", reason="방침 반영")
    )
    assert response.status_code == 302
    department = institution.departments.get(key="tonghapgwanjesenteo")
    assert department.operation == "outsourced" and department.operator.key == "yeongchang"
    assert "operation: outsourced" in export_register(institution)
    home = client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    assert "위탁 (㈜영창티엠에스)" in home


def test_the_policy_is_scoped_to_one_department_through_its_form(client, minsu, institution):
    log_in(client, minsu)
    url = reverse("inventory:entry_edit", args=[institution.pk, "policy", "-"])
    form = client.get(url).context["form"]
    assert form.fields["scope_department"].choices[0] == ("", "(기관 전체)")
    response = client.post(url, _form_data(client, url, scope_department="없는과", reason="x"))
    assert response.status_code == 200 and response.context["form"].errors["scope_department"]
    response = client.post(url, _form_data(client, url, scope_department="교통행정과", reason="부서 방침"))
    assert response.status_code == 302
    document = models.PolicyDocument.objects.get(institution=institution)
    assert document.scope_department.name == "교통행정과"
    assert "scope_department: 교통행정과" in export_register(institution)
    response = client.post(url, _form_data(client, url, scope_department="", reason="기관 전체로"))
    assert response.status_code == 302
    assert models.PolicyDocument.objects.get(institution=institution).scope_department is None


def test_the_group_page_takes_the_attachment_and_its_date(client, alice, bus_lane):
    log_in(client, alice)
    url = reverse("inventory:group_edit", args=[bus_lane.pk])
    data = edit_data(bus_lane, attachment="별첨 1. CCTV 설치 현황", reason="별첨")
    response = client.post(url, {**data, "attachment_date": "2024년 말"})
    assert response.status_code == 200
    assert "별첨 기준일은 날짜로" in " ".join(response.context["form"].errors["attachment_date"])
    response = client.post(url, {**data, "attachment_date": "2024-12-31"})
    assert response.status_code == 302
    bus_lane.refresh_from_db()
    assert bus_lane.attachment == "별첨 1. CCTV 설치 현황" and bus_lane.attachment_date == date(2024, 12, 31)


def test_a_location_states_the_machine_meaning_of_its_published_words(client, alice, bus_lane):
    log_in(client, alice)
    url = reverse("inventory:group_edit", args=[bus_lane.pk])
    page = client.get(url).content.decode()
    assert "locations-0-recording_schedule" in page and "locations-0-retention_days" in page
    words = {"locations-0-recording_hours": "단속기간 내", "locations-0-retention": "30일 이내"}
    # Unreadable machine schedule and a zero day count: refused at the row's fields, in Korean.
    response = client.post(
        url,
        edit_data(
            bus_lane,
            reason="공개 문구",
            **words,
            **{"locations-0-recording_schedule": "가끔", "locations-0-retention_days": "0"},
        ),
    )
    assert response.status_code == 200
    row = response.context["locations"].forms[0]
    assert "1일 이상" in " ".join(row.errors["retention_days"])
    response = client.post(
        url,
        edit_data(
            bus_lane,
            reason="공개 문구",
            **words,
            **{"locations-0-recording_schedule": "가끔", "locations-0-retention_days": "30"},
        ),
    )
    assert response.status_code == 200
    row = response.context["locations"].forms[0]
    assert row.errors["recording_schedule"] and "가끔" in " ".join(row.errors["recording_schedule"])
    response = client.post(
        url,
        edit_data(
            bus_lane,
            reason="공개 문구",
            confirm_term_changes="",
            **words,
            **{"locations-0-recording_schedule": "매일 07:00~20:00", "locations-0-retention_days": "30"},
        ),
    )
    if response.status_code == 200 and response.context.get("unconfirmed"):
        fingerprint = response.context["unconfirmed"].fingerprint
        response = client.post(
            url,
            edit_data(
                bus_lane,
                reason="공개 문구",
                confirm_term_changes=fingerprint,
                **words,
                **{"locations-0-recording_schedule": "매일 07:00~20:00", "locations-0-retention_days": "30"},
            ),
        )
    assert response.status_code == 302, response.context and response.context["locations"].errors
    location = bus_lane.locations.order_by("position", "id").first()
    assert location.recording_hours == "단속기간 내" and location.recording_schedule == "매일 07:00~20:00"
    assert location.retention == "30일 이내" and location.retention_days == 30
    text = export_register(bus_lane.institution)
    assert "recording_schedule: 매일 07:00~20:00" in text and "retention_days: 30" in text
