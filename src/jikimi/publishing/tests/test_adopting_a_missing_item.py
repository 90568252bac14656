"""Issue 16: sections the institution never wrote are not invented. An item of 시행령 제25조① (R4) the
방침 lacks is shown to the officer with a proposed wording; publishing is refused until the officer
adopts a wording (R4: the 방침 contains all 8 items), which is then the institution's own text, with
who adopted it and when, audited, and printed as an ordinary section. A 지침 keeps its handling."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.urls import reverse

from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import PolicyDocument
from jikimi.inventory.register_file import export_register
from jikimi.publishing.actions import AdoptRefused, NotPermitted, adopt_section, publish_policy
from jikimi.publishing.content import document_text
from jikimi.publishing.drafts import MissingItems
from jikimi.publishing.rendering import live_content
from jikimi.publishing.tests.conftest import GUNSAN_SECTIONS

SAFETY = 7  # 시행령 제25조①7호: 기술적·관리적 및 물리적 조치
ADOPTED_BODY = (
    "군산시는 영상정보를 암호화하여 저장하고, 접근 기록을 2년간 보관합니다.\n\n- 영상정보 보관실 출입 통제"
)


def without_safety(institution) -> None:
    sections = [s for s in GUNSAN_SECTIONS if s.get("generated") != "safety_measures"]
    PolicyDocument.objects.filter(institution=institution).update(sections=sections)


def officer_actor(user) -> Actor:
    return Actor.for_user(user, "127.0.0.1")


@pytest.mark.django_db
def test_nothing_is_published_in_the_institutions_name_that_it_did_not_adopt(gunsan, privacy_officer):
    without_safety(gunsan)
    text = document_text(live_content(gunsan))
    assert "시행령 제25조①에 따라 추가" not in text and "안전성 확보조치" not in text
    with pytest.raises(MissingItems) as refused:
        publish_policy(officer_actor(privacy_officer), gunsan, date(2024, 8, 23), date(2024, 9, 1), "개정")
    assert "7호 영상정보 보호를 위한 기술적·관리적 및 물리적 조치" in str(refused.value)
    assert "R4" in str(refused.value)


@pytest.mark.django_db
def test_the_adopted_wording_is_the_institutions_own_section_audited(gunsan, privacy_officer):
    without_safety(gunsan)
    adopt_section(
        officer_actor(privacy_officer), gunsan, SAFETY, "개인영상정보의 안전성 확보조치", ADOPTED_BODY
    )
    document = PolicyDocument.objects.get(institution=gunsan)
    adopted = next(s for s in document.sections if s.get("adopted_by"))
    assert adopted["title"] == "개인영상정보의 안전성 확보조치" and adopted["body"] == ADOPTED_BODY
    assert adopted["covers"] == ["safety_measures"] and adopted["adopted_on"]
    # Placed before the sections that close the policy (the change history).
    titles = [s["title"] for s in document.sections]
    assert titles.index(adopted["title"]) < titles.index("영상정보처리기기 운영·관리방침 변경에 관한 사항")
    entry = AuditEntry.objects.get(action=AuditEvent.PUBLISHING_ADOPT_SECTION)
    assert entry.details["item"] == SAFETY and entry.details["body"] == ADOPTED_BODY
    assert entry.actor_label == officer_actor(privacy_officer).label
    content = live_content(gunsan)
    assert "missing_r4" not in content
    section = next(s for s in content["sections"] if s["title"] == "개인영상정보의 안전성 확보조치")
    assert section["heading"].startswith("제") and "추가" not in section["heading"]
    assert "암호화하여 저장" in document_text(content)
    published = publish_policy(
        officer_actor(privacy_officer), gunsan, date(2024, 8, 23), date(2024, 9, 1), "개정"
    )
    assert "암호화하여 저장" in published.version.html


@pytest.mark.django_db
def test_only_a_missing_item_with_words_may_be_adopted_by_who_may_publish(
    gunsan, privacy_officer, traffic_officer
):
    without_safety(gunsan)
    with pytest.raises(AdoptRefused, match="5호는 .* 빠진 항목이 아닙니다"):
        adopt_section(officer_actor(privacy_officer), gunsan, 5, "확인 방법", "청사에서")
    with pytest.raises(AdoptRefused, match="본문을 적어 주세요"):
        adopt_section(officer_actor(privacy_officer), gunsan, SAFETY, "안전성 확보조치", "  \n ")
    with pytest.raises(AdoptRefused, match="한 줄"):
        adopt_section(officer_actor(privacy_officer), gunsan, SAFETY, "안전성\n확보조치", "본문")
    with pytest.raises(NotPermitted):
        adopt_section(officer_actor(traffic_officer), gunsan, SAFETY, "안전성 확보조치", "본문")
    assert not AuditEntry.objects.filter(action=AuditEvent.PUBLISHING_ADOPT_SECTION).exists()


@pytest.mark.django_db
def test_a_guideline_keeps_its_handling(gunsan, privacy_officer):
    PolicyDocument.objects.filter(institution=gunsan).update(
        kind="guideline", article_style="heading", sections=[{"title": "제1장 총칙", "body": "제1조(목적) …"}]
    )
    assert "missing_r4" not in live_content(gunsan)
    publish_policy(officer_actor(privacy_officer), gunsan, date(2024, 8, 23), date(2024, 9, 1), "제정")


@pytest.mark.django_db
def test_the_staff_page_lists_the_missing_item_with_a_proposal_and_adopts_it(gunsan, staff_client):
    without_safety(gunsan)
    url = reverse("publishing:staff_institution", args=[gunsan.slug])
    page = html.unescape(staff_client.get(url).content.decode())
    assert 'id="missing-items"' in page and "7호 영상정보 보호를 위한 기술적·관리적 및 물리적 조치" in page
    assert 'value="개인영상정보의 안전성 확보조치"' in page  # the proposed title, to edit or adopt
    refused = staff_client.post(
        reverse("publishing:publish", args=[gunsan.slug]),
        {"announced_on": "2024-08-23", "effective_on": "2024-09-01", "reason": "개정"},
    )
    assert refused.status_code == 400 and "제25조제1항의 항목이 없습니다" in html.unescape(
        refused.content.decode()
    )
    empty = staff_client.post(
        reverse("publishing:adopt", args=[gunsan.slug, SAFETY]), {"title": "제목", "body": ""}
    )
    assert empty.status_code == 400 and "본문을 적어 주세요" in html.unescape(empty.content.decode())
    done = staff_client.post(
        reverse("publishing:adopt", args=[gunsan.slug, SAFETY]),
        {"title": "개인영상정보의 안전성 확보조치", "body": ADOPTED_BODY},
    )
    assert done.status_code == 302
    page = html.unescape(staff_client.get(url).content.decode())
    assert 'id="missing-items"' not in page and "암호화하여 저장" in page
    register = html.unescape(
        staff_client.get(reverse("inventory:register_home", args=[gunsan.pk])).content.decode()
    )
    assert "채택: " in register  # who adopted it and when, on the register page


@pytest.mark.django_db
def test_an_adopted_section_round_trips_through_the_register_file(gunsan, privacy_officer):
    without_safety(gunsan)
    adopt_section(
        officer_actor(privacy_officer), gunsan, SAFETY, "개인영상정보의 안전성 확보조치", ADOPTED_BODY
    )
    first = export_register(gunsan)
    assert "adopted_by:" in first and "adopted_on:" in first
    again = import_register(Actor.system("test"), first, "gunsan.yaml").institution
    assert export_register(again) == first
