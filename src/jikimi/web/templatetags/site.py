"""The institution a page speaks for, for the KRDS header and footer (누리집 identity).

A government site names who runs it ("이 누리집은 ○○ 누리집입니다", KRDS identifier) and how to reach
them. Jikimi is run by one institution in the usual deployment; a server holding several registers
names the institution of the page (a public policy) or of the signed-in person, and otherwise none.
"""

from __future__ import annotations

from typing import Any

from django import template

from jikimi.inventory.models import Institution
from jikimi.publishing.queries import published_institutions

register = template.Library()


@register.simple_tag(takes_context=True)
def site_institution(context: template.Context) -> Institution | None:
    page_institution = context.get("institution")
    if isinstance(page_institution, Institution):
        return page_institution
    user: Any = context.get("user")
    if user is not None and user.is_authenticated and getattr(user, "institution_id", None):
        institution: Institution = user.institution
        return institution
    # The deployment's only institution, looked up once per request.
    request: Any = context.get("request")
    if request is not None and hasattr(request, "_jikimi_site_institution"):
        cached: Institution | None = request._jikimi_site_institution
        return cached
    only = list(Institution.objects.order_by("pk")[:2])
    found = only[0] if len(only) == 1 else None
    if request is not None:
        request._jikimi_site_institution = found
    return found


@register.simple_tag(takes_context=True)
def site_policy_is_public(context: template.Context, site: Institution | None) -> bool:
    """Whether the footer may link to the site's policy and signs: not before its first published
    version (R5: a draft is not public, and its pages answer 404)."""
    if site is None:
        return False
    request: Any = context.get("request")
    cache = getattr(request, "_jikimi_public_policies", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._jikimi_public_policies = cache
    if site.pk not in cache:
        cache[site.pk] = published_institutions().filter(pk=site.pk).exists()
    return bool(cache[site.pk])
