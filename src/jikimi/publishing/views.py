"""Public policy pages (no login) and the staff pages of publishing. A view parses, authorizes, calls
one action or query, renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jikimi.accounts.permissions import login_required
from jikimi.audit.context import Actor
from jikimi.inventory.models import DeviceGroup, Institution, Location
from jikimi.lib import clock
from jikimi.lib.input_limits import check_day
from jikimi.lib.pdf import render_pdf
from jikimi.publishing import installation_form, queries
from jikimi.publishing.actions import PublishRefused, publish_policy
from jikimi.publishing.authorization import may_publish
from jikimi.publishing.comparison import compare_contents
from jikimi.publishing.context import VersionInfo
from jikimi.publishing.forms import PublishForm
from jikimi.publishing.models import PolicyVersion
from jikimi.publishing.rendering import document_html, live_content
from jikimi.publishing.rendering import policy_pdf as render_policy_pdf
from jikimi.publishing.signs import (
    SignIncomplete,
    building_sign,
    building_signs,
    complete_sign,
    policy_url,
    sign_for,
)
from jikimi.rules.policy_dates import PolicyDateError, check_policy_dates

# As the register's Location.building.
BUILDING_NAME_LENGTH = Location._meta.get_field("building").max_length or 100


def _institution(slug: str) -> Institution:
    return get_object_or_404(Institution, slug=slug)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def policy(request: HttpRequest, slug: str) -> HttpResponse:
    """The policy in force today; before any is in force, the announced one or a marked live preview."""
    institution = _institution(slug)
    current = queries.current_version(institution)
    upcoming = queries.upcoming_versions(institution)
    shown = current or (upcoming[-1] if upcoming else None)
    context = {
        "institution": institution,
        "version": shown,
        "in_force": current is not None and shown == current,
        "upcoming": upcoming,
        "versions": list(queries.versions_of(institution)),
        "policy_url": policy_url(institution),
    }
    if shown is None:
        content = live_content(institution)
        context.update({"title": content["title"], "body_html": document_html(content), "preview": True})
    else:
        context.update({"title": shown.content.get("title", ""), "body_html": shown.html, "preview": False})
    return render(request, "publishing/policy.html", context)


def policy_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(slug)
    current = queries.current_version(institution)
    upcoming = queries.upcoming_versions(institution)
    shown = current or (upcoming[-1] if upcoming else None)
    return _pdf(render_policy_pdf(institution, shown), f"policy-{slug}.pdf")


def _version(institution: Institution, number: int) -> PolicyVersion:
    found = queries.version_or_none(institution, number)
    if found is None:
        raise Http404(f"{institution.name} 방침 제{number}판은 없습니다")
    return found


def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    institution = _institution(slug)
    found = _version(institution, number)
    return render(
        request,
        "publishing/version.html",
        {"institution": institution, "version": found, "versions": list(queries.versions_of(institution))},
    )


def version_pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    institution = _institution(slug)
    return _pdf(render_policy_pdf(institution, _version(institution, number)), f"policy-{slug}-v{number}.pdf")


def _comparison_context(request: HttpRequest, slug: str, a: int, b: int) -> dict[str, Any]:
    institution = _institution(slug)
    old, new = _version(institution, a), _version(institution, b)
    show_all = request.GET.get("all") == "1"
    return {
        "institution": institution,
        "old": old,
        "new": new,
        "show_all": show_all,
        "sections": compare_contents(old.content, new.content, only_changes=not show_all),
        "versions": list(queries.versions_of(institution)),
    }


def compare(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    return render(request, "publishing/compare.html", _comparison_context(request, slug, a, b))


def compare_pdf(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    context = _comparison_context(request, slug, a, b)
    return _pdf(render_pdf("publishing/print/compare.html", context), f"compare-{slug}-{a}-{b}.pdf")


def signs(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(slug)
    groups = queries.groups_of(institution)
    return render(
        request,
        "publishing/signs.html",
        {
            "institution": institution,
            "signs": [(group, sign_for(group)) for group in groups],
            "building_signs": building_signs(groups),
        },
    )


def building_sign_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """R10: the sign at a building's entrance, for every device the register places in it."""
    institution = _institution(slug)
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
    return _pdf(render_pdf("publishing/print/sign.html", {"sign": sign}), f"sign-{slug}-building.pdf")


def sign_pdf(request: HttpRequest, slug: str, group_key: str) -> HttpResponse:
    institution = _institution(slug)
    group = get_object_or_404(
        DeviceGroup.objects.select_related("department", "institution"),
        institution=institution,
        key=group_key,
    )
    try:
        sign = complete_sign(group)
    except SignIncomplete as error:
        return render(
            request,
            "publishing/sign_refused.html",
            {"institution": institution, "group": group, "error": str(error)},
            status=422,
        )
    return _pdf(render_pdf("publishing/print/sign.html", {"sign": sign}), f"sign-{slug}-{group_key}.pdf")


def _publishable(request: HttpRequest, slug: str) -> Institution:
    institution = _institution(slug)
    if not may_publish(request.user, institution):
        raise PermissionDenied(f"{institution.name} 방침을 공개할 권한이 없습니다")
    return institution


@login_required
def staff_index(request: HttpRequest) -> HttpResponse:
    institutions = queries.institutions_user_may_publish(request.user)
    rows = [(institution, queries.current_version(institution)) for institution in institutions]
    return render(request, "publishing/staff_index.html", {"rows": rows})


@login_required
def staff_institution(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _publishable(request, slug)
    return _staff_page(request, institution, PublishForm())


def _staff_page(
    request: HttpRequest, institution: Institution, form: PublishForm, status: int = 200
) -> HttpResponse:
    content = live_content(institution)
    versions = list(queries.versions_of(institution))
    groups = queries.groups_of(institution)
    return render(
        request,
        "publishing/staff_institution.html",
        {
            "institution": institution,
            "form": form,
            "versions": versions,
            "latest": versions[-1] if versions else None,
            "current": queries.current_version(institution),
            "preview_html": document_html(content),
            "title": content["title"],
            "signs": [(group, sign_for(group)) for group in groups],
            "building_signs": building_signs(groups),
        },
        status=status,
    )


@login_required
def check_dates(request: HttpRequest, slug: str) -> HttpResponse:
    """HTMX: the R7 warnings (or the error) of the dates typed in the form, before publishing."""
    institution = _publishable(request, slug)
    try:
        announced = date.fromisoformat(request.GET.get("announced_on", ""))
        effective = date.fromisoformat(request.GET.get("effective_on", ""))
    except ValueError:
        return render(request, "publishing/_date_check.html", {"messages_": [], "error": ""})
    try:
        check_day(announced, "공고일")
        check_day(effective, "시행일")
    except ValueError as out_of_range:
        return render(request, "publishing/_date_check.html", {"messages_": [], "error": str(out_of_range)})
    latest = queries.versions_of(institution).last()
    try:
        check = check_policy_dates(
            announced,
            effective,
            notice_days=queries.policy_document_for(institution).change_notice_days,
            previous_effective_on=latest.effective_on if latest else None,
        )
    except PolicyDateError as error:
        return render(request, "publishing/_date_check.html", {"messages_": [], "error": str(error)})
    return render(request, "publishing/_date_check.html", {"messages_": check.warnings, "error": ""})


@login_required
def compare_draft(request: HttpRequest, slug: str) -> HttpResponse:
    """The 신구비교표 of the latest version against what publishing now would freeze (before publishing)."""
    institution = _publishable(request, slug)
    latest = queries.versions_of(institution).last()
    if latest is None:
        raise Http404(f"{institution.name}에는 비교할 공개 버전이 없습니다")
    today = clock.today()
    draft = DraftVersion(latest.number + 1, today, today, "(공개 전 초안)")
    content = live_content(institution, pending=VersionInfo(draft.number, today, today, draft.reason))
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "publishing/compare.html",
        {
            "institution": institution,
            "old": latest,
            "new": draft,
            "draft": True,
            "show_all": show_all,
            "sections": compare_contents(latest.content, content, only_changes=not show_all),
        },
    )


@dataclass(frozen=True)
class DraftVersion:
    """What the comparison template shows for the not-yet-published side."""

    number: int
    announced_on: date
    effective_on: date
    reason: str


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _publishable(request, slug)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, institution, form, status=400)
    try:
        published = publish_policy(
            Actor.from_request(request),
            institution,
            form.cleaned_data["announced_on"],
            form.cleaned_data["effective_on"],
            form.cleaned_data["reason"],
        )
    except PublishRefused as error:
        form.add_error(None, str(error))
        return _staff_page(request, institution, form, status=400)
    # The R7 warnings stay on the staff page with the latest version (PolicyVersion.warnings).
    messages.success(request, f"{institution.name} 방침 제{published.version.number}판을 공개했습니다.")
    return redirect("publishing:staff_institution", slug=institution.slug)


@login_required
def installation_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _publishable(request, slug)
    return _pdf(installation_form.installation_pdf(institution), f"installation-{slug}.pdf")


@login_required
def installation_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _publishable(request, slug)
    response = HttpResponse(
        installation_form.installation_xlsx(institution),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="installation-{slug}.xlsx"'
    return response
