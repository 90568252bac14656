"""The health pages (오산시 지침 제27조, 제31조④): cameras and recorders, maintenance tickets with their
repairs, the 정상작동 점검 기록 with the manual checks, and its XLSX export. A ticket outside the reader's
scope answers 404 (R36)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import (
    Permission,
    device_groups_for,
    has_permission,
    institutions_for,
    permission_required,
)
from jikimi.audit.context import Actor
from jikimi.control import health_queries
from jikimi.control.actions.health import (
    TicketError,
    fault_after,
    record_inspection,
    record_inspection_export,
    record_repair,
)
from jikimi.control.form_posts import form_problems
from jikimi.control.health_forms import InspectionForm, PeriodForm, RepairForm
from jikimi.control.incident_queries import loggable_devices
from jikimi.control.inspection_export import inspection_xlsx
from jikimi.control.models import MaintenanceTicket
from jikimi.inventory.models import Device
from jikimi.lib.clock import today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@permission_required(Permission.VIEW_HEALTH)
def health(request: HttpRequest) -> HttpResponse:
    devices = health_queries.health_devices(request.user)
    cameras = health_queries.camera_rows(devices)
    recorders = health_queries.recorder_rows(devices)
    return render(
        request,
        "control/health/index.html",
        {
            "section": "health",
            "cameras": cameras,
            "faulty": sum(1 for c in cameras if c.faulty),
            "strained": sum(1 for r in recorders if r.faults),
            "recorders": recorders,
            "open_tickets": health_queries.visible_tickets(request.user).filter(closed_at__isnull=True),
            "fault_after": _korean_span(fault_after().total_seconds()),
            # 오산시 지침 제21조③: what the operator sees on a camera is logged from its row (the bookmark
            # is the camera and this moment; he corrects the moment on the form).
            "may_log": has_permission(request.user, Permission.LOG_INCIDENTS),
            "loggable": set(loggable_devices(request.user).values_list("pk", flat=True)),
            "now": timezone.now(),
        },
    )


@require_GET
@permission_required(Permission.VIEW_HEALTH)
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = health_queries.visible_tickets(request.user)
    return render(
        request,
        "control/health/tickets.html",
        {
            "section": "health",
            "open_tickets": tickets.filter(closed_at__isnull=True),
            "closed_tickets": tickets.filter(closed_at__isnull=False)[:100],
        },
    )


def _ticket_or_404(request: HttpRequest, pk: int) -> MaintenanceTicket:
    ticket = health_queries.visible_tickets(request.user).filter(pk=pk).first()
    if ticket is None:
        raise Http404("유지보수 접수가 없거나 볼 권한이 없습니다")
    return ticket


def _may_manage(request: HttpRequest, ticket: MaintenanceTicket) -> bool:
    if ticket.device is not None:
        return has_permission(
            request.user, Permission.MANAGE_TICKETS, device_group=ticket.device.device_group
        )
    return has_permission(request.user, Permission.MANAGE_TICKETS, institution=ticket.institution)


@require_GET
@permission_required(Permission.VIEW_HEALTH)
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket_or_404(request, pk)
    may_repair = _may_manage(request, ticket) and (ticket.open or not ticket.repaired_by)
    return render(
        request,
        "control/health/ticket.html",
        {"section": "health", "ticket": ticket, "form": RepairForm(), "may_repair": may_repair},
    )


@require_POST
@permission_required(Permission.MANAGE_TICKETS)
def ticket_repair(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket_or_404(request, pk)
    if not _may_manage(request, ticket):
        raise PermissionDenied("이 유지보수를 처리할 권한이 없습니다")
    form = RepairForm(request.POST)
    if not form.is_valid():
        messages.error(request, "수리 내용과 수리자를 적으세요")
    else:
        try:
            record_repair(
                Actor.from_request(request),
                ticket,
                repair=form.cleaned_data["repair"],
                repaired_by=form.cleaned_data["repaired_by"],
            )
        except TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "수리 내용을 기록했습니다")
    return redirect("control:ticket", pk=ticket.pk)


def _period(request: HttpRequest) -> tuple[PeriodForm, tuple[date, date]]:
    form = PeriodForm(request.GET or None)
    return form, form.period(today())


@require_GET
@permission_required(Permission.VIEW_HEALTH)
def inspections(request: HttpRequest) -> HttpResponse:
    form, (date_from, date_to) = _period(request)
    log = health_queries.inspection_log(request.user, date_from, date_to)
    manage = has_permission(request.user, Permission.MANAGE_TICKETS)
    entry = InspectionForm(_manageable_devices(request), initial={"checked_on": today()}) if manage else None
    return render(
        request,
        "control/health/inspections.html",
        {"section": "health", "period_form": form, "log": log, "entry_form": entry},
    )


def _manageable_devices(request: HttpRequest) -> QuerySet[Device]:
    groups = device_groups_for(request.user, Permission.MANAGE_TICKETS)
    return Device.objects.filter(device_group__in=groups.values("pk")).order_by("device_group__name", "name")


@require_POST
@permission_required(Permission.MANAGE_TICKETS)
def inspection_add(request: HttpRequest) -> HttpResponse:
    form = InspectionForm(_manageable_devices(request), request.POST)
    if not form.is_valid():
        messages.error(request, f"점검을 기록하지 못했습니다 — {form_problems(form)}")
        return redirect("control:inspections")
    data = form.cleaned_data
    device = data["device"]
    if device is not None:
        institution = device.device_group.institution
    else:
        # A check of every camera: for an institution the person manages as a whole.
        institution = institutions_for(
            request.user, Permission.MANAGE_TICKETS, whole_institution=True
        ).first()
        if institution is None:
            messages.error(request, "전체 기기 점검은 기관 전체를 맡은 사람만 기록합니다. 기기를 고르세요")
            return redirect("control:inspections")
    try:
        record_inspection(
            Actor.from_request(request),
            institution,
            device=device,
            checked_on=data["checked_on"],
            items=data["items"],
            result=data["result"],
            note=data["note"],
        )
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "점검을 기록했습니다")
    return redirect("control:inspections")


def inspection_download(
    request: HttpRequest,
    file_format: str,
    content_type: str,
    write: Callable[[health_queries.InspectionLog, str], tuple[bytes, int]],
) -> HttpResponse:
    """The 정상작동 점검 기록 of the asked period as a file (XLSX here, PDF in inspection_pdf_views): the
    lines the reader may see, the export audited with its period and count (R40)."""
    _form, (date_from, date_to) = _period(request)
    log = health_queries.inspection_log(request.user, date_from, date_to)
    data, rows = write(log, f"점검 기간 {date_from:%Y-%m-%d} ~ {date_to:%Y-%m-%d}")
    record_inspection_export(
        Actor.from_request(request), file_format=file_format, date_from=date_from, date_to=date_to, rows=rows
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"inspections-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@permission_required(Permission.VIEW_HEALTH)
def inspections_xlsx(request: HttpRequest) -> HttpResponse:
    return inspection_download(
        request, "xlsx", XLSX, lambda log, heading: inspection_xlsx(log, heading=heading)
    )


def _korean_span(seconds: float) -> str:
    """ "5분", "1분 30초", "20초": `make run` sets 20 s, which the page printed as "0분"."""
    minutes, rest = divmod(round(seconds), 60)
    return (
        " ".join(part for part in (f"{minutes}분" if minutes else "", f"{rest}초" if rest else "") if part)
        or "0초"
    )
