"""The policy PDF prints each label of a device group's card on the row of its own value: "영상정보처리기기
설치대수" beside "23대", "… 위치 및 촬영범위" beside the place — not wrapped out of its box beside the next
value (issue 12). Read back with pdftotext -layout, as a reader sees the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from jikimi.audit.context import Actor
from jikimi.inventory.models import Institution
from jikimi.inventory.testing import record_retention_reasons
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.rendering import policy_pdf
from jikimi.publishing.tests.pdf_reading import pdf_layout_lines, pdf_text

REGISTER = Path(__file__).resolve().parents[4] / "registers" / "incheon.yaml"


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
def test_every_label_of_a_card_is_on_the_line_of_its_value(db):
    call_command("import_register", str(REGISTER), verbosity=0)
    incheon = Institution.objects.get(slug="incheon")
    record_retention_reasons(incheon)  # R16: 인천 publishes none for 3개월 and 준영구
    version = publish_policy(
        Actor.command("test"),
        incheon,
        date(2026, 11, 1),
        date(2026, 11, 10),
        "최초 공개",
        check_permission=False,
    ).version
    lines = pdf_layout_lines(policy_pdf(incheon, version))
    cards = [
        block
        for section in version.content["sections"]
        for block in section["blocks"]
        if block["type"] == "fields"
    ]
    assert cards
    checked = 0
    for card in cards:
        for label, value in card["fields"]:
            head = squeezed(str(value).splitlines()[0])[:4]
            # The whole label on one printed line, and the start of its value on that same line.
            rows = [line for line in lines if squeezed(label) in squeezed(line)]
            assert rows, f"{card['title']}: label '{label}' is broken over lines"
            assert any(head in squeezed(line.split(label.split()[-1], 1)[-1]) for line in rows), (
                f"{card['title']}: '{label}' is not beside its value '{value}'"
            )
            checked += 1
    assert checked >= 7 * len(cards)


def test_no_template_comment_is_printed(db, gunsan):
    assert "{#" not in pdf_text(policy_pdf(gunsan))
