"""Faults of the register's staff pages that officers met (issue 12), each fixed and kept fixed:
checkboxes KRDS hid (1×1 px), no way to add location rows, a history without what changed, raw keys
in messages, hours said twice, same-named groups that selects could not tell apart."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jikimi.accounts.forms import GrantForm
from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.inventory import models, queries
from jikimi.inventory.actions import RegisterEdit, edit_register, update_device_group
from jikimi.inventory.forms import MAX_LOCATION_ROWS
from jikimi.inventory.tests.test_group_pages import edit_data
from jikimi.rules.register_checks import LocationFacts
from jikimi.vault.forms import DeviceForm

ACTOR = Actor.system("test")


def test_the_group_edit_checkboxes_are_krds_checks_with_their_labels(client, alice, bus_lane):
    log_in(client, alice)
    page = client.get(reverse("inventory:group_edit", args=[bus_lane.pk])).content.decode()
    # KRDS hides a bare checkbox (1×1 px) and draws the box on the label that follows it.
    assert re.search(
        r'<div class="krds-form-check"><input type="checkbox" name="locations_complete"[^>]*id="id_locations_complete"'
        r'[^>]*><label for="id_locations_complete">위치 목록 완비</label>',
        page,
    )
    assert re.search(
        r'<div class="krds-form-check"><input type="checkbox" name="locations-0-DELETE" id="id_locations-0-DELETE">'
        r'<label for="id_locations-0-DELETE">삭제</label>',
        page,
    )


def test_the_group_edit_page_has_an_add_row_button_and_its_script_file(client, alice, bus_lane):
    log_in(client, alice)
    page = client.get(reverse("inventory:group_edit", args=[bus_lane.pk])).content.decode()
    assert 'id="add-location"' in page and ">위치 추가</button>" in page
    assert '<template id="location-row-template">' in page and "locations-__prefix__-key" in page
    assert re.search(r'<script src="[^"]*inventory/locations\.js"', page)
    assert "<script>" not in page  # CSP: no inline script (R38)


def test_many_location_rows_are_accepted_up_to_the_limit(client, alice, bus_lane):
    log_in(client, alice)
    url = reverse("inventory:group_edit", args=[bus_lane.pk])
    data = edit_data(bus_lane, reason="위치 추가", count=9, locations_complete="on")
    data["locations-TOTAL_FORMS"] = 8
    for i in range(3, 8):
        data.update({f"locations-{i}-key": f"new-{i}", f"locations-{i}-name": f"새 위치 {i}"})
        data.update({f"locations-{i}-count": 1, f"locations-{i}-space_type": "general"})
    assert client.post(url, data).status_code == 302
    assert bus_lane.locations.count() == 8
    data["locations-TOTAL_FORMS"] = MAX_LOCATION_ROWS + 1
    response = client.post(url, data)
    assert response.status_code == 200
    assert "300" in " ".join(response.context["locations"].non_form_errors())


@pytest.mark.django_db
def test_the_history_says_each_changed_field_in_korean_before_and_after(client, alice, bus_lane):
    update_device_group(ACTOR, bus_lane, {"locations_complete": False, "status": "planned"}, "점검")
    log_in(client, alice)
    text = client.get(reverse("inventory:group_detail", args=[bus_lane.pk])).content.decode()
    assert "설치·운영 현황 수정: 점검" in text
    assert "위치 목록 완비: 예 → 아니오" in text
    assert "상태: 운영 → 설치 예정" in text
    assert "inventory.update_device_group" not in text and "locations_complete" not in text


def test_R6_the_location_sum_message_names_the_box_in_korean(bus_lane):
    from jikimi.inventory.checks import group_facts, group_problems

    facts = group_facts(bus_lane)
    problems = group_problems(bus_lane, facts.__class__(**{**facts.__dict__, "count": 9}))
    message = next(p.message for p in problems if p.rule == "R6")
    assert "'위치 목록 완비'" in message and "locations_complete" not in message
    unpublished = facts.__class__(
        **{**facts.__dict__, "locations": (LocationFacts("청사 내외", None, "general", "", ""),)}
    )
    message = next(p.message for p in group_problems(bus_lane, unpublished) if p.rule == "R6")
    assert "'위치 목록 완비'" in message and "locations_complete" not in message


@pytest.mark.parametrize(
    ("hours", "note"),
    [("상시(24시간)", ""), ("24시간", ""), ("평일 (07:00 ~ 09:00, 17:00 ~ 20:00)", ""), ("주말 24시간", "")],
)
def test_hours_are_said_once(hours, note):
    assert queries.schedule_note(hours) == note


def test_the_detail_page_says_always_on_hours_once(client, charlie, institution):
    group = institution.device_groups.get(key="city-hall")
    models.DeviceGroup.objects.filter(pk=group.pk).update(recording_hours="상시(24시간)")
    log_in(client, charlie)
    text = client.get(reverse("inventory:group_detail", args=[group.pk])).content.decode()
    assert "상시(24시간)" in text and "(24시간)</span>" not in text


def _three_namesakes(institution):
    """Three groups named 방범용: two departments here, one in another institution."""
    values = {
        "name": "방범용",
        "legal_bases": ["crime"],
        "purpose": "범죄예방",
        "count": 0,
        "site": "관내",
        "recording_hours": "24시간",
        "retention": "30일",
        "storage_place": "관제센터",
    }
    for key, department in (("a", "교통행정과"), ("b", "총무과")):
        edit_register(
            ACTOR,
            institution,
            RegisterEdit("device_groups", values={**values, "key": f"crime-{key}", "department": department}),
            "설치",
        )
    other = models.Institution.objects.create(name="다른시", slug="dareun")
    department = models.Department.objects.create(institution=other, key="jeongbo", name="교통행정과")
    models.DeviceGroup.objects.create(
        institution=other, key="crime", name="방범용", department=department, purpose="범죄예방", count=0
    )
    return models.DeviceGroup.objects.filter(name="방범용")


def test_same_named_groups_are_told_apart_in_the_device_form(institution):
    groups = _three_namesakes(institution)
    labels = sorted(
        label for _value, label in DeviceForm(groups=groups).fields["device_group"].choices if _value
    )
    assert labels == [
        "방범용 — 교통행정과 (다른시)",
        "방범용 — 교통행정과 (시험시)",
        "방범용 — 총무과 (시험시)",
    ]


def test_same_named_groups_are_told_apart_in_the_grant_form(institution):
    _three_namesakes(institution)
    form = GrantForm(institutions=models.Institution.objects.all())
    labels = [label for _value, label in form.fields["device_groups"].choices if "방범용" in str(label)]
    assert sorted(labels) == [
        "방범용 — 교통행정과 (다른시)",
        "방범용 — 교통행정과 (시험시)",
        "방범용 — 총무과 (시험시)",
    ]


def test_the_detail_page_names_a_problem_by_its_korean_field_not_its_path(client, alice, bus_lane):
    bus_lane.locations.filter(key="ganseok-remianjaiap").update(space_type="toilet")
    log_in(client, alice)
    text = client.get(reverse("inventory:group_detail", args=[bus_lane.pk])).content.decode()
    assert "2번 위치 공간 유형: " in text and "[R2]" in text
    assert "locations[" not in text
