""" "오산시 오산시": a title that already names the institution is not prefixed with its name again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from jikimi.audit.context import Actor
from jikimi.inventory.models import Institution
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.content import document_text, named_title
from jikimi.publishing.rendering import policy_pdf
from jikimi.publishing.tests.pdf_reading import pdf_text

REGISTER = Path(__file__).resolve().parents[4] / "registers" / "osan.yaml"


def test_a_title_is_prefixed_only_when_it_does_not_name_the_institution():
    assert named_title("군산시", "영상정보처리기기 운영·관리방침") == "군산시 영상정보처리기기 운영·관리방침"
    assert (
        named_title("오산시", "오산시 영상정보처리기기 설치 및 운영 지침")
        == "오산시 영상정보처리기기 설치 및 운영 지침"
    )
    assert named_title("오산시", "") == "오산시"


def test_osan_is_named_once_on_its_pages_in_its_text_and_pdf(client, db):
    call_command("import_register", str(REGISTER), verbosity=0)
    osan = Institution.objects.get(slug="osan")
    version = publish_policy(
        Actor.command("test"),
        osan,
        date(2026, 11, 1),
        date(2026, 11, 10),
        "최초 공개",
        check_permission=False,
    ).version
    for url in (reverse("publishing:policy", args=["osan"]), reverse("publishing:version", args=["osan", 1])):
        page = client.get(url).content.decode()
        assert "오산시 영상정보처리기기 설치 및 운영 지침" in page
        assert "오산시 오산시" not in page, url
    assert "오산시 오산시" not in document_text(version.content)
    assert "오산시오산시" not in "".join(pdf_text(policy_pdf(osan, version)).split())
