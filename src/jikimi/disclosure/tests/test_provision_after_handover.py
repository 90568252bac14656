"""The handover (deliver's provide_footage) settles the duties after a provision: the destroy-by date
the recipient is held to, and the 30 days to publish from the ground (법 제18조④, R31) — none for
item 7 (범죄의 수사와 공소)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jikimi.disclosure.actions.provision_delivery import HandoverRefused, provide_footage
from jikimi.disclosure.models import ProvisionCase
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    immediate_huey,
    officer_actor,
    private_vault,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.provision_delivery_world import (  # noqa: F401 (fixtures)
    CLOCK,
    Provision,
    approve_case,
    handover,
    provision_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_huey")]


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK + timedelta(minutes=10), tick=True):
        yield


def _view_on_site(provision: Provision, ground: str, **changes: Any) -> ProvisionCase:
    case = provision.case
    case.legal_ground = ground
    case.save(update_fields=["legal_ground"])
    approve_case(case, provision.privacy_officer, original_reason="현장에서 원본 확인 필요")
    now = timezone.now()
    return provide_footage(
        officer_actor(provision.officer),
        case,
        handover(
            delivery=ProvisionCase.Delivery.ON_SITE,
            original=True,
            viewed_from=now - timedelta(minutes=30),
            viewed_until=now - timedelta(minutes=5),
            viewing_place="교통행정과 열람실",
            viewers="경위 이수사",
            **changes,
        ),
    )


@pytest.mark.parametrize(("ground", "days"), [("8", 30), ("7", None)])
def test_the_handover_sets_the_publication_deadline_from_the_ground(
    provision: Provision, ground: str, days: int | None
) -> None:
    case = _view_on_site(provision, ground)
    case.refresh_from_db()
    day = timezone.localtime(case.provided_at).date()
    assert case.state == ProvisionCase.State.PROVIDED
    assert case.destroy_by == timezone.localdate() + timedelta(days=180)
    assert case.publish_by == (day + timedelta(days=days) if days else None)


def test_a_destroy_by_date_years_away_is_refused_at_the_handover(provision: Provision) -> None:
    with pytest.raises(HandoverRefused, match="날짜를 확인하세요") as refused:
        _view_on_site(provision, "8", destroy_by=timezone.localdate() + timedelta(days=3000))
    assert refused.value.field == "destroy_by"
    provision.case.refresh_from_db()
    assert provision.case.state == ProvisionCase.State.APPROVED and provision.case.publish_by is None
