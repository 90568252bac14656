"""The PTZ pages (R14; 오산시 지침 제18조①, 제29조①): a camera's approved presets, its moves and alerts.

A view parses, authorizes, calls one action, renders. Moving needs OPERATE_PTZ over the camera's group
and the right to watch it live (R47 narrows the seconded police); closing an alert needs MANAGE_TICKETS.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, has_permission, permission_required
from jikimi.audit.context import Actor
from jikimi.control.actions.ptz import PtzRefused, close_alert, move_camera
from jikimi.control.models import PtzMove
from jikimi.control.ptz_forms import CloseAlertForm, ManualMoveForm, PresetMoveForm
from jikimi.control.ptz_queries import (
    may_operate,
    moves_of,
    open_alerts,
    presets_of,
    ptz_cameras_for,
    zones_of,
)
from jikimi.inventory.models import PtzCamera
from jikimi.rules.ptz import Position


def _camera_or_403(request: HttpRequest, device: int) -> PtzCamera:
    camera = get_object_or_404(
        PtzCamera.objects.select_related("device", "device__device_group", "device__location"),
        device_id=device,
    )
    if not may_operate(request.user, camera.device):
        raise PermissionDenied("이 기기의 PTZ 조작 권한이 없습니다")
    return camera


@require_GET
@permission_required(Permission.OPERATE_PTZ)
def ptz_index(request: HttpRequest) -> HttpResponse:
    cameras = ptz_cameras_for(request.user)
    return render(
        request,
        "control/ptz/index.html",
        {"cameras": cameras, "alerts": open_alerts([c.device for c in cameras])},
    )


def _page(
    request: HttpRequest,
    camera: PtzCamera,
    *,
    preset_form: PresetMoveForm | None = None,
    manual_form: ManualMoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    device = camera.device
    moves = list(moves_of(device))
    return render(
        request,
        "control/ptz/camera.html",
        {
            "camera": camera,
            "device": device,
            "presets": presets_of(device),
            "zones": zones_of(device),
            "moves": moves,
            "last": moves[0] if moves else None,
            "alerts": [m for m in moves if m.alert_open],
            "preset_form": preset_form or PresetMoveForm(location_id=device.location_id),
            "manual_form": manual_form or ManualMoveForm(),
            "close_form": CloseAlertForm(),
            "may_close": has_permission(
                request.user, Permission.MANAGE_TICKETS, device_group=device.device_group
            ),
            # R14: the approved views are the register's; who edits the group's register changes them there.
            "may_edit_register": device.location_id is not None
            and has_permission(request.user, Permission.EDIT_REGISTER, device_group=device.device_group),
        },
        status=status,
    )


@require_GET
@permission_required(Permission.OPERATE_PTZ)
def ptz_camera(request: HttpRequest, device: int) -> HttpResponse:
    return _page(request, _camera_or_403(request, device))


@require_POST
@permission_required(Permission.OPERATE_PTZ)
def ptz_move(request: HttpRequest, device: int) -> HttpResponse:
    camera = _camera_or_403(request, device)
    actor = Actor.from_request(request)
    try:
        if request.POST.get("mode") == "manual":
            manual = ManualMoveForm(request.POST)
            if not manual.is_valid():
                return _page(request, camera, manual_form=manual, status=400)
            data = manual.cleaned_data
            move = move_camera(
                actor,
                camera,
                position=Position(data["pan"], data["tilt"], data["zoom"]),
                reason=data["reason"],
            )
        else:
            form = PresetMoveForm(request.POST, location_id=camera.device.location_id)
            if not form.is_valid():
                return _page(request, camera, preset_form=form, status=400)
            move = move_camera(
                actor, camera, preset=form.cleaned_data["preset"], reason=form.cleaned_data["reason"]
            )
    except PtzRefused as error:
        messages.error(request, str(error))
        return _page(request, camera, status=400)
    if move.error:
        messages.error(request, f"이동하지 못했습니다: {move.error}")
    elif move.alert:
        messages.warning(request, f"경보: {move.alert} ({move.to_text})")
    else:
        messages.success(request, f"승인 프리셋 「{move.matched_preset}」 화각입니다 ({move.to_text})")
    return redirect("control:ptz_camera", device=camera.device_id)


@require_POST
@permission_required(Permission.MANAGE_TICKETS)
def ptz_close_alert(request: HttpRequest, move: int) -> HttpResponse:
    found = get_object_or_404(PtzMove.objects.select_related("device", "device__device_group"), pk=move)
    if not has_permission(request.user, Permission.MANAGE_TICKETS, device_group=found.device.device_group):
        raise PermissionDenied("이 기기 묶음의 유지보수 처리 권한이 없습니다")
    form = CloseAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, "확인 내용을 적으세요")
    else:
        try:
            close_alert(Actor.from_request(request), found, form.cleaned_data["note"])
            messages.success(request, "경보를 확인했습니다")
        except PtzRefused as error:
            messages.error(request, str(error))
    back = request.POST.get("back")
    if back == "health":
        return redirect("control:health")
    if may_operate(request.user, found.device):
        return redirect("control:ptz_camera", device=found.device_id)
    return redirect("control:health")
