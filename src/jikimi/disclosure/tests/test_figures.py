"""The yearly figures (issue 14): requests by type and outcome, median and worst days to decision, refusals
by ground; provisions by body, ground and outcome; destructions by group — on a known dataset, as a page
with server-drawn charts and as XLSX (audited)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from jikimi.accounts.testing import log_in, make_group
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.figures import figures_for, reach_of
from jikimi.disclosure.models import Decision, ProvisionCase, RequestingBody, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import (
    NOW,
    actor,
    make_request,
    people,
    pinned_clock,  # noqa: F401 (fixture)
    vault_storage,  # noqa: F401 (fixture)
)
from jikimi.disclosure.tests.intake_world import kst
from jikimi.disclosure.tests.ledger_world import gate_device, police, provision_case
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.tests.conftest import CLOCK_CONFIRMED, new_device, synthetic_segment

pytestmark = pytest.mark.usefixtures("vault_storage")
Out = Decision.Outcome


@pytest.fixture
def crew(db):
    crew = people()
    with time_machine.travel(NOW, tick=False):
        device = gate_device()
        quick, _ = make_request(kind=SubjectRequest.Kind.VIEWING)
        slow, _ = make_request(kind=SubjectRequest.Kind.COPY)
        refused, _ = make_request(kind=SubjectRequest.Kind.VIEWING)
        make_request(kind=SubjectRequest.Kind.EXISTENCE)  # still open
        police_case = provision_case(device, preparer=crew["officer"], approver=crew["privacy"])
        ProvisionCase.objects.filter(pk=police_case.pk).update(state=ProvisionCase.State.PROVIDED)
        court = police(police_case.institution, "인천지방법원")
        RequestingBody.objects.filter(pk=court.pk).update(kind=RequestingBody.Kind.COURT)
        provision_case(
            device,
            preparer=crew["officer"],
            approver=crew["privacy"],
            body=court,
            legal_ground="8",
            state=ProvisionCase.State.REFUSED,
        )
    for days, request, outcome, extra in (
        (2, quick, Out.VIEWING_ONLINE, {}),
        (5, slow, Out.COPY, {}),
        (9, refused, Out.REFUSAL, {"grounds": ["harm_to_others"], "reasons": "다른 사람이 찍혀 있음"}),
    ):
        with time_machine.travel(NOW + timedelta(days=days), tick=False):
            decide(actor(crew["head"]), request, outcome, **extra)
    swept = new_device(make_group("총무과", "city-hall", retention="1일"), name="본관 1번")
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(swept, kst("2026-11-23T09:00:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
    return crew


def test_the_figures_of_a_known_year(crew):
    figures = figures_for(reach_of(crew["privacy"]), 2026)
    assert dict(figures.requests_by_kind.counts) == {"열람": 2, "사본 교부": 1, "존재확인": 1}
    assert dict(figures.requests_by_outcome.counts) == {
        "열람 (마스킹한 영상 온라인 열람)": 1,
        "사본 교부 (마스킹한 사본)": 1,
        "거부": 1,
        "처리 중": 1,
    }
    assert sorted(figures.decision_days) == [2, 5, 9]
    assert (figures.median_days, figures.worst_days) == (5, 9)
    [(ground, count)] = figures.refusals_by_ground.rows()
    assert count == 1 and ground.startswith("다른 사람의 생명·신체를 해할 우려")
    assert dict(figures.provisions_by_body.counts) == {"인천남동경찰서": 1, "인천지방법원": 1}
    assert set(figures.provisions_by_ground.counts) == {
        "제7호 범죄의 수사와 공소의 제기 및 유지를 위하여 필요한 경우",
        "제8호 법원의 재판업무 수행을 위하여 필요한 경우",
    }
    assert dict(figures.provisions_by_outcome.counts) == {"제공": 1, "거부": 1}
    [(group, destroyed)] = figures.destructions_by_group.rows()
    assert group.startswith("총무과") and destroyed == 1
    assert figures.requests_by_kind.monthly()[10] == 4 and figures.destructions_by_group.monthly()[10] == 1
    assert figures_for(reach_of(crew["privacy"]), 2025).requests_by_kind.total == 0
    # the auditor reads them too; an officer (no VIEW_LEDGER) reaches nothing
    assert figures_for(reach_of(crew["auditor"]), 2026).requests_by_kind.total == 4
    assert figures_for(reach_of(crew["officer"]), 2026).requests_by_kind.total == 0


@pytest.mark.usefixtures("pinned_clock")
def test_the_page_draws_its_charts_without_script(client, crew):
    log_in(client, crew["privacy"])
    page = client.get(reverse("ledger:figures"), {"year": "2026"}).content.decode()
    assert page.count("<svg") == 10 and '<script src="http' not in page
    assert "중앙값</th><td>5일" in page and "최장</th><td>9일" in page
    assert "인천지방법원" in page and "11월 4건" in page
    bad = client.get(reverse("ledger:figures"), {"year": "1999"}).content.decode()
    assert "연도: 연도는 목록에서 고르세요" in bad


@pytest.mark.usefixtures("pinned_clock")
def test_the_figures_xlsx_opens_and_is_audited(client, crew):
    log_in(client, crew["privacy"])
    response = client.get(reverse("ledger:figures_xlsx"), {"year": "2026"})
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [None, 5, 9, 3] in [row[:4] for row in values]
    assert any(row[0] == "인천지방법원" and row[1] == 1 for row in values)
    audit = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_EXPORT_LEDGER)
    assert audit.details["format"] == "xlsx" and "2026년" in audit.reason
