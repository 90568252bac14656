"""R33–R35 (시행령 제26조; 오산시 지침 제25조; 군산시 제5조, 금천구 제4조): a contractor's account works
only under a contract in force that records its five clauses; the end is alerted 60 and 30 days before
(군산시's ended on 2024-12-31 and nobody noticed); the whole operation is never outsourced."""

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from jikimi.accounts import actions
from jikimi.accounts.actions import AccountError
from jikimi.accounts.models import Contract, ContractorInspection, Role, RoleGrant
from jikimi.accounts.permissions import Permission, ensure_permission, has_permission
from jikimi.accounts.testing import PASSWORD, log_in, make_institution, make_user, personas
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.lib.clock import SEOUL
from jikimi.rules.people_duties import CONTRACT_CLAUSES

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

ALL_CLAUSES = {clause.key: f"제{n}조" for n, clause in enumerate(CONTRACT_CLAUSES, start=3)}


def _seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture
def clock():
    with time_machine.travel(_seoul(2024, 6, 3, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(clock):
    people = personas()
    people["head"] = make_user("head", Role.CONTROL_HEAD, name="관제센터장", email="head@example.kr")
    people["worker"] = make_user("worker", Role.CONTRACTOR, name="수탁직원")
    return people


def _bob(people):
    return Actor.for_user(people["bob"], "10.0.0.2")


def _gunsan(people, clauses=ALL_CLAUSES, staff=True):
    """군산시 제5조: 교통행정과 감독, 통합관제센터 관제(모니터링), ㈜영창티엠에스, 2024.01.01~2024.12.31."""
    contract = actions.record_contract(
        _bob(people),
        institution=make_institution(),
        contractor_name="㈜영창티엠에스",
        task="통합관제센터 관제(모니터링)",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        clauses=clauses,
    )
    if staff:
        actions.assign_staff(_bob(people), contract, people["worker"])
    return contract


def test_R33_a_contractor_account_works_only_while_its_contract_is_in_force(people, clock):
    worker = people["worker"]
    _gunsan(people)
    assert has_permission(worker, Permission.VIEW_REGISTER)
    clock.move_to(_seoul(2024, 12, 31, 23, 59))
    assert has_permission(worker, Permission.VIEW_REGISTER)
    clock.move_to(_seoul(2025, 1, 1, 0, 1))
    assert not has_permission(worker, Permission.VIEW_REGISTER)
    with pytest.raises(PermissionDenied, match="위탁기간\\(2024-01-01~2024-12-31\\)이 끝났습니다"):
        ensure_permission(worker, Permission.VIEW_REGISTER)
    outcome = actions.attempt_login(
        Actor(user=None, label="익명", client_address="10.0.0.9"), "worker", PASSWORD
    )
    assert outcome.user is None and "위탁기간(2024-01-01~2024-12-31)이 끝났습니다" in outcome.error
    entry = AuditEntry.objects.filter(action="accounts.login_failed").last()
    assert entry.details["cause"] == "contract"


def test_R33_all_five_clauses_must_be_recorded(people):
    worker = people["worker"]
    contract = _gunsan(people, clauses={**ALL_CLAUSES, "liability": ""})
    assert AuditEntry.objects.get(action="accounts.record_contract").details["clauses_missing"] == [
        CONTRACT_CLAUSES[4].label
    ]
    assert not has_permission(worker, Permission.VIEW_REGISTER)
    with pytest.raises(PermissionDenied, match="손해배상 등 책임"):
        ensure_permission(worker, Permission.VIEW_REGISTER)
    actions.update_contract(_bob(people), contract, clause_liability="제12조")
    assert has_permission(worker, Permission.VIEW_REGISTER)
    entry = AuditEntry.objects.get(action="accounts.update_contract")
    assert entry.details == {"clause_liability": ["", "제12조"]}


def test_R33_a_contractor_account_without_a_contract_does_nothing(people):
    assert not has_permission(people["worker"], Permission.VIEW_REGISTER)
    with pytest.raises(PermissionDenied, match="위탁 계약의 직원으로 등록되어 있지 않아"):
        ensure_permission(people["worker"], Permission.VIEW_REGISTER)
    # Released staff are no longer under the contract.
    contract = _gunsan(people)
    assert has_permission(people["worker"], Permission.VIEW_REGISTER)
    actions.release_staff(_bob(people), contract.staff.get())
    assert not has_permission(people["worker"], Permission.VIEW_REGISTER)
    # An official is no contractor: his rights do not depend on any contract.
    assert has_permission(people["alice"], Permission.VIEW_FOOTAGE)


def test_R33_only_contractor_accounts_are_staff(people):
    contract = _gunsan(people, staff=False)
    with pytest.raises(AccountError, match="수탁자"):
        actions.assign_staff(_bob(people), contract, people["alice"])


def test_R33_contract_end_alerted_at_60_and_30_days_once_each(
    people, clock, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people["bob"].email = "bob@example.kr"
    people["bob"].save()
    _gunsan(people)
    system = Actor.system("send_contract_alerts")
    assert actions.send_contract_alerts(system, date(2024, 10, 31)).alerted == []
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.send_contract_alerts(system, date(2024, 11, 1))
    assert report.alerted == ["㈜영창티엠에스 (60일)"]
    # Mailed after the commit to those who manage the institution's contracts.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[지키미] 위탁 계약 종료 60일 전: ㈜영창티엠에스"
    assert sorted(mail.outbox[0].to) == ["bob@example.kr", "head@example.kr"]
    assert "2024-12-31에 끝납니다" in mail.outbox[0].body
    assert actions.send_contract_alerts(system, date(2024, 11, 2)).alerted == []
    assert actions.send_contract_alerts(system, date(2024, 12, 1)).alerted == ["㈜영창티엠에스 (30일)"]
    assert actions.send_contract_alerts(system, date(2024, 12, 2)).alerted == []
    entries = AuditEntry.objects.filter(action="accounts.alert_contract_end").order_by("sequence")
    assert [e.details["days_left"] for e in entries] == [60, 30]
    assert entries[0].details["recipients"] == ["bob", "head"]


def test_R33_the_officer_page_warns_before_the_end_and_after_it(client, people, clock):
    _gunsan(people)
    clock.move_to(_seoul(2024, 12, 1, 10, 0))
    log_in(client, people["bob"])
    page = client.get(reverse("accounts:contract_list")).content.decode()
    assert "위탁 계약 '㈜영창티엠에스'이(가) 2024-12-31에 끝납니다 (30일 남음)" in page
    clock.move_to(_seoul(2025, 1, 2, 10, 0))
    log_in(client, people["bob"])  # a month later: the idle session has ended (R38)
    page = client.get(reverse("accounts:contract_list")).content.decode()
    assert "2024-12-31에 끝났습니다. 수탁자 직원의 계정은 사용할 수 없습니다" in page


def test_R33_contract_pages_record_clauses_staff_and_inspections(client, people):
    log_in(client, people["bob"])
    form = {
        "institution": make_institution().pk,
        "contractor_name": "㈜영창티엠에스",
        "task": "통합관제센터 관제(모니터링)",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        **{f"clause_{key}": where for key, where in ALL_CLAUSES.items()},
    }
    response = client.post(reverse("accounts:contract_create"), form)
    contract = Contract.objects.get()
    assert response.status_code == 302 and contract.clause_liability == "제7조"
    response = client.post(
        reverse("accounts:contract_staff_add", args=[contract.pk]), {"user": people["worker"].pk}
    )
    assert response.status_code == 302 and contract.staff.get().user == people["worker"]
    response = client.post(
        reverse("accounts:contract_inspect", args=[contract.pk]),
        {
            "inspected_on": "2024-06-03",
            "inspected": "관제요원 접속 기록, 영상 반출 여부",
            "findings": "이상 없음",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    inspection = ContractorInspection.objects.get()
    assert inspection.findings == "이상 없음" and inspection.recorded_by == people["bob"]
    page = client.get(reverse("accounts:contract_detail", args=[contract.pk])).content.decode()
    assert "관제요원 접속 기록" in page and "수탁직원 (worker)" in page
    assert page.count("있음") >= 5
    assert AuditEntry.objects.filter(action="accounts.inspect_contractor").count() == 1


def test_R35_no_contract_while_no_official_owns_the_centre(people):
    # Without the head, nobody official holds the control centre's head or an operating head role.
    RoleGrant.objects.filter(user=people["head"]).update(revoked_at=datetime(2024, 6, 1, tzinfo=SEOUL))
    with pytest.raises(AccountError, match="운영 전체를 위탁할 수는 없습니다"):
        _gunsan(people)
    assert not Contract.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.record_contract").exists()


def test_R35_the_last_official_owner_cannot_be_removed_while_outsourcing(people):
    _gunsan(people)
    head_grant = people["head"].role_grants.get()
    with pytest.raises(AccountError, match="운영 전체를 위탁할 수는 없습니다"):
        actions.revoke_role(_bob(people), head_grant, reason="전출")
    with pytest.raises(AccountError, match="운영 전체를 위탁할 수는 없습니다"):
        actions.deactivate_user(_bob(people), people["head"], reason="퇴직")
    with pytest.raises(AccountError, match="운영 전체를 위탁할 수는 없습니다"):
        # Making the head a contractor's employee leaves no official either.
        actions.grant_role(
            _bob(people), people["head"], role=Role.CONTRACTOR, institution=make_institution(), reason="이직"
        )
    head_grant.refresh_from_db()
    people["head"].refresh_from_db()
    assert head_grant.revoked_at is None and people["head"].is_active
    # With another official owner, the head may go.
    make_user("head2", Role.OPERATING_HEAD, name="운영책임자")
    actions.revoke_role(_bob(people), head_grant, reason="전출")


def test_R35_a_contractor_holding_the_head_role_does_not_count(people):
    RoleGrant.objects.filter(user=people["head"]).update(revoked_at=datetime(2024, 6, 1, tzinfo=SEOUL))
    actions.grant_role(
        _bob(people), people["worker"], role=Role.CONTROL_HEAD, institution=make_institution(), reason="x"
    )
    with pytest.raises(AccountError, match="운영 전체를 위탁할 수는 없습니다"):
        _gunsan(people)


def test_R33_contract_pages_are_for_who_manages_contracts(client, people):
    contract = _gunsan(people)
    log_in(client, people["alice"])
    assert client.get(reverse("accounts:contract_list")).status_code == 403
    assert client.get(reverse("accounts:contract_detail", args=[contract.pk])).status_code == 403
    assert has_permission(people["head"], Permission.MANAGE_CONTRACTS)
