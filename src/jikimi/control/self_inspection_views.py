"""The yearly self-inspection's pages (표준 개인정보 보호지침 제52조, 오산시 지침 제26조; R8): the years
inspected and the start of a new one; one year's checklist with the figures, answers and findings; the
report as PDF and XLSX. The privacy officer runs it; the centre's head and the auditor read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jikimi.accounts.permissions import Permission, institutions_for, login_required, permission_required
from jikimi.audit.context import Actor
from jikimi.control.actions.room import holds
from jikimi.control.actions.self_inspection import (
    FIRST_YEAR,
    answer_item,
    complete_inspection,
    record_export,
    record_finding,
    start_inspection,
)
from jikimi.control.form_posts import post_form
from jikimi.control.models import SelfInspection, SelfInspectionItem
from jikimi.control.room_views import _institution, nav
from jikimi.control.self_inspection_export import (
    general_findings,
    heading,
    report_pdf,
    report_rows,
    report_xlsx,
    tally,
)
from jikimi.control.self_inspection_forms import AnswerForm, CompleteForm, FindingForm, StartForm
from jikimi.control.self_inspection_queries import inspections_of
from jikimi.inventory.models import Institution
from jikimi.lib.clock import today
from jikimi.rules.self_inspection import AREAS, BY_CODE

READ = Permission.VIEW_SELF_INSPECTION
RUN = Permission.RUN_SELF_INSPECTION
TITLES = {code: item.title for code, item in BY_CODE.items()}


def _reader(request: HttpRequest, slug: str) -> Institution:
    return _institution(request, slug, READ, whole=True)


def _runner(request: HttpRequest, slug: str) -> Institution:
    return _institution(request, slug, RUN, whole=True)


def _open_years(institution: Institution) -> list[int]:
    """Years that may still be started: this one and the last (제52조: the year just ended is reported)."""
    started = {i.year for i in inspections_of(institution)}
    this_year = today().year
    return [y for y in (this_year - 1, this_year) if y >= FIRST_YEAR and y not in started]


def _inspection(institution: Institution, year: int) -> SelfInspection:
    if not FIRST_YEAR <= year <= 9999:
        raise Http404("점검 연도가 올바르지 않습니다")
    return get_object_or_404(
        SelfInspection.objects.select_related("institution", "started_by", "completed_by"),
        institution=institution,
        year=year,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the (first) institution whose self-inspection the user may read."""
    institution = institutions_for(request.user, READ, whole_institution=True).order_by("name").first()
    if institution is None:
        raise PermissionDenied("자체 점검을 볼 권한이 없습니다")
    return redirect("control:self_inspections", slug=institution.slug)


def _list_page(
    request: HttpRequest, institution: Institution, status: int = 200, form: Form | None = None
) -> HttpResponse:
    runs = holds(request.user, RUN, institution, whole=True)
    years = _open_years(institution)
    context: dict[str, Any] = {
        "institution": institution,
        "inspections": inspections_of(institution),
        "runs": runs,
        "start_form": form or (StartForm(years=years) if runs and years else None),
        "section": "self_inspection",
        **nav(request.user, institution),
    }
    return render(request, "control/self_inspection/list.html", context, status=status)


@never_cache
@permission_required(READ)
def inspections(request: HttpRequest, slug: str) -> HttpResponse:
    return _list_page(request, _reader(request, slug))


@require_POST
@permission_required(RUN)
def start(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _runner(request, slug)
    return post_form(
        request,
        StartForm(request.POST, years=_open_years(institution)),
        lambda actor, data: start_inspection(actor, institution, data["year"]),
        message=lambda started: (
            f"{started.year}년 자체 점검을 시작했습니다. 자동 점검 항목의 수치를 기록했습니다"
        ),
        then=lambda started: redirect("control:self_inspection", slug=institution.slug, year=started.year),
        again=lambda form: _list_page(request, institution, 400, form),
    )


def _page(
    request: HttpRequest,
    institution: Institution,
    inspection: SelfInspection,
    status: int = 200,
    *,
    bound_answer: tuple[int, Form] | None = None,
    **forms: Form,
) -> HttpResponse:
    runs = holds(request.user, RUN, institution, whole=True) and not inspection.locked
    rows = report_rows(inspection)
    answer_forms = {}
    if runs:
        for row in rows:
            if bound_answer and bound_answer[0] == row.item.pk:
                answer_forms[row.item.pk] = bound_answer[1]
            else:
                answer_forms[row.item.pk] = AnswerForm(
                    prefix=f"item-{row.item.pk}",
                    initial={"answer": row.item.answer, "remark": row.item.remark},
                )
    sections = [
        {
            "area": area,
            "rows": [(row, answer_forms.get(row.item.pk)) for row in rows if row.check.area == area],
        }
        for area in AREAS
    ]
    items = inspection.items.all().order_by("position")
    context: dict[str, Any] = {
        "institution": institution,
        "inspection": inspection,
        "heading": heading(inspection),
        "sections": sections,
        "tally": tally(rows),
        "general_findings": general_findings(inspection),
        "runs": runs,
        "finding_form": forms.get("finding_form")
        or (FindingForm(items=items, titles=TITLES) if runs else None),
        "complete_form": forms.get("complete_form") or (CompleteForm() if runs else None),
        "section": "self_inspection",
        **nav(request.user, institution),
    }
    return render(request, "control/self_inspection/detail.html", context, status=status)


@never_cache
@permission_required(READ)
def inspection(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    institution = _reader(request, slug)
    return _page(request, institution, _inspection(institution, year))


def _back(inspection: SelfInspection, anchor: str = "") -> Callable[[object], HttpResponse]:
    def back(_result: object) -> HttpResponse:
        response = redirect("control:self_inspection", slug=inspection.institution.slug, year=inspection.year)
        if anchor:
            response["Location"] += f"#{anchor}"
        return response

    return back


@require_POST
@permission_required(RUN)
def answer(request: HttpRequest, slug: str, year: int, item: int) -> HttpResponse:
    institution = _runner(request, slug)
    found = _inspection(institution, year)
    row = get_object_or_404(SelfInspectionItem, inspection=found, pk=item)
    return post_form(
        request,
        AnswerForm(request.POST, prefix=f"item-{row.pk}"),
        lambda actor, data: answer_item(actor, row, **data),
        message=lambda _item: f"'{TITLES[row.code]}' 항목의 판정을 기록했습니다",
        then=_back(found, f"item-{row.code}"),
        again=lambda form: _page(request, institution, found, 400, bound_answer=(row.pk, form)),
    )


@require_POST
@permission_required(RUN)
def finding(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    institution = _runner(request, slug)
    found = _inspection(institution, year)
    return post_form(
        request,
        FindingForm(request.POST, items=found.items.all().order_by("position"), titles=TITLES),
        lambda actor, data: record_finding(actor, found, **data),
        message="지적 사항과 후속 조치를 기록했습니다",
        then=_back(found, "findings"),
        again=lambda form: _page(request, institution, found, 400, finding_form=form),
    )


@require_POST
@permission_required(RUN)
def complete(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    institution = _runner(request, slug)
    found = _inspection(institution, year)
    return post_form(
        request,
        CompleteForm(request.POST),
        lambda actor, data: complete_inspection(actor, found, **data),
        message=f"{year}년 자체 점검을 완료했습니다. 이제 바꿀 수 없습니다",
        then=_back(found),
        again=lambda form: _page(request, institution, found, 400, complete_form=form),
    )


def _download(request: HttpRequest, slug: str, year: int, file_format: str) -> HttpResponse:
    institution = _reader(request, slug)
    found = _inspection(institution, year)
    if file_format == "pdf":
        body, content_type = report_pdf(found), "application/pdf"
    else:
        body = report_xlsx(found)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record_export(Actor.from_request(request), found, file_format=file_format)
    response = HttpResponse(body, content_type=content_type)
    name = f"self-inspection-{institution.slug}-{year}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@permission_required(READ)
def report_pdf_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    return _download(request, slug, year, "pdf")


@never_cache
@permission_required(READ)
def report_xlsx_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    return _download(request, slug, year, "xlsx")
