"""R48, 오산시 지침 제28조 and 제25조④: whoever can see footage is trained first — contractors included.

A course is required of the holders of its roles; while one is missing or lapsed, the account's footage
permissions are refused everywhere (has_permission, the scoped queries, every footage page) with a
Korean reason naming the course. Other permissions stay.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from jikimi.accounts import actions
from jikimi.accounts.actions import AccountError
from jikimi.accounts.models import Role
from jikimi.accounts.permissions import (
    Permission,
    device_groups_for,
    ensure_permission,
    has_permission,
)
from jikimi.accounts.testing import log_in, make_group, make_institution, make_user, personas
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.lib.clock import SEOUL
from jikimi.rules.people_duties import CONTRACT_CLAUSES

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def clock():
    with time_machine.travel(DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(clock):
    return personas()


def _bob(people):
    return Actor.for_user(people["bob"], "10.0.0.2")


def _course(people, roles=(Role.OFFICER,), months=12, name="영상정보 보호 교육"):
    return actions.add_course(
        _bob(people), institution=make_institution(), name=name, roles=roles, validity_months=months
    )


def test_R48_without_any_course_nothing_is_gated(people):
    # An institution that has not declared its courses yet: the training page says so (page test below).
    assert has_permission(people["alice"], Permission.VIEW_FOOTAGE)


def test_R48_footage_refused_until_the_required_course_is_recorded(people):
    group = make_group("교통행정과", "bus-lane")
    course = _course(people)
    alice = people["alice"]
    assert not has_permission(alice, Permission.VIEW_FOOTAGE)
    assert not has_permission(alice, Permission.VIEW_FOOTAGE, device_group=group)
    assert not device_groups_for(alice, Permission.VIEW_FOOTAGE).exists()
    # Only footage: the register and the other duties of her role stay.
    assert has_permission(alice, Permission.VIEW_REGISTER)
    assert has_permission(alice, Permission.HANDLE_REQUESTS)
    with pytest.raises(PermissionDenied, match="'영상정보 보호 교육'\\(미이수\\).*제28조"):
        ensure_permission(alice, Permission.VIEW_FOOTAGE, device_group=group)

    actions.record_training(
        _bob(people), course=course, user=alice, completed_on=date(2026, 3, 2), evidence="수료증 제12호"
    )
    assert has_permission(alice, Permission.VIEW_FOOTAGE, device_group=group)
    entry = AuditEntry.objects.get(action="accounts.record_training")
    assert entry.actor == people["bob"] and entry.target_id == str(alice.pk)
    assert entry.details == {
        "course": "영상정보 보호 교육",
        "username": "alice",
        "completed_on": "2026-03-02",
        "evidence": "수료증 제12호",
    }


def test_R48_a_lapsed_completion_suspends_and_a_new_one_restores(people, clock):
    course = _course(people, months=12)
    alice = people["alice"]
    actions.record_training(
        _bob(people), course=course, user=alice, completed_on=date(2026, 3, 2), evidence="수료증 제12호"
    )
    clock.move_to(datetime(2027, 3, 1, 23, 0, tzinfo=SEOUL))  # the last valid day
    assert has_permission(alice, Permission.VIEW_FOOTAGE)
    clock.move_to(datetime(2027, 3, 2, 0, 30, tzinfo=SEOUL))
    assert not has_permission(alice, Permission.VIEW_FOOTAGE)
    with pytest.raises(PermissionDenied, match="유효기간 만료, 2027-03-01까지 유효했음"):
        ensure_permission(alice, Permission.VIEW_FOOTAGE)
    actions.record_training(
        _bob(people), course=course, user=alice, completed_on=date(2027, 3, 2), evidence="수료증 제40호"
    )
    assert has_permission(alice, Permission.VIEW_FOOTAGE)


def test_R48_only_the_roles_of_the_course_and_only_footage_roles_are_gated(people):
    _course(people, roles=(Role.AUDITOR,), name="감사자 교육")
    # alice (officer) is not required to take the auditor's course; the auditor sees no footage.
    assert has_permission(people["alice"], Permission.VIEW_FOOTAGE)
    assert has_permission(people["auditor"], Permission.READ_AUDIT)


def test_R48_contractors_included(people):
    """오산시 지침 제25조④: a contractor's employee given footage access takes the course too."""
    institution = make_institution()
    make_user("head", Role.CONTROL_HEAD, name="관제센터장")  # R35: an official owns the centre
    worker = make_user("worker", Role.CONTRACTOR, name="수탁직원")
    actions.grant_role(
        _bob(people), worker, role=Role.OFFICER, institution=institution, reason="관제 영상 확인 업무"
    )
    contract = actions.record_contract(
        _bob(people),
        institution=institution,
        contractor_name="㈜영창티엠에스",
        task="통합관제센터 관제(모니터링)",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        clauses={clause.key: "제5조" for clause in CONTRACT_CLAUSES},
    )
    actions.assign_staff(_bob(people), contract, worker)
    assert has_permission(worker, Permission.VIEW_FOOTAGE)
    course = _course(people, roles=(Role.CONTRACTOR,), name="수탁자 보안 교육")
    assert not has_permission(worker, Permission.VIEW_FOOTAGE)
    assert has_permission(worker, Permission.VIEW_REGISTER)
    actions.record_training(
        _bob(people), course=course, user=worker, completed_on=date(2026, 3, 2), evidence="교육 확인서"
    )
    assert has_permission(worker, Permission.VIEW_FOOTAGE)


def test_R48_nobody_records_his_own_training_nor_a_future_one(people):
    course = _course(people, roles=(Role.PRIVACY_OFFICER,))
    with pytest.raises(AccountError, match="자기 자신"):
        actions.record_training(
            _bob(people), course=course, user=people["bob"], completed_on=date(2026, 3, 1), evidence="x"
        )
    with pytest.raises(AccountError, match="오늘보다 뒤"):
        actions.record_training(
            _bob(people), course=course, user=people["alice"], completed_on=date(2026, 3, 3), evidence="x"
        )
    assert not AuditEntry.objects.filter(action="accounts.record_training").exists()


def test_R48_a_footage_page_refuses_with_the_missing_course(client, people):
    _course(people)
    log_in(client, people["alice"])
    response = client.get(reverse("vault:playback_new", args=[1]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "필수 교육을 이수하지 않아 영상 열람 권한이 정지되어 있습니다" in text
    assert "영상정보 보호 교육" in text


def test_R48_the_officer_sees_who_is_suspended_why_and_until_when(client, people, clock):
    course = _course(people, months=12)
    actions.record_training(
        _bob(people), course=course, user=people["charlie"], completed_on=date(2025, 3, 20), evidence="수료증"
    )
    log_in(client, people["bob"])
    page = client.get(reverse("accounts:training")).content.decode()
    # alice: never trained → 정지; charlie: valid until 2026-03-19, 17 days away → 만료 임박.
    assert "김앨리스 (alice)" in page and "정지: 영상정보 보호 교육(미이수)" in page
    assert "2026-03-19까지 유효" in page and "가능(만료 임박)" in page


def test_R48_courses_and_completions_by_the_page(client, people):
    log_in(client, people["bob"])
    empty = client.get(reverse("accounts:training")).content.decode()
    assert "등록된 교육 과정이 없어" in empty
    response = client.post(
        reverse("accounts:course_create"),
        {
            "institution": make_institution().pk,
            "name": "영상정보 보호 교육",
            "roles": [Role.OFFICER, Role.OPERATOR],
            "validity_months": 12,
        },
    )
    assert response.status_code == 302
    course = people["bob"].institution.courses.get()
    assert course.roles == ["officer", "operator"]
    response = client.post(
        reverse("accounts:training_record"),
        {"user": people["alice"].pk, "course": course.pk, "completed_on": "2026-03-02", "evidence": ""},
    )
    assert response.status_code == 400 and "증빙" in response.content.decode()
    response = client.post(
        reverse("accounts:training_record"),
        {"user": people["alice"].pk, "course": course.pk, "completed_on": "2026-03-02", "evidence": "출석부"},
    )
    assert response.status_code == 302
    assert has_permission(people["alice"], Permission.VIEW_FOOTAGE)


def test_R48_the_training_pages_are_for_who_manages_training(client, people):
    log_in(client, people["alice"])
    assert client.get(reverse("accounts:training")).status_code == 403
