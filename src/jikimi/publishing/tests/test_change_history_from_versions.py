"""R7: the text of a version states its own dates and history. 인천's register keeps the seed's sentence
"…2014년 5월 29일에 개정되었으며…" as its free text; a version jikimi publishes must not repeat it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management import call_command

from jikimi.audit.context import Actor
from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.inventory.testing import record_retention_reasons
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.content import section_lines
from jikimi.publishing.rendering import live_content

REGISTER = Path(__file__).resolve().parents[4] / "registers" / "incheon.yaml"
CONSOLE = Actor.command("test")


def last_text_section(content):
    sections = [s for s in content["sections"] if not s["title"].startswith("[")]
    return "\n".join(section_lines(sections[-1]))


def test_a_published_version_states_its_own_dates_not_the_seeds(db):
    call_command("import_register", str(REGISTER), verbosity=0)
    incheon = Institution.objects.get(slug="incheon")
    record_retention_reasons(incheon)  # R16: 인천 publishes none for 3개월 and 준영구
    # Before any version, the draft is the seed as written.
    assert "2014년 5월 29일에 개정되었으며" in last_text_section(live_content(incheon))

    first = publish_policy(
        CONSOLE, incheon, date(2026, 11, 1), date(2026, 11, 10), "최초 공개", check_permission=False
    )
    text = last_text_section(first.version.content)
    assert "2014년 5월 29일에 개정되었으며" not in text
    assert "2026년 11월 10일부터 시행" in text and "2026년 11월 1일" in text
    assert "제1판" in text

    DeviceGroup.objects.filter(institution=incheon, name="버스전용차로 단속 CCTV").update(retention="90일")
    second = publish_policy(
        CONSOLE, incheon, date(2026, 11, 20), date(2026, 11, 27), "보관기간", check_permission=False
    )
    text = last_text_section(second.version.content)
    assert "2026년 11월 27일부터 시행" in text and "2026년 11월 10일부터 시행" not in text
    # The history lists both versions with their periods; the seed's 개정 ends where jikimi's begins.
    assert "2026.11.10 ~ 2026.11.26" in text and "2026.11.27 ~ 현재" in text
    assert "2014.05.29 ~ 2026.11.09" in text
