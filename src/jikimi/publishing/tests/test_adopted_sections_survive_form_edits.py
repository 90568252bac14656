"""Issue 16: a wording the officer adopted for a missing item of 시행령 제25조① (R4) is the institution's
own text with who adopted it and when. Any later edit of the register through the entry forms — the
adopted section itself, another section moved before it, the policy's title, a department — keeps
the adopted section and its marks (they are the record that the institution chose these words)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.inventory.models import PolicyDocument
from jikimi.publishing.actions import adopt_section
from jikimi.publishing.tests.test_adopting_a_missing_item import (
    ADOPTED_BODY,
    SAFETY,
    officer_actor,
    without_safety,
)

TITLE = "개인영상정보의 안전성 확보조치"


def _adopted(institution) -> tuple[int, dict]:
    sections = PolicyDocument.objects.get(institution=institution).sections
    found = [(i + 1, s) for i, s in enumerate(sections) if s["title"].startswith(TITLE)]
    assert len(found) == 1, [s["title"] for s in sections]
    return found[0]


def _form_data(client, url: str, **changes) -> dict:
    """What the browser posts for the form at `url`, unchanged except for `changes`."""
    form = client.get(url).context["form"]
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    data.update(changes)
    return data


@pytest.mark.django_db
@time_machine.travel("2026-03-02 10:00 +09:00", tick=False)
def test_every_form_edit_keeps_the_adopted_section_and_who_adopted_it_when(client, gunsan, privacy_officer):
    without_safety(gunsan)
    adopt_section(officer_actor(privacy_officer), gunsan, SAFETY, TITLE, ADOPTED_BODY)
    number, adopted = _adopted(gunsan)
    marks = {"adopted_by": adopted["adopted_by"], "adopted_on": "2026-03-02"}
    assert adopted["adopted_by"] and adopted["adopted_on"] == "2026-03-02"
    log_in(client, privacy_officer)

    def post(section: str, key: str, **changes) -> None:
        url = reverse("inventory:entry_edit", args=[gunsan.pk, section, key])
        response = client.post(url, _form_data(client, url, reason="개정", **changes))
        assert response.status_code == 302, response.context and response.context["form"].errors

    # The adopted section itself: its words edited, its marks and its covered item stay.
    post("policy_sections", str(number), body=ADOPTED_BODY + "\r\n\r\n- 접근 기록 월 1회 점검")
    number, section = _adopted(gunsan)
    assert {k: section[k] for k in marks} == marks
    assert section["covers"] == ["safety_measures"] and section["body"].endswith("월 1회 점검")
    # Another section moved to the front: the adopted one moves down a place, marks kept.
    post("policy_sections", "3", position="1")
    moved, section = _adopted(gunsan)
    assert moved == number and {k: section[k] for k in marks} == marks
    # The policy's title and a department's phone: the sections are not the form's, and stay as they were.
    post("policy", "-", title="영상정보처리기기 운영·관리 방침")
    department = gunsan.departments.order_by("position", "id").first()
    post("departments", department.key, phone="063-000-1234")
    _, section = _adopted(gunsan)
    assert {k: section[k] for k in marks} == marks and section["title"] == TITLE
    page = client.get(reverse("inventory:register_home", args=[gunsan.pk])).content.decode()
    assert "2026-03-02" in page
