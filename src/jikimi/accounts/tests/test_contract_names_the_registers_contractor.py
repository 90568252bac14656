"""A contract names the register's 위탁 (inventory.Contractor) of the same contractor where the register
has one (시행령 제26조: the contract of record and the register's line that the policy publishes are
one 위탁), so that a contract missing from the register — or a register line without a contract —
shows on the contract's page."""

from __future__ import annotations

from datetime import date

import pytest

from jikimi.accounts import actions
from jikimi.accounts.testing import make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.inventory.models import Contractor
from jikimi.rules.people_duties import CONTRACT_CLAUSES

pytestmark = [pytest.mark.django_db]
CLAUSES = {clause.key: f"제{n}조" for n, clause in enumerate(CONTRACT_CLAUSES, start=1)}


def _contract(institution, name: str, head: str = "head"):  # type: ignore[no-untyped-def]
    actor = Actor.for_user(make_user(head, "control_head", institution=institution), "10.0.0.2")
    return actor, actions.record_contract(
        actor,
        institution=institution,
        contractor_name=name,
        task="통합관제센터 관제(모니터링)",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        clauses=CLAUSES,
    )


def test_a_contract_names_the_registers_contractor_of_the_same_company() -> None:
    institution = make_institution()
    listed = Contractor.objects.create(
        institution=institution, key="yct", task="관제(모니터링)", company="㈜ 영창티엠에스"
    )
    _, contract = _contract(institution, "㈜영창티엠에스")
    assert contract.contractor == listed  # the spacing of "㈜ 영창" is no difference
    actor, other = _contract(institution, "㈜누리시큐리티", head="head2")
    assert other.contractor is None  # not in the register: the page says so
    other = actions.update_contract(actor, other, contractor_name="㈜영창티엠에스", reason="수탁자 정정")
    assert other.contractor == listed
    # Another institution's register is not this contract's.
    elsewhere = make_institution(slug="osan", name="오산시")
    _, theirs = _contract(elsewhere, "㈜영창티엠에스", head="osan-head")
    assert theirs.contractor is None
