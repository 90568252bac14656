"""{% load korean %} {{ institution.name|particle:"는" }} → 하동군은 / 오산시는 (jikimi.lib.korean)."""

from __future__ import annotations

from django import template

from jikimi.lib.korean import with_particle

register = template.Library()


@register.filter(name="particle")
def particle_filter(word: object, which: str) -> str:
    return with_particle(str(word), which)
