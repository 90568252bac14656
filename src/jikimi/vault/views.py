"""Staff pages of the vault. Each view parses, authorizes, calls one action (or query), renders."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jikimi.accounts.permissions import (
    Permission,
    ensure_permission,
    has_permission,
    login_required,
    permission_required,
)
from jikimi.audit.context import Actor
from jikimi.engine.footage import FootageError, FootageRejected
from jikimi.inventory.models import Device, PtzCamera
from jikimi.lib.input_limits import MAX_SEARCH_LENGTH, check_printable, parse_id
from jikimi.rules.coverage import COVERAGE_LABELS
from jikimi.vault import queries
from jikimi.vault.actions.alerts import alerts_for
from jikimi.vault.actions.devices import DeviceError, add_device
from jikimi.vault.actions.existence import check_existence
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.actions.recording_triggers import TriggerError, start_recording, stop_recording
from jikimi.vault.attention import not_recording
from jikimi.vault.certificate import certificate_pdf
from jikimi.vault.forms import (
    DeviceForm,
    MoveDeviceForm,
    PeriodForm,
    TriggerForm,
    UploadForm,
    WindowForm,
)
from jikimi.vault.hours import device_schedule
from jikimi.vault.keyring import FootageRefused
from jikimi.vault.models import Destruction
from jikimi.vault.playback import (
    Timeline,
    timeline,
)
from jikimi.vault.staff_messages import rejected_file
from jikimi.vault.terms import device_terms

logger = logging.getLogger(__name__)

# Inputs have limits: the existence check names at most this many devices, groups or sites at once.
MAX_NAMED = 100

VAULT_PERMISSIONS = (Permission.VIEW_FOOTAGE, Permission.MANAGE_DEVICES, Permission.PLACE_HOLD)


def device_or_404(pk: int) -> Device:
    device = (
        Device.objects.select_related("device_group", "device_group__department", "location")
        .filter(pk=pk)
        .first()
    )
    if device is None:
        raise Http404("기기가 없습니다")
    return device


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not any(has_permission(request.user, p) for p in (*VAULT_PERMISSIONS, Permission.DESTROY_FOOTAGE)):
        raise PermissionDenied("영상 보관 권한이 없습니다")
    devices: dict[int, Device] = {}
    for permission in VAULT_PERMISSIONS:
        devices.update({d.pk: d for d in queries.devices_for(request.user, permission)})
    # ?state=down: only the cameras that should record and do not (the home page's "녹화 안 됨", R41).
    down_only = request.GET.get("state") == "down"
    down: dict[int, Any] = {}
    if down_only:
        scope = Device.objects.filter(pk__in=list(devices))
        down = {row.device.pk: row for row in not_recording(scope)}
        devices = {pk: device for pk, device in devices.items() if pk in down}
    stopped = queries.stopped_recorders(list(devices.values()))
    for device in devices.values():
        device.state_label = (  # type: ignore[attr-defined]
            down[device.pk].why if down_only else queries.device_state(device, stopped)
        )
    return render(
        request,
        "vault/index.html",
        {
            "devices": sorted(devices.values(), key=lambda d: (d.device_group.name, d.name)),
            "down_only": down_only,
            "can_add": has_permission(request.user, Permission.MANAGE_DEVICES),
            "can_view": has_permission(request.user, Permission.VIEW_FOOTAGE),
            "can_destroy": has_permission(request.user, Permission.DESTROY_FOOTAGE),
            "open_alerts": alerts_for(request.user).filter(acknowledged_at__isnull=True).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.MANAGE_DEVICES)
def device_add(request: HttpRequest) -> HttpResponse:
    form = DeviceForm(
        request.POST or None, groups=queries.groups_for(request.user, Permission.MANAGE_DEVICES)
    )
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["device_group"]
        ensure_permission(request.user, Permission.MANAGE_DEVICES, device_group=group)
        try:
            device = add_device(
                Actor.from_request(request),
                group,
                form.cleaned_data["name"],
                location=form.cleaned_data["location"],
                source_url=form.cleaned_data["source_url"],
                enabled=form.cleaned_data["enabled"],
            )
        except DeviceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"기기 '{device.name}'을(를) 등록했습니다")
            return redirect("vault:device_detail", pk=device.pk)
    form.forget_credentials()
    return render(request, "vault/device_add.html", {"form": form})


def _ensure_any(request: HttpRequest, device: Device) -> None:
    if not any(has_permission(request.user, p, device_group=device.device_group) for p in VAULT_PERMISSIONS):
        raise PermissionDenied("이 기기 묶음에 대한 권한이 없습니다")


@require_GET
@login_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = device_or_404(pk)
    _ensure_any(request, device)
    group = device.device_group
    can_view = has_permission(request.user, Permission.VIEW_FOOTAGE, device_group=group)
    can_manage = has_permission(request.user, Permission.MANAGE_DEVICES, device_group=group)
    schedule, _hours, _note = device_schedule(device)
    event_driven = schedule is not None and schedule.has_triggered_hours()
    return render(
        request,
        "vault/device_detail.html",
        {
            "device": device,
            # R14: a PTZ camera's ONVIF address (kept without credentials, R42)
            "ptz": PtzCamera.objects.filter(device=device).first(),
            "state": queries.device_state(device),
            "alerts": device.alerts.filter(acknowledged_at__isnull=True).order_by("-raised_at")[:20],
            "terms": device_terms(device),
            "event_driven": event_driven,
            "open_trigger": (queries.open_trigger(group, device) or queries.open_trigger(group))
            if event_driven
            else None,
            "timeline": _last_day(device) if can_view else None,
            "holds": device.holds.order_by("-placed_at")[:50],
            "segments": device.segments.filter(
                day_key__wrapped_key__isnull=False, damaged_at__isnull=True
            ).count(),
            "damaged": device.segments.filter(
                day_key__wrapped_key__isnull=False, damaged_at__isnull=False
            ).count(),
            "can_upload": can_manage,
            # R16: moving the device changes the terms it keeps; the move page confirms them first.
            "move_form": MoveDeviceForm(
                groups=queries.groups_for(request.user, Permission.MANAGE_DEVICES), device=device
            )
            if can_manage
            else None,
            "can_hold": has_permission(request.user, Permission.PLACE_HOLD, device_group=group),
            "can_view": can_view,
        },
    )


@require_POST
@permission_required(Permission.MANAGE_DEVICES)
def recording_start(request: HttpRequest, pk: int) -> HttpResponse:
    """R9: an officer starts the recording of an event-driven device (강우시, 필요시), with the reason."""
    return _trigger(request, pk, start_recording, "촬영을 시작했습니다")


@require_POST
@permission_required(Permission.MANAGE_DEVICES)
def recording_stop(request: HttpRequest, pk: int) -> HttpResponse:
    return _trigger(request, pk, stop_recording, "촬영을 종료했습니다")


def _trigger(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    device = device_or_404(pk)
    group = device.device_group
    ensure_permission(request.user, Permission.MANAGE_DEVICES, device_group=group)
    form = TriggerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "사유를 입력하세요")
    else:
        scope = None if form.cleaned_data["whole_group"] else device
        try:
            action(Actor.from_request(request), group, device=scope, reason=form.cleaned_data["reason"])
        except TriggerError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{'기기 묶음 전체의 ' if scope is None else ''}{done}.")
    return redirect("vault:device_detail", pk=device.pk)


def _last_day(device: Device) -> Timeline:
    """The device's last 24 hours as a timeline bar (the existence check's intervals)."""
    end = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    start = end - timedelta(hours=24)
    return timeline(queries.device_coverage(device, start, end).intervals, start, end)


@require_http_methods(["GET", "POST"])
@permission_required(Permission.MANAGE_DEVICES)
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    device = device_or_404(pk)
    ensure_permission(request.user, Permission.MANAGE_DEVICES, device_group=device.device_group)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        # The request's upload handlers (web.request_limits) streamed the file, capped, into one file on
        # disk: it is ingested where it lies and deleted when the request ends — never copied.
        path = Path(uploaded.temporary_file_path())
        try:
            result = ingest(
                Actor.from_request(request),
                device,
                path,
                form.cleaned_data["start"],
                source_label=uploaded.name,
            )
        except FootageRejected as error:
            # The engine's text names the server's temporary file and FFmpeg's errno: the log keeps it.
            logger.info("upload of %r for device %s refused: %s", uploaded.name, device.pk, error)
            form.add_error(
                "file",
                f"영상 파일을 받지 않았습니다 (저장된 것 없음) — {rejected_file(error, uploaded.name)}",
            )
        except FootageRefused as error:  # the register's terms (R15, R17): said as they are
            form.add_error(None, f"저장하지 못했습니다 (저장된 것 없음): {error}")
        except FootageError as error:
            # The engine's reason names the store and the server's files: it goes to the log only.
            logger.warning("upload of %r for device %s failed: %s", uploaded.name, device.pk, error)
            form.add_error(
                None,
                f"'{uploaded.name}'을(를) 저장하지 못했습니다 (저장된 것 없음). 파일이 중간에 손상되었거나 "
                "영상 저장소에 쓸 수 없습니다. 계속되면 관리자에게 알리세요",
            )
        else:
            note = " 원본의 음성은 제거했습니다 (법 제25조⑤)." if result.had_audio else ""
            if result.segments:
                messages.success(request, f"조각 {result.segments}개를 암호화해 저장했습니다.{note}")
            if result.dropped:
                messages.warning(request, result.left_out())  # R9: what was left out, and why
            return redirect("vault:device_detail", pk=device.pk)
    return render(request, "vault/upload.html", {"device": device, "form": form})


def _requested_devices(request: HttpRequest) -> list[Device]:
    """Devices named by ?device=ID and ?group=ID (403 if any is outside the user's scope), and ?site=NAME;
    ValueError (said on the page) when none is chosen or the chosen ones hold none in scope."""
    numbers = {}
    for name in ("device", "group"):
        # The page's "(선택 안 함)" sends an empty value: nothing asked, not a bad number.
        raw = [value for value in request.GET.getlist(name) if value.strip()]
        if len(raw) > MAX_NAMED:
            raise ValueError(f"{name}: 한 번에 {MAX_NAMED}개까지 고를 수 있습니다")
        numbers[name] = [parse_id(value, name) for value in raw]
    sites = [site for site in request.GET.getlist("site") if site.strip()]
    if len(sites) > MAX_NAMED or any(len(site) > MAX_SEARCH_LENGTH for site in sites):
        raise ValueError(
            f"site: 설치 위치는 {MAX_NAMED}개까지, 각 {MAX_SEARCH_LENGTH}자까지 고를 수 있습니다"
        )
    for site in sites:
        check_printable(site, "site")
    if not numbers["device"] and not numbers["group"] and not sites:
        # Pressing 확인 with every select left alone used to show nothing at all, as if it had worked.
        raise ValueError("확인할 기기, 기기 묶음 또는 설치 위치(현장)를 하나 이상 고르세요")
    try:
        devices = queries.requested_devices(request.user, numbers["device"], numbers["group"], sites)
    except Device.DoesNotExist as missing:
        raise Http404(str(missing)) from missing
    if not devices:
        raise ValueError("고른 기기 묶음·설치 위치(현장)에 확인할 수 있는 기기가 없습니다")
    return devices


def _coverage(
    request: HttpRequest, start: datetime, end: datetime
) -> list[tuple[queries.DeviceCoverage, Timeline]]:
    """Each asked device's existence check, with its timeline bar over the window."""
    results = check_existence(
        Actor.from_request(request), _requested_devices(request), start, end, via="page"
    )
    return [(result, timeline(result.intervals, start, end)) for result in results]


@require_GET
@permission_required(Permission.VIEW_FOOTAGE)
def coverage_page(request: HttpRequest) -> HttpResponse:
    results: list[tuple[queries.DeviceCoverage, Timeline]] = []
    error = ""
    # The device page links here with ?device=N only: the window is not asked yet, so the form is
    # unbound (no "필수 항목" errors before anyone typed); once 확인 sends the window, a bad one is
    # told once, next to its field, by the form itself.
    asked = "start" in request.GET or "end" in request.GET
    form = WindowForm(request.GET if asked else None)
    if asked and form.is_valid():
        try:
            results = _coverage(request, form.cleaned_data["start"], form.cleaned_data["end"])
        except ValueError as problem:
            error = str(problem)
    return render(
        request,
        "vault/coverage.html",
        {
            "form": form,
            "devices": queries.devices_for(request.user, Permission.VIEW_FOOTAGE).order_by(
                "device_group", "name"
            ),
            "groups": queries.groups_for(request.user, Permission.VIEW_FOOTAGE),
            "sites": queries.sites_for(request.user),
            "selected": [int(x) for x in request.GET.getlist("device") if x.isdigit() and len(x) <= 18],
            "results": results,
            "labels": COVERAGE_LABELS,
            "error": error,
        },
    )


def _destructions(request: HttpRequest, since: date | None, until: date | None) -> Any:
    devices = queries.devices_for(request.user, Permission.DESTROY_FOOTAGE)
    rows = queries.recent_destructions(devices)
    if since:
        rows = rows.filter(destroyed_at__date__gte=since)
    if until:
        rows = rows.filter(destroyed_at__date__lte=until)
    return rows


@require_GET
@permission_required(Permission.DESTROY_FOOTAGE)
def destruction_list(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    since = until = None
    if form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    return render(
        request,
        "vault/destruction_list.html",
        {
            "form": form,
            # The list shows counts, not the names (up to 1,440 per device-day): leave them in the database.
            "destructions": _destructions(request, since, until).defer("object_names")[:500],
            "kinds": Destruction.Kind,
        },
    )


@require_GET
@permission_required(Permission.DESTROY_FOOTAGE)
def destruction_certificate(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            "기간(since, until)을 YYYY-MM-DD로 지정하세요", status=400, content_type="text/plain"
        )
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    pdf = certificate_pdf(list(_destructions(request, since, until).order_by("destroyed_at")), since, until)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="destruction-{since}-{until}.pdf"'
    return response
