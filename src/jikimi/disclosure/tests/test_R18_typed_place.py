"""A request that names its place only in words (issue 13: "설치장소 chosen on the institution's own list
of sites or typed") holds no footage until an officer says which sites it means (R18, R20, R36).

Until then the request's page says why no footage is found or held; once an officer gives the sites —
one action with its audit entry, the typed text kept — the legal hold is placed as at intake (the
window ± the margin), so a request filed on day 29 of a 30-day retention still has its footage after
the retention sweep, and the existence check and the masked copy work as for a chosen site. An officer
gives only sites of the groups they handle; bad input is a Korean error naming the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_group
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.places import resolve_place
from jikimi.disclosure.models import PlaceResolution, SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.disclosure.tests.intake_world import SETUP, World, kst
from jikimi.disclosure.tests.page_forms import form_on
from jikimi.disclosure.tests.test_intake_hold import (
    CLOCK_CONFIRMED,
    SYSTEM,
    file_on,
    held_bytes,
    record_segment,
)
from jikimi.inventory.models import Location
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import DayKey, HeldSegment, LegalHold

TYPED = "시청 정문 근처 횡단보도"


def typed_request(client: Any, intake_world: World, moment: str, **changes: Any) -> SubjectRequest:
    response = file_on(client, intake_world, moment, locations=[], place_text=TYPED, **changes)
    assert response.status_code == 200, response.content.decode()
    return SubjectRequest.objects.get()


def test_a_typed_place_given_its_site_keeps_its_footage_through_the_sweep(client, intake_world: World):
    footage = record_segment(intake_world, "2026-11-01T09:10")
    request = typed_request(
        client,
        intake_world,
        "2026-11-30T10:00",
        period_start="2026-11-01T09:00",
        period_end="2026-11-01T09:30",
    )
    assert not LegalHold.objects.exists()  # intake could hold nothing: no device is named

    officer = Client()
    page_url = reverse("disclosure:request", args=[request.pk])
    with time_machine.travel(kst("2026-11-30T11:00"), tick=False):
        log_in(officer, intake_world.officer)
        listed = officer.get(reverse("disclosure:index")).content.decode()
        assert "설치장소 지정 필요" in listed
        page = officer.get(page_url).content.decode()
        # Until the place is given its sites, the page says why nothing is found or held.
        assert "설치장소가 지정되지 않았습니다" in page and "분리 보관(법적 보존)하지 못했고" in page
        assert TYPED in page and "설치장소를 지정한 뒤에 마스킹 사본을 만들 수 있습니다" in page
        values, _ = form_on(page, reverse("disclosure:resolve_place", args=[request.pk]))
        assert "locations" not in values  # nothing chosen yet: the officer picks

        done = officer.post(
            reverse("disclosure:resolve_place", args=[request.pk]),
            {"locations": [str(intake_world.gate.pk)], "note": "첨부 약도로 확인"},
            follow=True,
        )
        assert "설치장소 지정 필요" not in officer.get(reverse("disclosure:index")).content.decode()
    assert done.status_code == 200
    page = done.content.decode()
    assert "직접 입력한 장소를 시청 정문 앞(으)로 지정하고 그 영상 1건을 분리 보관했습니다." in page
    assert "설치장소가 지정되지 않았습니다" not in page
    # The existence check now reads the site's camera, and the masking panel is offered.
    assert "시청 정문 앞 / 정문 1번" in page and reverse("disclosure:masking", args=[request.pk]) in page

    request.refresh_from_db()
    assert request.place_text == TYPED and list(request.locations.all()) == [intake_world.gate]
    resolution = PlaceResolution.objects.get()
    assert (resolution.place_text, resolution.note, resolution.holds) == (TYPED, "첨부 약도로 확인", 1)
    assert resolution.resolved_by == intake_world.officer
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_RESOLVE_PLACE)
    assert entry.actor_id == intake_world.officer.pk and entry.target_id == str(request.pk)
    assert {k: v for k, v in entry.details.items() if k != "clock_behind"} == {
        "receipt_number": request.receipt_number,
        "place_text": TYPED,
        "locations": ["시청 정문 앞"],
        "holds": 1,
    }
    hold = LegalHold.objects.get()
    margin = timedelta(minutes=30)  # JIKIMI_REQUEST_HOLD_MARGIN_MINUTES, as at intake
    assert hold.case_reference == request.hold_reference and hold.device == intake_world.gate_camera
    assert (hold.start, hold.end) == (request.period_start - margin, request.period_end + margin)

    with time_machine.travel(kst("2026-12-02T03:00"), tick=False):
        enforce_retention(SYSTEM, clock_confirmed=CLOCK_CONFIRMED)
    assert DayKey.objects.get(device=intake_world.gate_camera).wrapped_key is None  # R17: on time
    (copy,) = HeldSegment.objects.filter(hold__case_reference=request.hold_reference)
    assert held_bytes(copy) == footage  # R18: the footage the request meant was kept


def test_bad_input_is_a_korean_error_and_nothing_is_saved(client, intake_world: World):
    request = typed_request(client, intake_world, "2026-11-23T12:00")
    url = reverse("disclosure:resolve_place", args=[request.pk])
    officer = Client()
    log_in(officer, intake_world.officer)
    for posted, error in (
        ({"note": "약도 확인"}, "설치장소: 직접 입력한 장소에 해당하는 설치장소를 하나 이상 고르세요"),
        ({"locations": ["abc"], "note": "약도 확인"}, "설치장소: 설치장소를 목록에서 고르세요"),
        ({"locations": ["999999"], "note": "약도 확인"}, "설치장소: 고를 수 없는 설치장소입니다"),
        ({"locations": [str(intake_world.gate.pk)], "note": "x" * 301}, "지정 근거:"),
    ):
        response = officer.post(url, posted)
        page = response.content.decode()
        assert response.status_code == 400, posted
        assert error in page and "저장하지 않았습니다" in page, (posted, page[-3000:])
        values, errors = form_on(page, url)
        assert values.get("note") == [posted["note"]], values  # typed, still there
        assert errors
    assert not PlaceResolution.objects.exists() and not LegalHold.objects.exists()
    assert not request.locations.exists()
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_RESOLVE_PLACE).exists()


def test_the_action_refuses_what_has_nothing_to_resolve(client, intake_world: World):
    actor = Actor.for_user(intake_world.officer, "127.0.0.1")
    chosen = make_request(intake_world.institution, locations=[intake_world.gate])
    with pytest.raises(RequestError, match="직접 입력한 설치장소가 없습니다"):
        resolve_place(actor, chosen, [intake_world.park])
    typed = make_request(intake_world.institution, place_text=TYPED, state=SubjectRequest.State.CLOSED)
    with pytest.raises(RequestError, match="'종결' 상태라 설치장소를 지정할 수 없습니다"):
        resolve_place(actor, typed, [intake_world.gate])
    assert not PlaceResolution.objects.exists()


def test_an_officer_gives_only_sites_of_their_own_groups(desk: Desk):
    lot = Location.objects.create(device_group=desk.traffic, key="lot", name="후문 주차장")
    add_device(SETUP, desk.traffic, "후문 1번", location=lot)
    # Named on the list: 교통행정과's gate; and a place typed beside it.
    request = make_request(desk.institution, locations=[desk.gate], place_text="후문 쪽 주차장 출구")
    url = reverse("disclosure:resolve_place", args=[request.pk])
    alice = Client()
    log_in(alice, desk.alice)
    page = alice.get(reverse("disclosure:request", args=[request.pk])).content.decode()
    assert "후문 주차장 (교통행정과" in page and "본관 현관" not in page.split('id="place-heading"', 1)[1]

    # 총무과's hall is not hers to give: refused at the form, and by the action itself.
    refused = alice.post(url, {"locations": [str(desk.hall.pk)], "note": "약도"})
    assert refused.status_code == 400 and "설치장소: 고를 수 없는 설치장소입니다" in refused.content.decode()
    with pytest.raises(RequestError, match="'본관 현관'\\(.*\\)은\\(는\\) 담당 범위 밖입니다") as caught:
        resolve_place(desk.actor(desk.alice), request, [desk.hall])
    assert caught.value.field == "locations"
    # A site of another institution, even for its privacy officer here.
    elsewhere = Location.objects.create(
        device_group=make_group("도로과", "gy-road", desk.other), key="gy", name="광양 교차로"
    )
    with pytest.raises(RequestError, match="'광양 교차로'은\\(는\\) 이 기관의 설치장소가 아닙니다"):
        resolve_place(desk.actor(desk.bob), request, [elsewhere])
    with pytest.raises(RequestError, match="이미 이 청구의 설치장소입니다"):
        resolve_place(desk.actor(desk.bob), request, [desk.gate])
    assert not PlaceResolution.objects.exists() and not LegalHold.objects.exists()

    assert alice.post(url, {"locations": [str(lot.pk)]}).status_code == 302
    assert set(request.locations.all()) == {desk.gate, lot}
    # Once given, 총무과's officer still does not see the request (none of its sites is theirs).
    charlie = Client()
    log_in(charlie, desk.charlie)
    assert charlie.get(reverse("disclosure:request", args=[request.pk])).status_code == 404
