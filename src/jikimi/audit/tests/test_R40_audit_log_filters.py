"""The auditor's filters (person, event, target, period) and the log's own page views (R40)."""

from __future__ import annotations

import html
import re

import pytest
from django.db import transaction
from django.urls import reverse

from jikimi.accounts.testing import log_in, personas
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.display import VALUE_CHOICES
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jikimi.audit.tests.urls")]


@pytest.fixture
def people():
    return personas()


def _page(client, **query) -> str:
    response = client.get(reverse("audit:entry_list"), query)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _table(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _select(page: str, name: str) -> dict[str, str]:
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, name
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(1)))


def test_R40_the_person_and_target_type_selects_offer_what_the_reader_may_read(client, people):
    log_in(client, people["auditor"])
    page = _page(client)
    actors = _select(page, "actor")
    assert actors[str(people["auditor"].pk)] == "정감사 (auditor)"
    assert actors["none"] == "계정 없음(시스템·익명)"
    kinds = _select(page, "target_type")
    assert kinds["accounts.User"] == "사용자"  # the model's Korean name, not its code


def test_R40_filter_by_target_type_and_number(client, people):
    log_in(client, people["auditor"])
    table = _table(_page(client, target_type="accounts.User", target=str(people["charlie"].pk)))
    assert "박찰리 (charlie)" in table and "김앨리스" not in table
    assert "accounts.User" not in table  # the kind reads "사용자"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "종료일: 종료일이 시작일보다 앞섭니다."),
        ({"date_from": "2026-13-01"}, "시작일: 시작일은(는) 2026-03-01처럼 연-월-일로 적으십시오."),
        ({"date_to": "어제"}, "종료일: 종료일은(는) 2026-03-01처럼 연-월-일로 적으십시오."),
        ({"target": "가" * 101}, "대상: 대상은(는) 100자 이하로 적으십시오 (지금 101자)."),
        ({"target": "a\x00b"}, "대상: 제어 문자(U+0000)는 쓸 수 없습니다"),
        ({"actor": "999999"}, "행위자: 행위자 목록에 없는 사람입니다. 목록에서 고르십시오."),
        ({"target_type": "nothing.Such"}, "대상 유형: 대상 유형 목록에 없는 값입니다. 목록에서 고르십시오."),
    ],
)
def test_R40_a_bad_filter_is_explained_in_korean_at_its_field(client, people, query, message):
    log_in(client, people["auditor"])
    page = _page(client, **query)
    assert message in page
    assert "__all__" not in page and "Enter a valid" not in page


def test_R40_the_logs_own_page_views_are_hidden_unless_asked_for(client, people):
    log_in(client, people["auditor"])
    for _ in range(3):
        _page(client)
    page = _page(client)
    assert "감사 기록 열람" not in _table(page)
    assert "감사 기록 열람 3건은 빼고 보여 줍니다" in page
    # Each view reads 감사 기록 열람 twice: its event and its reason.
    shown = _table(_page(client, include_views="on"))
    assert shown.count("<td>감사 기록 열람</td>") == 2 * 4
    # Choosing the event itself shows them too.
    assert _table(_page(client, action="audit.view_log")).count("<td>감사 기록 열람</td>") == 2 * 5
    # Each reading is still kept, whole, in the chain (R40: who read which part of the log).
    assert AuditEntry.objects.filter(action="audit.view_log").count() == 6


def test_R40_a_chosen_filter_stays_chosen_on_the_page(client, people):
    log_in(client, people["auditor"])
    page = _page(client, actor=people["auditor"].pk, action="accounts.login", date_from="2026-01-01")
    assert f'<option value="{people["auditor"].pk}" selected>' in page
    assert '<option value="accounts.login" selected>' in page
    assert 'value="2026-01-01"' in page


def test_choice_codes_name_fields_that_exist():
    from django.apps import apps

    for model_label, field in VALUE_CHOICES.values():
        assert apps.get_model(model_label)._meta.get_field(field).choices, (model_label, field)


def test_R40_the_page_shows_no_raw_event_codes(client, people):
    with transaction.atomic():
        record(Actor.system("test"), AuditEvent.VAULT_RECORDER_DOWN, details={"recorder": "녹화기1"})
    log_in(client, people["auditor"])
    table = _table(_page(client))
    assert "녹화기 중지 구간" in table
    assert not re.search(r"\b(accounts|vault|audit|inventory|publishing)\.[a-z_]+\b", table)
