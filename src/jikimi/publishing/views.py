"""Public policy pages (no login; staff pages are in staff_views). A view parses, authorizes, calls one
action or query, renders. An institution that never published a version has no public pages (R5)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from jikimi.inventory.models import DeviceGroup, Institution, Location
from jikimi.lib.pdf import render_pdf
from jikimi.publishing import queries
from jikimi.publishing.authorization import may_publish
from jikimi.publishing.comparison import compare_contents
from jikimi.publishing.models import PolicyVersion
from jikimi.publishing.rendering import document_html, live_content
from jikimi.publishing.rendering import policy_pdf as render_policy_pdf
from jikimi.publishing.signs import (
    SignIncomplete,
    building_sign,
    building_signs,
    complete_location_sign,
    complete_sign,
    policy_url,
    site_signs,
)

# As the register's Location.building.
BUILDING_NAME_LENGTH = Location._meta.get_field("building").max_length or 100


def _institution(slug: str) -> Institution:
    return get_object_or_404(Institution, slug=slug)


class NotPublished(Exception):
    """The institution has published no version: its pages are not public yet (R5)."""

    def __init__(self, institution: Institution) -> None:
        super().__init__(institution.name)
        self.institution = institution


def _public_institution(request: HttpRequest, slug: str) -> Institution:
    """An institution whose policy is public: it published a version. A register imported but never
    published is a draft (full of "공개 문서에 미수록"): only staff who may publish it see it."""
    institution = _institution(slug)
    if not queries.is_published(institution) and not may_publish(request.user, institution):
        raise NotPublished(institution)
    return institution


ViewFunction = Callable[..., HttpResponse]


def public_page(view: ViewFunction) -> ViewFunction:
    """A public page of publishing: "아직 공개된 방침이 없습니다" (404) for a never-published institution."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotPublished as error:
            return render(
                request, "publishing/not_published.html", {"institution": error.institution}, status=404
            )

    return wrapped


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
def policy(request: HttpRequest, slug: str) -> HttpResponse:
    """The policy in force today; before any is in force, the announced one. Staff who may publish see a
    marked live preview of a never-published register; the public gets a 404 (R5: only published)."""
    institution = _public_institution(request, slug)
    current = queries.current_version(institution)
    upcoming = queries.upcoming_versions(institution)
    shown = current or (upcoming[-1] if upcoming else None)
    history = queries.history(institution)
    context = {
        "institution": institution,
        "version": shown,
        "in_force": current is not None and shown == current,
        "upcoming": upcoming,
        "history": history,
        # Withdrawals announced since the version in force was published (R7: the withdrawal is public).
        "withdrawn": [
            row
            for row in history
            if row.state == "withdrawn" and (current is None or row.version.number > current.number)
        ],
        "policy_url": policy_url(institution),
        "preview": False,
    }
    if shown is not None:
        context.update({"title": shown.content.get("title", ""), "body_html": shown.html})
    elif not queries.is_published(institution):
        content = live_content(institution)
        context.update({"title": content["title"], "body_html": document_html(content), "preview": True})
    else:
        # Every version published was withdrawn before its 시행일: nothing is in force.
        context.update({"title": "영상정보처리기기 운영·관리방침", "body_html": ""})
    return render(request, "publishing/policy.html", context)


@public_page
def policy_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _public_institution(request, slug)
    current = queries.current_version(institution)
    upcoming = queries.upcoming_versions(institution)
    shown = current or (upcoming[-1] if upcoming else None)
    if shown is None and queries.is_published(institution):
        raise Http404(f"{institution.name}에는 시행 중이거나 시행 예정인 방침이 없습니다")
    return _pdf(render_policy_pdf(institution, shown), f"policy-{slug}.pdf")


def _version(institution: Institution, number: int) -> PolicyVersion:
    found = queries.version_or_none(institution, number)
    if found is None:
        raise Http404(f"{institution.name} 방침 제{number}판은 없습니다")
    return found


@public_page
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    institution = _public_institution(request, slug)
    found = _version(institution, number)
    return render(
        request,
        "publishing/version.html",
        {"institution": institution, "version": found, "history": queries.history(institution)},
    )


@public_page
def version_pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    institution = _public_institution(request, slug)
    return _pdf(render_policy_pdf(institution, _version(institution, number)), f"policy-{slug}-v{number}.pdf")


def _comparison_context(request: HttpRequest, slug: str, a: int, b: int) -> dict[str, Any]:
    institution = _public_institution(request, slug)
    old, new = _version(institution, a), _version(institution, b)
    show_all = request.GET.get("all") == "1"
    return {
        "institution": institution,
        "old": old,
        "new": new,
        "show_all": show_all,
        "sections": compare_contents(old.content, new.content, only_changes=not show_all),
        "history": queries.history(institution),
    }


@public_page
def compare(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    return render(request, "publishing/compare.html", _comparison_context(request, slug, a, b))


@public_page
def compare_pdf(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    context = _comparison_context(request, slug, a, b)
    return _pdf(render_pdf("publishing/print/compare.html", context), f"compare-{slug}-{a}-{b}.pdf")


@public_page
def signs(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _public_institution(request, slug)
    groups = queries.groups_of(institution)
    return render(
        request,
        "publishing/signs.html",
        {"institution": institution, "signs": site_signs(groups), "building_signs": building_signs(groups)},
    )


@public_page
def building_sign_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """R10: the sign at a building's entrance, for every device the register places in it."""
    institution = _public_institution(request, slug)
    building = request.GET.get("building", "").strip()
    if not building or len(building) > BUILDING_NAME_LENGTH:
        return HttpResponse(
            f"건물 이름(building)을 {BUILDING_NAME_LENGTH}자 이내로 지정하세요",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    sign = building_sign(queries.groups_of(institution), building)
    if sign is None:
        raise Http404(f"{institution.name} 대장에 '{building}' 건물의 기기가 없습니다")
    if sign.missing:
        return render(
            request,
            "publishing/sign_refused.html",
            {
                "institution": institution,
                "error": f"'{building}' 출입구 안내판을 만들 수 없습니다. 대장에 없는 항목: {', '.join(sign.missing)}",
            },
            status=422,
        )
    return _pdf(render_pdf("publishing/print/sign.html", {"signs": [sign]}), f"sign-{slug}-building.pdf")


def _refused(request: HttpRequest, institution: Institution, error: str) -> HttpResponse:
    return render(
        request, "publishing/sign_refused.html", {"institution": institution, "error": error}, status=422
    )


@public_page
def sign_pdf(request: HttpRequest, slug: str, group_key: str) -> HttpResponse:
    """The signs of a group: one page per location outside a building (a sign names its own place), or
    the group's one sign when the register lists no locations."""
    institution = _public_institution(request, slug)
    group = get_object_or_404(
        DeviceGroup.objects.select_related("department", "institution"),
        institution=institution,
        key=group_key,
    )
    try:
        located = [location for location in group.locations.all() if not location.building.strip()]
        if located:
            pages = [complete_location_sign(group, location) for location in located]
        else:
            pages = [complete_sign(group)]
    except SignIncomplete as error:
        return _refused(request, institution, str(error))
    return _pdf(render_pdf("publishing/print/sign.html", {"signs": pages}), f"sign-{slug}-{group_key}.pdf")


@public_page
def location_sign_pdf(request: HttpRequest, slug: str, group_key: str, location_key: str) -> HttpResponse:
    """The sign at one location (법 제25조④: 설치 목적 및 장소, 촬영 범위 및 시간, 관리책임자 및 연락처)."""
    institution = _public_institution(request, slug)
    group = get_object_or_404(
        DeviceGroup.objects.select_related("department", "institution"),
        institution=institution,
        key=group_key,
    )
    location = get_object_or_404(
        Location.objects.prefetch_related("devices"), device_group=group, key=location_key
    )
    try:
        sign = complete_location_sign(group, location)
    except SignIncomplete as error:
        return _refused(request, institution, str(error))
    return _pdf(
        render_pdf("publishing/print/sign.html", {"signs": [sign]}),
        f"sign-{slug}-{group_key}-{location_key}.pdf",
    )
