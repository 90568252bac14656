"""The institution's name before a document's title, once: "오산시 영상정보처리기기 설치 및 운영 지침" is
already named, and "오산시 오산시 …" repeated it (issue 12)."""

from __future__ import annotations

from django import template

from jikimi.publishing.content import named_title

register = template.Library()


@register.filter
def with_institution(title: str, name: str) -> str:
    return named_title(name, title)
