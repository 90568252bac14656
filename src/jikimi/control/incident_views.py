"""The incident pages (오산시 지침 제21조③): the list (with the police officer's unread notices), logging
an incident from a bookmark, its page, the report to 112 / 재난상황실, follow-ups and the closure.

Each view parses, authorizes, calls one action, renders. An incident outside the reader's scope
answers 404, as one that does not exist (R36).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jikimi.accounts.permissions import Permission, ensure_permission, has_permission, login_required
from jikimi.audit.context import Actor
from jikimi.control import incident_queries
from jikimi.control.actions.incidents import (
    IncidentError,
    close_incident,
    follow_up,
    log_incident,
    read_notice,
    report_incident,
)
from jikimi.control.form_posts import form_problems
from jikimi.control.incident_forms import CloseForm, FollowUpForm, IncidentForm, ReportForm
from jikimi.control.models import Incident, IncidentNotice
from jikimi.engine.footage import FootageError
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.holds import HoldError

log = logging.getLogger(__name__)


def _reader(request: HttpRequest) -> None:
    if not any(has_permission(request.user, p) for p in incident_queries.READERS):
        raise PermissionDenied("관제 사건을 기록하거나 통보받을 권한이 없습니다")


def _incident_or_404(request: HttpRequest, pk: int) -> Incident:
    incident = incident_queries.incident_for(request.user, pk)
    if incident is None:
        raise Http404("관제 사건이 없거나 볼 권한이 없습니다")
    return incident


def _local(moment: datetime) -> str:
    return moment.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")


def provision_link(user: Any, incident: Incident) -> str:
    """The provision intake (disclosure) prefilled with the incident's camera site, window and number —
    for whoever handles provisions over the camera; empty otherwise or without a site."""
    device = incident.device
    if device.location_id is None:
        return ""
    if not has_permission(user, Permission.HANDLE_PROVISIONS, device_group=device.device_group):
        return ""
    hold = incident.hold
    start, end = (hold.start, hold.end) if hold is not None else (incident.seen_at, incident.seen_at)
    query = urlencode(
        {
            "site_1": device.location_id,
            "start_1": _local(start),
            "end_1": _local(end),
            "purpose": f"관제 사건 {incident.number} ({incident.get_kind_display()}) 관련 수사",
        }
    )
    return f"{reverse('provisions:new', args=[device.device_group.institution.slug])}?{query}"


@require_GET
@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    incidents = incident_queries.visible_incidents(request.user)
    return render(
        request,
        "control/incidents/index.html",
        {
            "section": "incidents",
            "notices": list(incident_queries.unread_notices(request.user)),
            "open_incidents": list(incidents.exclude(state=Incident.State.CLOSED)[:200]),
            "closed_incidents": list(incidents.filter(state=Incident.State.CLOSED)[:50]),
            "may_log": has_permission(request.user, Permission.LOG_INCIDENTS),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    """From a bookmark: `?device=<pk>&at=<YYYY-MM-DDTHH:MM:SS>` fills the camera and the moment."""
    ensure_permission(request.user, Permission.LOG_INCIDENTS)
    devices = incident_queries.loggable_devices(request.user)
    initial: dict[str, Any] = {
        "seen_at": timezone.now().astimezone(SEOUL).replace(microsecond=0, tzinfo=None)
    }
    if request.method == "GET":
        if request.GET.get("device", "").isdigit():
            initial["device"] = int(request.GET["device"])
        if request.GET.get("at"):
            initial["seen_at"] = request.GET["at"][:19]
    form = IncidentForm(devices, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = log_incident(
                Actor.from_request(request),
                data["device"],
                kind=data["kind"],
                seen_at=data["seen_at"],
                description=data["description"],
            )
        except IncidentError as error:
            form.add_error(None, str(error))
        except (FootageError, HoldError) as error:
            log.warning("incident on device %s not logged: %s", data["device"].pk, error)
            form.add_error(None, "사건을 기록하지 못했습니다 (영상 분리 보관 중 오류). 다시 시도하세요")
        else:
            told = incident.notices.count()
            messages.success(
                request,
                f"사건 {incident.number}을(를) 기록하고 상황실 경찰 {told}명에게 알렸습니다. "
                "영상을 분리 보관했습니다.",
            )
            return redirect("control:incident", pk=incident.pk)
    return render(request, "control/incidents/new.html", {"section": "incidents", "form": form})


@require_GET
@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    incident = _incident_or_404(request, pk)
    notice = IncidentNotice.objects.filter(incident=incident, recipient_id=request.user.pk).first()
    if notice is not None:
        read_notice(Actor.from_request(request), notice)
    group = incident.device.device_group
    may_report = has_permission(request.user, Permission.REPORT_INCIDENTS, device_group=group)
    return render(
        request,
        "control/incidents/detail.html",
        {
            "section": "incidents",
            "incident": incident,
            "notices": incident.notices.select_related("recipient").order_by("sent_at"),
            "follow_ups": incident.follow_ups.select_related("written_by"),
            "may_report": may_report,
            "report_form": ReportForm(
                prefix="report",
                initial={"reported_at": timezone.now().astimezone(SEOUL).replace(microsecond=0, tzinfo=None)},
            ),
            "follow_up_form": FollowUpForm(prefix="follow_up"),
            "close_form": CloseForm(prefix="close", initial={"hold_decision": Incident.HoldDecision.KEEP}),
            "provision_url": provision_link(request.user, incident),
        },
    )


@require_POST
@login_required
def incident_report(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    incident = _incident_or_404(request, pk)
    ensure_permission(request.user, Permission.REPORT_INCIDENTS, device_group=incident.device.device_group)
    form = ReportForm(request.POST, prefix="report")
    if not form.is_valid():
        messages.error(request, f"통보를 기록하지 못했습니다 — {form_problems(form)}")
    else:
        data = form.cleaned_data
        try:
            report_incident(
                Actor.from_request(request),
                incident,
                channel=data["channel"],
                receiver=data["receiver"],
                reported_at=data["reported_at"],
                note=data["note"],
            )
        except IncidentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "통보를 기록했습니다")
    return redirect("control:incident", pk=incident.pk)


@require_POST
@login_required
def incident_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    incident = _incident_or_404(request, pk)
    form = FollowUpForm(request.POST, prefix="follow_up")
    if not form.is_valid():
        messages.error(request, f"후속 조치를 기록하지 못했습니다 — {form_problems(form)}")
    else:
        try:
            follow_up(Actor.from_request(request), incident, form.cleaned_data["note"])
        except IncidentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "후속 조치를 기록했습니다")
    return redirect("control:incident", pk=incident.pk)


@require_POST
@login_required
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    incident = _incident_or_404(request, pk)
    ensure_permission(request.user, Permission.REPORT_INCIDENTS, device_group=incident.device.device_group)
    form = CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        messages.error(request, f"종결하지 못했습니다 — {form_problems(form)}")
    else:
        data = form.cleaned_data
        try:
            close_incident(
                Actor.from_request(request),
                incident,
                note=data["note"],
                hold_decision=data["hold_decision"],
                keep_until=data["keep_until"],
            )
        except (IncidentError, HoldError) as error:
            messages.error(request, str(error))
        except FootageError as error:
            log.warning("incident %s: hold not released: %s", incident.pk, error)
            messages.error(request, "분리 보관을 해제하지 못했습니다 (종결되지 않음). 다시 시도하세요")
        else:
            messages.success(request, f"사건 {incident.number}을(를) 종결했습니다")
    return redirect("control:incident", pk=incident.pk)
