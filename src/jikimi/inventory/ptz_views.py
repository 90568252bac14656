"""Staff pages of a location's approved PTZ presets and privacy zones (R14): the list, and one form per
preset or zone (add, change, remove).

Each view parses, authorizes, calls one action (`actions.ptz_views.edit_ptz_view`), renders. Who may:
EDIT_REGISTER on the location's device group — as the group's edit page, since the presets are the
register's (the file's `ptz:` section) and the purpose of the group decides them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.accounts.permissions import Permission, ensure_permission, permission_required
from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions.entries import EntryRefused
from jikimi.inventory.actions.ptz_views import KIND_LABELS, Kind, PtzViewEdit, edit_ptz_view
from jikimi.inventory.history import history_rows, ptz_history
from jikimi.inventory.ptz_forms import PrivacyZoneForm, PtzPresetForm


def _location(request: HttpRequest, pk: int) -> models.Location:
    location = get_object_or_404(
        models.Location.objects.select_related("device_group", "device_group__institution"), pk=pk
    )
    ensure_permission(request.user, Permission.EDIT_REGISTER, device_group=location.device_group)
    return location


@require_GET
@permission_required(Permission.EDIT_REGISTER)
def ptz_views(request: HttpRequest, pk: int) -> HttpResponse:
    location = _location(request, pk)
    return render(
        request,
        "inventory/ptz_views.html",
        {
            "location": location,
            "group": location.device_group,
            "presets": location.ptz_presets.order_by("position", "id"),
            "zones": location.privacy_zones.order_by("position", "id"),
            "cameras": models.PtzCamera.objects.filter(device__location=location).select_related("device"),
            "history": history_rows(ptz_history(location)[:20]),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def preset_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, pk, "presets", "")


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def preset_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit(request, pk, "presets", key)


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def zone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, pk, "privacy_zones", "")


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def zone_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit(request, pk, "privacy_zones", key)


def _initial(location: models.Location, kind: str, key: str) -> dict[str, Any]:
    if kind == "presets":
        preset = location.ptz_presets.filter(key=key).first()
        if preset is None:
            raise Http404("승인 프리셋이 없습니다")
        return {n: getattr(preset, n) for n in ("name", "pan", "tilt", "zoom", "tolerance", "camera_preset")}
    zone = location.privacy_zones.filter(key=key).first()
    if zone is None:
        raise Http404("사생활 보호 구역이 없습니다")
    return {n: getattr(zone, n) for n in ("name", "pan_min", "pan_max", "tilt_min", "tilt_max", "zoom_min")}


def _edit(request: HttpRequest, pk: int, kind: Kind, key: str) -> HttpResponse:
    location = _location(request, pk)
    initial = _initial(location, kind, key) if key else {}
    form_class = PtzPresetForm if kind == "presets" else PrivacyZoneForm
    form = form_class(request.POST or None, adding=not key, initial=initial)
    remove = request.method == "POST" and bool(key) and bool(request.POST.get("remove"))
    if remove:
        # A removal needs only its reason: the values on the form are not what is asked for.
        for name in list(form.fields):
            if name != "reason":
                form.fields[name].required = False
    if request.method == "POST" and form.is_valid():
        values = {} if remove else {n: v for n, v in form.cleaned_data.items() if n != "reason"}
        edit = PtzViewEdit(kind, key=key, values=values, remove=remove)
        try:
            result = edit_ptz_view(Actor.from_request(request), location, edit, form.cleaned_data["reason"])
        except EntryRefused as refused:
            for problem in refused.problems:
                form.add_error(problem.field if problem.field in form.fields else None, str(problem))
        else:
            label = KIND_LABELS[kind]
            messages.success(request, f"{label}을(를) {'지웠' if remove else '저장했'}습니다.")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("inventory:ptz_views", pk=location.pk)
    return render(
        request,
        "inventory/ptz_form.html",
        {
            "location": location,
            "group": location.device_group,
            "form": form,
            "kind_label": KIND_LABELS[kind],
            "key": key,
            "adding": not key,
        },
        status=400 if request.method == "POST" else 200,
    )
