"""The frame of every page, after KRDS's government-site pattern: a skip link, a header naming the
institution that runs the 누리집, the main menu with the current section marked, a breadcrumb the
page fills, and a footer with the institution's contacts, its policy and the KRDS identifier
("이 누리집은 ○○ 누리집입니다")."""

from __future__ import annotations

import re
from datetime import date

import pytest

from jikimi.accounts.testing import log_in, make_group, make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.inventory.models import Institution
from jikimi.publishing.actions import publish_policy

pytestmark = [pytest.mark.django_db]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_public_page_names_the_institution_that_runs_the_site_and_how_to_reach_it(client):
    institution = make_institution()
    Institution.objects.filter(pk=institution.pk).update(
        address="인천광역시 남동구 정각로 29", phone="032-120"
    )
    page = text(client.get("/accounts/login/"))
    assert '<div id="krds-skip-link"><a href="#container">본문 바로가기</a></div>' in page
    assert '<span class="jk-brand-name">인천광역시</span>' in page
    assert "인천광역시 남동구 정각로 29" in page and "대표전화 032-120" in page
    assert "이 누리집은 인천광역시 누리집입니다." in page
    # Its policy is not published yet: nothing links to pages that answer 404 (R5).
    assert f'href="/policy/{institution.slug}/"' not in page
    publish_policy(
        Actor.system("test"),
        institution,
        date(2026, 11, 1),
        date(2026, 11, 10),
        "최초 공개",
        check_permission=False,
    )
    page = text(client.get("/accounts/login/"))
    assert f'href="/policy/{institution.slug}/" class="point">영상정보처리기기 운영·관리방침' in page
    assert f'href="/policy/{institution.slug}/signs/"' in page
    # No page fills the login's breadcrumb: the trail shows only 홈, and the CSS hides it.
    assert re.search(r'<ol class="breadcrumb"> <li class="home">.*?</li> </ol>', page)


def test_a_server_of_several_institutions_names_none_to_a_stranger(client):
    make_institution()
    make_institution(slug="osan", name="오산시")
    page = text(client.get("/accounts/login/"))
    assert '<span class="jk-brand-name">지킴이</span>' in page
    assert "이 누리집은" not in page


def test_staff_pages_mark_the_current_section_and_fill_the_breadcrumb(client):
    institution = make_institution()
    make_institution(slug="osan", name="오산시")
    admin = make_user("admin", "administrator", institution=institution, name="관리자")
    log_in(client, admin)
    page = text(client.get("/accounts/users/"))
    assert '<a href="/accounts/users/" aria-current="page">계정·권한</a>' in page
    assert page.count('aria-current="page"') == 1
    assert '<span class="jk-user">관리자님</span>' in page
    # The signed-in person's institution, though the server holds two.
    assert "이 누리집은 인천광역시 누리집입니다." in page
    crumbs = text(client.get(f"/accounts/users/{admin.pk}/"))
    assert '<a href="/accounts/users/" class="txt">계정·권한</a></li><li><span class="txt">' in crumbs
    missing = text(client.get("/accounts/users/999999/"))
    assert '<li><span class="txt">찾을 수 없음</span></li>' in missing


def test_register_and_vault_pages_have_one_trail_from_home(client):
    group = make_group("교통행정과", "bus-lane")
    officer = make_user("alice", "officer", institution=group.institution, departments=["교통행정과"])
    log_in(client, officer)
    for url, crumbs in (
        (f"/register/groups/{group.pk}/", ["홈", "설치·운영 현황", group.name]),
        ("/vault/coverage/", ["홈", "영상 보관", "존재확인"]),
    ):
        page = client.get(url).content.decode()
        assert page.count('class="breadcrumb"') == 1, url
        trail = page[page.index('class="breadcrumb"') : page.index("</ol>", page.index('class="breadcrumb"'))]
        assert re.findall(r'class="txt">([^<]+)<', trail) == crumbs, url
