"""The control centre's page (who is on duty, the roster and its gaps, handovers, shift-change checks) and
the visitors' page (requests, approval, entry, exit with the security check, the door-access log).

Each view parses, authorizes, calls one action and renders (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jikimi.accounts.permissions import Permission, institutions_for, login_required, permission_required
from jikimi.audit.context import Actor
from jikimi.control import room_queries as queries
from jikimi.control.actions.room import RoomError, holds
from jikimi.control.actions.shifts import hand_over, plan_shift
from jikimi.control.actions.visitors import (
    decide_visit,
    import_door_log,
    record_entry,
    record_exit,
    record_shift_check,
    request_visit,
)
from jikimi.control.door_log import MAX_BYTES, DoorLogRefused
from jikimi.control.form_posts import add_room_error, post_form
from jikimi.control.models import CHECKLIST, Visit
from jikimi.control.room_forms import (
    DecideForm,
    DoorLogForm,
    EntryForm,
    ExitForm,
    HandoverForm,
    ShiftCheckForm,
    ShiftForm,
    VisitRequestForm,
)
from jikimi.inventory.models import Institution
from jikimi.lib.input_limits import parse_id


def _institution(
    request: HttpRequest, slug: str, permission: Permission, *, whole: bool = False
) -> Institution:
    institution = get_object_or_404(Institution, slug=slug)
    if not holds(request.user, permission, institution, whole=whole):
        raise PermissionDenied("이 기관의 통합관제센터에 대한 권한이 없습니다")
    return institution


def nav(user: Any, institution: Institution) -> dict[str, bool]:
    """Which of the centre's pages the sub-menu shows (each page checks again)."""
    return {
        "sees_visitors": holds(user, Permission.WORK_CONTROL_ROOM, institution)
        or holds(user, Permission.VIEW_VISITORS, institution, whole=True),
        "sees_committee": holds(user, Permission.MANAGE_COMMITTEE, institution, whole=True),
        "sees_self_inspection": holds(user, Permission.VIEW_SELF_INSPECTION, institution, whole=True),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the centre of the (first) institution where the user may see it."""
    institution = institutions_for(request.user, Permission.VIEW_CONTROL_CENTRE).order_by("name").first()
    if institution is None:
        raise PermissionDenied("통합관제센터를 볼 권한이 없습니다")
    return redirect("control:centre", slug=institution.slug)


# ---- the centre: shifts and handovers (오산시 지침 제21조) -----------------------------------------


def _centre(request: HttpRequest, institution: Institution, status: int = 200, **forms: Form) -> HttpResponse:
    user = request.user
    staff = queries.room_staff(institution)
    manages = holds(user, Permission.MANAGE_CONTROL_ROOM, institution, whole=True)
    works = holds(user, Permission.WORK_CONTROL_ROOM, institution)
    now = timezone.now()
    context: dict[str, Any] = {
        "institution": institution,
        "now": now,
        "on_duty": queries.on_duty(institution, now),
        "roster": queries.coming_roster(institution, now),
        "handovers": queries.recent_handovers(institution),
        "checks": queries.recent_checks(institution),
        "manages": manages,
        "works": works,
        **nav(user, institution),
        "checklist": CHECKLIST,
        "shift_form": forms.get("shift_form") or (ShiftForm(staff=staff) if manages else None),
        "handover_form": forms.get("handover_form") or (HandoverForm(staff=staff) if works else None),
        "check_form": forms.get("check_form") or (ShiftCheckForm(staff=staff) if works else None),
    }
    return render(request, "control/centre.html", context, status=status)


def _to_centre(institution: Institution) -> Callable[[object], HttpResponse]:
    return lambda _result: redirect("control:centre", slug=institution.slug)


@never_cache
@permission_required(Permission.VIEW_CONTROL_CENTRE)
def centre(request: HttpRequest, slug: str) -> HttpResponse:
    return _centre(request, _institution(request, slug, Permission.VIEW_CONTROL_CENTRE))


@require_POST
@permission_required(Permission.MANAGE_CONTROL_ROOM)
def shift_plan(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_CONTROL_ROOM, whole=True)
    form = ShiftForm(request.POST, staff=queries.room_staff(institution))
    return post_form(
        request,
        form,
        lambda actor, data: plan_shift(
            actor,
            institution,
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            members=form.members(),
        ),
        message=lambda shift: f"근무조 '{shift}'을(를) 편성했습니다",
        then=_to_centre(institution),
        again=lambda form: _centre(request, institution, status=400, shift_form=form),
    )


@require_POST
@permission_required(Permission.WORK_CONTROL_ROOM)
def handover(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.WORK_CONTROL_ROOM)
    return post_form(
        request,
        HandoverForm(request.POST, staff=queries.room_staff(institution)),
        lambda actor, data: hand_over(
            actor,
            institution,
            received_by=data["received_by"],
            notes=data["notes"],
            open_matters=data["open_matters"],
            from_shift=queries.current_shift(institution, timezone.now()),
        ),
        message="근무 인계를 기록했습니다",
        then=_to_centre(institution),
        again=lambda form: _centre(request, institution, status=400, handover_form=form),
    )


@require_POST
@permission_required(Permission.WORK_CONTROL_ROOM)
def shift_check(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.WORK_CONTROL_ROOM)
    return post_form(
        request,
        ShiftCheckForm(request.POST, staff=queries.room_staff(institution)),
        lambda actor, data: record_shift_check(
            actor,
            institution,
            person=data["person"],
            confirmed=data["confirmed"],
            findings=data["findings"],
            shift=queries.current_shift(institution, timezone.now()),
        ),
        message="근무 교대 보안검색을 기록했습니다",
        then=_to_centre(institution),
        again=lambda form: _centre(request, institution, status=400, check_form=form),
    )


# ---- the controlled room: visitors (제22조, 제31조①; R41) -------------------------------------------


def _visitors_institution(request: HttpRequest, slug: str) -> Institution:
    institution = get_object_or_404(Institution, slug=slug)
    if not (
        holds(request.user, Permission.VIEW_VISITORS, institution, whole=True)
        or holds(request.user, Permission.WORK_CONTROL_ROOM, institution)
    ):
        raise PermissionDenied("이 기관의 관제센터 출입자 현황을 볼 권한이 없습니다")
    return institution


def _visitors(
    request: HttpRequest,
    institution: Institution,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    **forms: Form,
) -> HttpResponse:
    user = request.user
    works = holds(user, Permission.WORK_CONTROL_ROOM, institution)
    manages = holds(user, Permission.MANAGE_CONTROL_ROOM, institution, whole=True)
    staff = queries.room_staff(institution)
    context: dict[str, Any] = {
        "institution": institution,
        "works": works,
        "manages": manages,
        "errors": errors or [],
        **nav(user, institution),
        "requested": list(queries.visits(institution, Visit.State.REQUESTED)[:200]),
        "approved": list(queries.visits(institution, Visit.State.APPROVED)[:200]),
        "inside": list(queries.visits(institution, Visit.State.INSIDE)[:200]),
        "visits": list(queries.visits(institution)[:100]),
        "unapproved": queries.unapproved_entries(institution),
        "imports": queries.door_imports(institution),
        "request_form": forms.get("request_form") or (VisitRequestForm() if works else None),
        "door_form": forms.get("door_form") or (DoorLogForm() if manages else None),
        "entry_form": EntryForm(staff=staff),
        "exit_form": ExitForm(),
        "today": timezone.localdate(),
    }
    return render(request, "control/visitors.html", context, status=status)


@never_cache
@login_required
def visitors(request: HttpRequest, slug: str) -> HttpResponse:
    return _visitors(request, _visitors_institution(request, slug))


@require_POST
@permission_required(Permission.WORK_CONTROL_ROOM)
def visit_request(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.WORK_CONTROL_ROOM)
    return post_form(
        request,
        VisitRequestForm(request.POST),
        lambda actor, data: request_visit(actor, institution, **data),
        message=lambda visit: f"{visit.visitor_name}님의 방문 신청을 접수했습니다 (센터장 승인 대기)",
        then=lambda _visit: redirect("control:visitors", slug=institution.slug),
        again=lambda form: _visitors(request, institution, status=400, request_form=form),
    )


def _visit(request: HttpRequest, institution: Institution) -> Visit | None:
    try:
        pk = parse_id(request.POST.get("visit", ""), "visit")
    except ValueError:
        return None
    return Visit.objects.filter(institution=institution, pk=pk).first()


def _refused(
    request: HttpRequest, institution: Institution, visit: Visit | None, message: str
) -> HttpResponse:
    who = f"{visit.visitor_name}님 방문: " if visit is not None else ""
    return _visitors(request, institution, status=400, errors=[who + message])


@require_POST
@permission_required(Permission.MANAGE_CONTROL_ROOM)
def visit_decide(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_CONTROL_ROOM, whole=True)
    visit = _visit(request, institution)
    form = DecideForm(request.POST)
    if visit is None or not form.is_valid():
        return _refused(request, institution, visit, "방문 신청과 승인·거부를 고르세요")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        decide_visit(Actor.from_request(request), visit, approve=approve, note=form.cleaned_data["note"])
    except RoomError as error:
        return _refused(request, institution, visit, str(error))
    messages.success(request, f"{visit.visitor_name}님의 방문을 {'승인' if approve else '거부'}했습니다")
    return redirect("control:visitors", slug=institution.slug)


@require_POST
@permission_required(Permission.WORK_CONTROL_ROOM)
def visit_entry(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.WORK_CONTROL_ROOM)
    visit = _visit(request, institution)
    form = EntryForm(request.POST, staff=queries.room_staff(institution))
    if visit is None or not form.is_valid():
        problems = "; ".join(
            f"{form.fields[f].label}: {e[0]}" for f, e in form.errors.items() if f in form.fields
        )
        return _refused(request, institution, visit, problems or "방문을 고르세요")
    try:
        record_entry(
            Actor.from_request(request),
            visit,
            badge=form.cleaned_data["badge"],
            escort=form.cleaned_data["escort"],
        )
    except RoomError as error:
        return _refused(request, institution, visit, str(error))
    messages.success(request, f"{visit.visitor_name}님의 입실을 기록했습니다")
    return redirect("control:visitors", slug=institution.slug)


@require_POST
@permission_required(Permission.WORK_CONTROL_ROOM)
def visit_exit(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.WORK_CONTROL_ROOM)
    visit = _visit(request, institution)
    form = ExitForm(request.POST)
    if visit is None or not form.is_valid():
        return _refused(request, institution, visit, "방문과 보안검색 항목을 확인하세요")
    try:
        check = record_exit(
            Actor.from_request(request),
            visit,
            confirmed=form.cleaned_data["confirmed"],
            findings=form.cleaned_data["findings"],
        )
    except RoomError as error:
        return _refused(request, institution, visit, str(error))
    outcome = "이상 없음" if check.all_clear else "특이 사항 있음"
    messages.success(request, f"{visit.visitor_name}님의 퇴실과 보안검색({outcome})을 기록했습니다")
    return redirect("control:visitors", slug=institution.slug)


@require_http_methods(["POST"])
@permission_required(Permission.MANAGE_CONTROL_ROOM)
def door_log(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_CONTROL_ROOM, whole=True)
    form = DoorLogForm(request.POST, request.FILES)
    if not form.is_valid():
        return _visitors(request, institution, status=400, door_form=form)
    upload = form.cleaned_data["file"]
    # Size first, before reading it (the parser checks again, and counts the rows before any work).
    if upload.size > MAX_BYTES:
        form.add_error(
            "file", f"{upload.name}: 파일이 너무 큽니다 ({upload.size:,}바이트, 최대 {MAX_BYTES:,}바이트)"
        )
        return _visitors(request, institution, status=400, door_form=form)
    try:
        source = import_door_log(
            Actor.from_request(request), institution, file_name=upload.name, data=upload.read()
        )
    except DoorLogRefused as refused:
        for error in refused.errors:
            form.add_error("file", error)
        return _visitors(request, institution, status=400, door_form=form)
    except RoomError as error:
        add_room_error(form, error)
        return _visitors(request, institution, status=400, door_form=form)
    flagged = source.entries.filter(unapproved=True).count()
    rows = source.entries.count()
    messages.success(request, f"{source.file_name}: {rows}건을 가져왔습니다 (승인 없는 출입 {flagged}건)")
    return redirect("control:visitors", slug=institution.slug)
