"""The staff pages of the register: list, filter, search, detail and edit, each only for those allowed.

Alice is an officer of 교통행정과, Bob is an operator there (may look, not change), Charlie is an
officer of 총무과 and is refused everything of 교통행정과's.
"""

from __future__ import annotations

from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.models import AuditEntry
from jikimi.inventory.register_file.importing import LOCATION_FIELDS


def test_the_list_shows_only_the_groups_of_the_users_department(client, alice, bus_lane):
    log_in(client, alice)
    response = client.get(reverse("inventory:group_list"))
    assert response.status_code == 200
    names = [g.name for g in response.context["groups"]]
    assert names == ["버스전용차로 단속 CCTV", "단속 공무원 착용형 카메라"]
    assert "청사 방범 CCTV" not in response.content.decode()


def test_charlie_sees_only_his_departments_groups(client, charlie):
    log_in(client, charlie)
    response = client.get(reverse("inventory:group_list"))
    assert [g.name for g in response.context["groups"]] == ["청사 방범 CCTV"]
    assert "버스전용차로" not in response.content.decode()


def test_the_list_needs_a_login(client, institution):
    response = client.get(reverse("inventory:group_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_user_without_a_grant_is_refused_the_list(client, institution, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password=None, name="누구")
    log_in(client, nobody)
    assert client.get(reverse("inventory:group_list")).status_code == 403


def test_the_list_filters_by_kind_basis_site_and_search(client, alice):
    log_in(client, alice)
    url = reverse("inventory:group_list")

    def names(**params):
        return [g.name for g in client.get(url, params).context["groups"]]

    assert names(kind="mobile") == ["단속 공무원 착용형 카메라"]
    assert names(legal_basis="traffic_enforcement") == ["버스전용차로 단속 CCTV"]
    assert names(legal_basis="public_duty") == ["단속 공무원 착용형 카메라"]
    assert names(site="신라저축은행") == ["버스전용차로 단속 CCTV"]  # a location's name
    assert names(q="착용형") == ["단속 공무원 착용형 카메라"]
    assert names(q="율목동") == ["버스전용차로 단속 CCTV"]
    assert names(q="없는말") == []


def test_the_department_filter(client, alice, institution):
    log_in(client, alice)
    department = institution.departments.get(name="교통행정과")
    response = client.get(reverse("inventory:group_list"), {"department": department.pk})
    assert len(response.context["groups"]) == 2
    other = institution.departments.get(name="총무과")
    assert client.get(reverse("inventory:group_list"), {"department": other.pk}).context["groups"] == []


def test_htmx_gets_only_the_table(client, alice):
    log_in(client, alice)
    response = client.get(reverse("inventory:group_list"), {"kind": "fixed"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<html" not in body
    assert "버스전용차로" in body


def test_the_detail_shows_everything_about_the_group(client, alice, bus_lane):
    log_in(client, alice)
    response = client.get(reverse("inventory:group_detail", args=[bus_lane.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "버스전용차로 단속 CCTV",
        "준영구",
        "단속 증거 보존",
        "율목동 유동3거리",
        "부평구 신라저축은행",
        "김수철",
        "2627-2930",
        "㈜영창티엠에스",
        "BRT구간",
        "100m 이내",
        "교통단속",
    ):
        assert text in body, text
    assert reverse("inventory:group_edit", args=[bus_lane.pk]) in body


def test_the_detail_shows_validation_warnings(client, charlie, institution):
    group = institution.device_groups.get(key="city-hall")
    group.locations.create(name="화장실 앞 복도", count=1)
    log_in(client, charlie)
    body = client.get(reverse("inventory:group_detail", args=[group.pk])).content.decode()
    assert "확인이 필요한 항목" in body and "화장실 앞 복도" in body


def test_charlie_is_refused_alices_group_detail(client, alice, charlie, bus_lane):
    log_in(client, charlie)
    assert client.get(reverse("inventory:group_detail", args=[bus_lane.pk])).status_code == 403


def test_charlie_is_refused_alices_group_edit(client, alice, charlie, bus_lane):
    log_in(client, charlie)
    assert client.get(reverse("inventory:group_edit", args=[bus_lane.pk])).status_code == 403
    response = client.post(
        reverse("inventory:group_edit", args=[bus_lane.pk]), {"retention": "1일", "reason": "x"}
    )
    assert response.status_code == 403
    bus_lane.refresh_from_db()
    assert bus_lane.retention == "준영구"


def test_bob_may_look_but_not_edit(client, bob, bus_lane):
    log_in(client, bob)
    response = client.get(reverse("inventory:group_detail", args=[bus_lane.pk]))
    assert response.status_code == 200
    assert reverse("inventory:group_edit", args=[bus_lane.pk]) not in response.content.decode()
    assert client.get(reverse("inventory:group_edit", args=[bus_lane.pk])).status_code == 403


def test_a_missing_group_is_404(client, alice):
    log_in(client, alice)
    assert client.get(reverse("inventory:group_detail", args=[999999])).status_code == 404


def edit_data(group, **changes):
    """The edit form as the browser would post it, unchanged except for `changes`."""
    from jikimi.inventory.actions import EDITABLE_FIELDS

    data = {}
    for name in EDITABLE_FIELDS:
        value = getattr(group, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    locations = list(group.locations.all())
    data.update({"locations-TOTAL_FORMS": len(locations) + 2, "locations-INITIAL_FORMS": len(locations)})
    data["locations-MIN_NUM_FORMS"] = 0
    data["locations-MAX_NUM_FORMS"] = 1000
    for i, loc in enumerate(locations):
        for name in ("key", *LOCATION_FIELDS):
            value = getattr(loc, name)
            data[f"locations-{i}-{name}"] = "" if value is None else value
    for i in (len(locations), len(locations) + 1):
        data[f"locations-{i}-count"] = 1
        data[f"locations-{i}-space_type"] = "general"
    data.update(changes)
    return data


def test_alice_edits_her_group_with_a_reason(client, alice, bus_lane):
    log_in(client, alice)
    url = reverse("inventory:group_edit", args=[bus_lane.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(bus_lane, retention="30일", reason="보관기간 단축"))
    assert response.status_code == 302, response.context and (
        response.context["form"].errors,
        response.context["locations"].errors,
    )
    bus_lane.refresh_from_db()
    assert bus_lane.retention == "30일"
    entry = AuditEntry.objects.get(action="inventory.update_device_group")
    assert entry.actor == alice and entry.reason == "보관기간 단축"
    assert entry.details["changes"] == {"retention": ["준영구", "30일"]}


def test_an_edit_without_a_reason_is_refused(client, alice, bus_lane):
    log_in(client, alice)
    response = client.post(
        reverse("inventory:group_edit", args=[bus_lane.pk]), edit_data(bus_lane, retention="30일")
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    bus_lane.refresh_from_db()
    assert bus_lane.retention == "준영구"


def test_an_unlawful_edit_shows_the_rule_on_the_field(client, alice, bus_lane):
    log_in(client, alice)
    data = edit_data(bus_lane, retention="60일", retention_reason="", reason="변경")
    response = client.post(reverse("inventory:group_edit", args=[bus_lane.pk]), data)
    assert response.status_code == 200
    assert "R16" in response.context["form"].errors["retention_reason"][0]
    bus_lane.refresh_from_db()
    assert bus_lane.retention == "준영구"


def test_adding_a_privacy_space_location_is_refused_on_its_row(client, alice, bus_lane):
    log_in(client, alice)
    data = edit_data(bus_lane, reason="위치 추가", count=5)
    data.update(
        {
            "locations-3-key": "toilet",
            "locations-3-name": "공중화장실 내부",
            "locations-3-count": 1,
            "locations-3-space_type": "toilet",
        }
    )
    response = client.post(reverse("inventory:group_edit", args=[bus_lane.pk]), data)
    assert response.status_code == 200
    errors = response.context["locations"].forms[3].errors
    assert "R2" in errors["space_type"][0]
    assert bus_lane.locations.count() == 3


def test_adding_a_location_with_its_count(client, alice, bus_lane):
    log_in(client, alice)
    data = edit_data(bus_lane, reason="위치 추가", count=5)
    data.update(
        {
            "locations-3-key": "jemulpoyeok-cheolgyo",
            "locations-3-name": "제물포역 철교",
            "locations-3-count": 1,
            "locations-3-space_type": "general",
        }
    )
    response = client.post(reverse("inventory:group_edit", args=[bus_lane.pk]), data)
    assert response.status_code == 302
    assert [loc.name for loc in bus_lane.locations.all()][-1] == "제물포역 철교"
    bus_lane.refresh_from_db()
    assert bus_lane.count == 5


def test_a_count_change_warns_that_the_published_totals_are_stale(client, charlie, institution):
    hall = institution.device_groups.get(key="city-hall")
    log_in(client, charlie)
    response = client.post(
        reverse("inventory:group_edit", args=[hall.pk]), edit_data(hall, count=36, reason="증설"), follow=True
    )
    body = response.content.decode()
    assert "고쳤습니다" in body and "공표 합계를 고치세요" in body


def test_R6_a_location_count_not_published_stays_unpublished_through_an_edit(client, charlie, institution):
    hall = institution.device_groups.get(key="city-hall")
    hall.locations.filter(name="승강기").update(count=None)
    log_in(client, charlie)
    detail = client.get(reverse("inventory:group_detail", args=[hall.pk])).content.decode()
    assert "대수 미공개" in detail
    data = edit_data(hall, reason="비고 보완", notes="승강기 대수는 공개 문서에 없음")
    data["locations-1-count"] = ""  # the form shows an unpublished count as an empty box
    response = client.post(reverse("inventory:group_edit", args=[hall.pk]), data)
    assert response.status_code == 302
    assert [(loc.name, loc.count) for loc in hall.locations.all()] == [("청사 내외", 30), ("승강기", None)]


def test_a_count_site_and_storage_place_not_published_show_as_such(client, alice, bus_lane):
    # Issue 16: "not published" is a value — the staff pages say so, never "None대" or a blank.
    bus_lane.count, bus_lane.site, bus_lane.storage_place = None, "", ""
    bus_lane.save(update_fields=["count", "site", "storage_place"])
    log_in(client, alice)
    listing = client.get(reverse("inventory:group_list")).content.decode()
    assert "(대수 미공개 1개 묶음 제외)" in listing and "None" not in listing
    detail = client.get(reverse("inventory:group_detail", args=[bus_lane.pk])).content.decode()
    assert "<td>대수 미공개</td>" in detail and "None" not in detail
    assert '<th scope="row">보관 장소</th><td>미공개</td>' in detail
