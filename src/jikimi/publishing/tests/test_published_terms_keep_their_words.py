"""Issue 16, real wording is kept: 촬영시간 and 보관기간 as the institution publishes them ("산불기간",
"단속기간 내", "촬영일로부터 30일") import, print verbatim, and carry a machine meaning where they have
one; where they have none, the import and the register page say so, and the machine does what is safe
(records only when triggered; destroys after the law's 30 days, R16) until the officer states one."""

from __future__ import annotations

import html
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.accounts.models import Role
from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.context import Actor
from jikimi.inventory.actions import import_register
from jikimi.inventory.device_terms import terms_of
from jikimi.inventory.models import PolicyDocument
from jikimi.inventory.register_file import export_register
from jikimi.inventory.tests.conftest import small_text
from jikimi.publishing.content import document_text
from jikimi.publishing.rendering import live_content

CITY_HALL_TERMS = "    recording_hours: 24시간\n    retention: 7일\n"


def worded(recording_hours: str, retention: str, extra: str = "") -> str:
    """The small register with the city-hall group's terms as another institution publishes them."""
    text = small_text()
    assert CITY_HALL_TERMS in text
    return text.replace(
        CITY_HALL_TERMS,
        f"    recording_hours: {recording_hours}\n    retention: {retention}\n{extra}",
    )


def policy_text(institution) -> str:
    """The policy of the register under the default structure (small.yaml's own has no table of terms)."""
    PolicyDocument.objects.filter(institution=institution).update(sections=[])
    return document_text(live_content(institution))


def run_import(text: str, tmp_path) -> tuple[str, str]:
    path = tmp_path / "worded.yaml"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_register", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("hours", ["산불기간", "단속기간 내", "강우시에만", "필요시", "24시간"])
@pytest.mark.parametrize("retention", ["촬영일로부터 30일", "30일 이내", "30일"])
def test_real_wording_imports_and_is_printed_verbatim(tmp_path, hours, retention):
    run_import(worded(hours, retention), tmp_path)
    result = import_register(Actor.system("test"), worded(hours, retention), "worded.yaml", dry_run=True)
    group = result.institution.device_groups.get(key="city-hall")
    assert (group.recording_hours, group.retention) == (hours, retention)
    text = policy_text(result.institution)
    assert hours in text and retention in text


@pytest.mark.django_db
def test_a_phrase_with_a_machine_meaning_gives_it_to_the_recorder_and_retention(tmp_path):
    run_import(worded("강우시에만", "촬영일로부터 30일"), tmp_path)
    result = import_register(
        Actor.system("test"), worded("강우시에만", "촬영일로부터 30일"), "w.yaml", dry_run=True
    )
    assert result.unread_phrases == []
    group = result.institution.device_groups.get(key="city-hall")
    assert terms_of(group, None) == ("촬영일로부터 30일", "강우시에만")


@pytest.mark.django_db
def test_phrases_without_meaning_are_listed_on_import_and_never_become_24_hours(tmp_path):
    _out, err = run_import(worded("산불기간", "저장용량 범위 내"), tmp_path)
    assert "기계가 읽을 뜻이 없는 공개 문구 2건" in err
    assert "'청사 방범 CCTV'의 촬영시간 '산불기간'" in err and "recording_schedule" in err
    assert "'청사 방범 CCTV'의 보관기간 '저장용량 범위 내'" in err and "retention_days" in err
    assert "worded.yaml:" in err  # with the file and line
    result = import_register(
        Actor.system("test"), worded("산불기간", "저장용량 범위 내"), "w.yaml", dry_run=True
    )
    group = result.institution.device_groups.get(key="city-hall")
    # What the recorder and the sweep use meanwhile: only opened windows, and the law's 30 days (R16).
    assert terms_of(group, None) == ("30일", "필요시")
    text = policy_text(result.institution)
    assert "산불기간" in text and "저장용량 범위 내" in text


@pytest.mark.django_db
def test_a_locations_phrase_is_listed_with_the_location(tmp_path):
    text = worded("24시간", "7일").replace(
        "{key: yulmokdong-yudong3geori, name: 율목동 유동3거리, count: 1}",
        "{key: yulmokdong-yudong3geori, name: 율목동 유동3거리, count: 1, recording_hours: 단속기간 내}",
    )
    _out, err = run_import(text, tmp_path)
    assert "'버스전용차로 단속 CCTV'의 위치 '율목동 유동3거리'의 촬영시간 '단속기간 내'" in err


@pytest.mark.django_db
def test_the_stated_meaning_is_used_exported_and_round_trips(tmp_path):
    stated = "    recording_schedule: 매일 09:00~18:00\n    retention_days: 14\n"
    text = (
        worded("산불기간", "저장용량 범위 내")
        .replace(
            "    recording_hours: 산불기간\n",
            "    recording_hours: 산불기간\n    recording_schedule: 매일 09:00~18:00\n",
        )
        .replace(
            "    retention: 저장용량 범위 내\n", "    retention: 저장용량 범위 내\n    retention_days: 14\n"
        )
    )
    assert "recording_schedule" in text and stated.splitlines()[1].strip() in text
    _out, err = run_import(text, tmp_path)
    assert "기계가 읽을 뜻이 없는" not in err
    result = import_register(Actor.system("test"), text, "w.yaml")
    group = result.institution.device_groups.get(key="city-hall")
    assert (group.recording_schedule, group.retention_days) == ("매일 09:00~18:00", 14)
    assert terms_of(group, None) == ("14일", "매일 09:00~18:00")
    # The policy prints the published words only.
    printed = policy_text(result.institution)
    assert "산불기간" in printed and "09:00~18:00" not in printed
    first = export_register(result.institution)
    assert "recording_schedule: 매일 09:00~18:00" in first and "retention_days: 14" in first
    again = import_register(Actor.system("test"), first, "w.yaml").institution
    assert export_register(again) == first


@pytest.mark.django_db
def test_an_unreadable_stated_schedule_is_refused_with_its_line(tmp_path):
    from jikimi.inventory.register_file import RegisterFileError

    text = worded("산불기간", "7일", "    recording_schedule: 가끔\n")
    with pytest.raises(RegisterFileError) as refused:
        import_register(Actor.system("test"), text, "w.yaml")
    assert "recording_schedule" in str(refused.value) and "가끔" in str(refused.value)


@pytest.mark.django_db
def test_the_register_page_lists_the_phrases_without_meaning(client, tmp_path):
    run_import(worded("산불기간", "7일"), tmp_path)
    result = import_register(Actor.system("test"), worded("산불기간", "7일"), "w.yaml", dry_run=True)
    institution = result.institution
    officer = make_user("kim", Role.PRIVACY_OFFICER, institution=institution)
    log_in(client, officer)
    page = html.unescape(
        client.get(reverse("inventory:register_home", args=[institution.pk])).content.decode()
    )
    assert 'id="unread-phrases"' in page and "'청사 방범 CCTV'의 촬영시간 '산불기간'" in page
