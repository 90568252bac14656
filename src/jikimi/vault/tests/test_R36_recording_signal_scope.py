"""R36: the recording signal API (POST /api/vault/recording/start|stop) authorizes before it answers.

Found by the access matrix (web/tests/test_R36_access_matrix.py): the group was looked up among every
institution's groups before the permission check, so an officer of another department got a 400
listing every group of every institution instead of a 403, and a key that two institutions share
("bus-lane", as real registers have it) named no group at all, even for its own officer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_group, make_institution, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bus_lanes() -> dict[str, Any]:
    incheon, gwangyang = make_institution(), make_institution("gwangyang", "광양시")
    return {
        "ours": make_group(
            "교통행정과", "bus-lane", incheon, name="인천 버스전용차로", recording_hours="강우시에만"
        ),
        "theirs": make_group("교통행정과", "bus-lane", gwangyang, name="광양 버스전용차로"),
        "alice": make_user("alice", "officer", incheon, departments=["교통행정과"]),
        "charlie": make_user("charlie", "officer", incheon, departments=["총무과"]),
    }


def _signal(client: Any, group: str) -> Any:
    return client.post(
        reverse("api:recording_start"),
        {"group": group, "reason": "강우 감지"},
        content_type="application/json",
    )


def test_a_key_two_institutions_share_names_the_callers_own_group(
    client: Any, two_bus_lanes: dict[str, Any]
) -> None:
    log_in(client, two_bus_lanes["alice"])
    response = _signal(client, "bus-lane")
    assert response.status_code == 200, response.content
    assert response.json()["device_group"] == "bus-lane"


def test_an_officer_of_another_department_is_refused_and_told_nothing_of_other_groups(
    client: Any, two_bus_lanes: dict[str, Any]
) -> None:
    log_in(client, two_bus_lanes["charlie"])
    for asked in ("bus-lane", "광양 버스전용차로", "no-such-group"):
        response = _signal(client, asked)
        assert response.status_code == 403, (asked, response.content)
        text = response.content.decode()
        assert "버스전용차로" not in text.replace(asked, ""), text
