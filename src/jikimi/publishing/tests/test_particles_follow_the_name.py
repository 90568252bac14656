"""Grammar of generated sentences follows the name (issue 16, Fidelity): '본 하동군(…)는' is wrong.

The particle after '본 하동군(이하 본 기관이라 함)' belongs to 하동군, not to the parenthesis.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jikimi.inventory.models import Institution, PolicyDocument
from jikimi.publishing.content import document_text
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context


@pytest.mark.parametrize(
    ("name", "scope", "preamble"),
    [
        ("하동군", "", "본 하동군(이하 본 기관이라 함)은 영상정보처리기기"),
        ("금천구", "", "본 금천구(이하 본 기관이라 함)는 영상정보처리기기"),
        (
            "하동군",
            "하동군청 및 읍·면",
            "본 하동군(하동군청 및 읍·면, 이하 본 기관이라 함)은 영상정보처리기기",
        ),
        ("인천광역시", "본청", "본 인천광역시(본청, 이하 본 기관이라 함)는 영상정보처리기기"),
    ],
)
def test_the_preamble_particle_follows_the_name(gunsan, name, scope, preamble):
    Institution.objects.filter(pk=gunsan.pk).update(name=name, scope_statement=scope)
    PolicyDocument.objects.filter(institution=gunsan).update(preamble="")
    text = document_text(build_document(load_policy_context(Institution.objects.get(pk=gunsan.pk))))
    assert preamble in text
    wrong = "는" if preamble.split(")")[1].startswith("은") else "은"
    assert f"이라 함){wrong} 영상" not in text


@pytest.mark.parametrize(("name", "topic"), [("하동군", "하동군은"), ("오산시", "오산시는")])
def test_generated_sentences_name_the_institution_with_its_particle(gunsan, name, topic):
    Institution.objects.filter(pk=gunsan.pk).update(name=name)
    text = document_text(build_document(load_policy_context(Institution.objects.get(pk=gunsan.pk))))
    assert f"{topic} " in text
    assert f"{name}{'는' if topic.endswith('은') else '은'} " not in text


def test_the_not_yet_published_page_names_the_institution_with_its_particle(client, gunsan):

    Institution.objects.filter(pk=gunsan.pk).update(name="하동군")
    page = client.get(reverse("publishing:policy", args=["gunsan"])).content.decode()
    assert "하동군은 아직 영상정보처리기기 운영·관리방침을 공개하지 않았습니다" in page
    assert "은(는)" not in page
