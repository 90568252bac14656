"""The control centre's one menu entry and its front page: the duties a person may reach, and no more;
a person with none is refused (오산시 지침 제3장)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.control.tests.conftest import Room

pytestmark = [pytest.mark.django_db]


def _page(user: object, url: str) -> tuple[int, str]:
    client = Client()
    log_in(client, user)  # type: ignore[arg-type]
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_the_menu_has_one_entry_for_the_centre_and_its_page_lists_the_operators_duties(room: Room) -> None:
    status, page = _page(room.operator, reverse("home"))
    assert status == 200
    menu = page.split('aria-label="주 메뉴"')[1].split("</nav>")[0]
    assert menu.count("통합관제센터") == 1 and reverse("control:index") in menu
    for gone in ("실시간 관제", "관제 사건", "카메라 상태", "교육 이수", "위탁 계약"):
        assert gone not in menu
    status, page = _page(room.operator, reverse("control:index"))
    assert status == 200
    duties = page.split('id="duties"')[1].split("</ul>")[0]
    assert reverse("control:wall") in duties and reverse("control:health") in duties
    assert reverse("control:incidents") in duties
    assert (
        reverse("accounts:contract_list") not in duties
    )  # the operator watches; contracts are the officials'
    assert '<a href="/control/" aria-current="page">통합관제센터</a>' in page


def test_a_person_without_a_duty_in_the_centre_is_refused_and_sees_no_entry() -> None:
    clerk = make_user("clerk", None, name="역할 없는 직원")
    status, page = _page(clerk, reverse("home"))
    assert reverse("control:index") not in page
    status, _ = _page(clerk, reverse("control:index"))
    assert status == 403
