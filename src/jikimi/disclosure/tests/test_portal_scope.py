"""A body's officer sees his own body's cases only (DESIGN.md: investigators reach only their own cases,
through accounts scoped to their body; R36 least privilege): the list, the case page — another body's
case, or another institution's, is not found (404). Staff are refused at the portal, the officer at
every staff page; the case page shows what happened at each step, and no staff-only note."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.actions import deactivate_user, revoke_role
from jikimi.accounts.models import RoleGrant
from jikimi.accounts.testing import log_in
from jikimi.disclosure.models import ProvisionCase
from jikimi.disclosure.portal_views import case_steps
from jikimi.disclosure.tests.portal_world import Portal, office_network, portal
from jikimi.disclosure.tests.provision_world import (
    NOW,
    file_paper_case,
    kst,
    provision_stores,
    pw,
)

__all__ = ["office_network", "portal", "provision_stores", "pw"]


@pytest.fixture
def cases(portal: Portal) -> dict[str, ProvisionCase]:
    pw = portal.pw
    return {
        "own": file_paper_case(pw, letter_number="남동서 형사과-1111"),
        "other": file_paper_case(pw, body=portal.other_police, letter_number="중부서 형사과-2222"),
    }


def test_the_list_shows_his_own_body_s_cases_only(client: Client, portal: Portal, cases: Any) -> None:
    log_in(client, portal.kim)
    page = client.get(reverse("portal:index")).content.decode()
    assert cases["own"].case_number in page and "남동서 형사과-1111" in page
    assert "중부서 형사과-2222" not in page

    log_in(client, portal.lee)
    page = client.get(reverse("portal:index")).content.decode()
    assert "중부서 형사과-2222" in page and "남동서 형사과-1111" not in page


def test_another_body_s_case_is_not_found(client: Client, portal: Portal, cases: Any) -> None:
    log_in(client, portal.kim)
    assert client.get(reverse("portal:case", args=[cases["own"].pk])).status_code == 200
    response = client.get(reverse("portal:case", args=[cases["other"].pk]))
    assert response.status_code == 404 and "중부서 형사과-2222" not in response.content.decode()
    assert client.get(reverse("portal:case", args=[999999])).status_code == 404


def test_the_same_body_name_at_another_institution_sees_nothing(
    client: Client, portal: Portal, cases: Any
) -> None:
    # 광양시's 인천남동경찰서 is another body: its officer sees none of 인천's cases.
    log_in(client, portal.park)
    page = client.get(reverse("portal:index")).content.decode()
    assert "남동서 형사과-1111" not in page
    assert client.get(reverse("portal:case", args=[cases["own"].pk])).status_code == 404


@pytest.mark.parametrize("who", ["bob", "alice", "auditor", "hana"])
def test_staff_are_refused_at_every_portal_page(client: Client, portal: Portal, cases: Any, who: str) -> None:
    # The portal is for requesting officers: staff hold no APPLY_FOR_PROVISION (they work inside).
    log_in(client, getattr(portal.pw, who))
    for url in (
        reverse("portal:index"),
        reverse("portal:apply"),
        reverse("portal:case", args=[cases["own"].pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_the_portal_login(client: Client, portal: Portal, cases: Any) -> None:
    for url in (reverse("portal:index"), reverse("portal:case", args=[cases["own"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize(
    "url",
    [
        "/register/",
        "/vault/",
        "/audit/",
        "/disclosure/",
        "/accounts/users/",
        "/external-accounts/",
        "/external-accounts/new/",
    ],
)
def test_the_officer_is_refused_at_staff_pages(client: Client, portal: Portal, url: str) -> None:
    log_in(client, portal.kim)
    assert client.get(url).status_code == 403


def test_his_home_is_the_portal(client: Client, portal: Portal) -> None:
    log_in(client, portal.kim)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:index")


def test_a_revoked_role_or_a_deactivated_account_closes_the_portal(
    client: Client, portal: Portal, cases: Any
) -> None:
    log_in(client, portal.kim)
    grant = RoleGrant.objects.get(user=portal.kim)
    revoke_role(portal.pw.actor(portal.pw.bob), grant, reason="전보")
    assert client.get(reverse("portal:index")).status_code == 403

    log_in(client, portal.lee)
    deactivate_user(portal.pw.actor(portal.pw.bob), portal.lee, reason="퇴직")
    response = client.get(reverse("portal:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


def test_the_case_page_tells_each_step_and_no_staff_note(client: Client, portal: Portal, cases: Any) -> None:
    case = cases["own"]
    pw = portal.pw
    # The preparer's notes are the institution's own (third parties in the footage, harm to others).
    ProvisionCase.objects.filter(pk=case.pk).update(
        state=ProvisionCase.State.REFUSED,
        prepared_by=pw.dora,
        prepared_at=kst("2026-11-23T15:00"),
        third_parties="행인 김모씨 얼굴 노출",
        harm_assessment="제3자 사생활 침해 우려 큼",
        decided_by=pw.bob,
        decided_at=kst("2026-11-23T16:00"),
        decision_reason="요청 기간에 해당 장소 영상이 수사 목적과 관련이 없음",
    )
    with time_machine.travel(kst(NOW), tick=False):
        log_in(client, portal.kim)
        page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert "요청 접수" in page and "검토" in page and "거부" in page
    assert "요청 기간에 해당 장소 영상이 수사 목적과 관련이 없음" in page  # the refusal's reason is his
    assert "행인 김모씨" not in page and "사생활 침해 우려" not in page
    assert pw.dora.name not in page and pw.bob.name not in page


def test_the_steps_of_a_provided_case() -> None:
    case = ProvisionCase(
        case_number="2026-P0009",
        channel=ProvisionCase.Channel.ONLINE,
        state=ProvisionCase.State.PROVIDED,
        received_at=kst("2026-11-23T14:00"),
        prepared_at=kst("2026-11-23T15:00"),
        decided_at=kst("2026-11-23T16:00"),
        approval_kind=ProvisionCase.ApprovalKind.PRIVACY_OFFICER,
        delivery=ProvisionCase.Delivery.PACKAGE,
        provided_at=kst("2026-11-24T10:00"),
        use_period="수사 종결 시까지",
    )
    steps = {step.label: step for step in case_steps(case)}
    assert steps["승인"].done and steps["승인"].text == "총괄책임관 승인"
    assert steps["제공"].done and "수사 종결 시까지" in steps["제공"].text
    assert not steps["인수증 서명"].done and not steps["파기 통보"].done and not steps["종결"].done


def _hand_over_a_package(case: ProvisionCase, by: Any, tmp_path: Any) -> None:
    """The package as the handover leaves it: sealed in the store, open for a week (actions tested in
    test_provision_delivery; here the portal's door)."""
    from datetime import timedelta

    from django.utils import timezone

    from jikimi.disclosure.masked_files import seal_file
    from jikimi.disclosure.models import ProvisionDelivery

    archive = tmp_path / "package.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    sealed = seal_file(archive, f"provision-{case.pk}")
    now = timezone.now()
    ProvisionDelivery.objects.create(
        case=case,
        kind=ProvisionDelivery.Kind.PACKAGE,
        object_name=sealed.object_name,
        key_id=sealed.key_id,
        wrapped_key=sealed.wrapped_key,
        file_name=f"{case.case_number}.zip",
        sha256=sealed.sha256,
        size=sealed.size,
        expires_at=now + timedelta(days=7),
        handed_over_at=now,
        created_by=by,
    )
    ProvisionCase.objects.filter(pk=case.pk).update(
        state=ProvisionCase.State.PROVIDED, delivery=ProvisionCase.Delivery.PACKAGE, provided_at=now
    )


def test_the_package_is_downloaded_from_the_own_body_s_case_page_only_and_each_download_is_audited(
    client: Client, portal: Portal, cases: Any, tmp_path: Any
) -> None:
    from jikimi.audit.models import AuditEntry

    with time_machine.travel(kst(NOW), tick=False):
        for case in cases.values():
            _hand_over_a_package(case, portal.pw.alice, tmp_path)
        log_in(client, portal.kim)
        page = client.get(reverse("portal:case", args=[cases["own"].pk])).content.decode()
        link = reverse("portal:package", args=[cases["own"].pk])
        assert f'href="{link}"' in page and "암호화 사본 내려받기" in page
        response = client.get(link)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
        # Another body's package is not found, and nothing is recorded for the attempt.
        assert client.get(reverse("portal:package", args=[cases["other"].pk])).status_code == 404
    downloads = AuditEntry.objects.filter(action="disclosure.download_copy")
    assert [entry.target_id for entry in downloads] == [str(cases["own"].pk)]
