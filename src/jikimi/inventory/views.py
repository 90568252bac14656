"""Staff pages of the register: list, detail, edit. Each view parses, authorizes, calls one action, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.accounts.permissions import (
    Permission,
    ensure_permission,
    has_permission,
    institutions_for,
    permission_required,
)
from jikimi.audit.context import Actor
from jikimi.audit.queries import entries_about
from jikimi.inventory import actions, models, queries
from jikimi.inventory.checks import group_problems
from jikimi.inventory.forms import DeviceGroupForm, LocationFormSet, location_changes, location_initial
from jikimi.inventory.history import history_rows, where
from jikimi.inventory.models import DeviceGroup
from jikimi.inventory.queries import LEGAL_BASIS_LABELS, SHORT_BASIS_LABELS
from jikimi.inventory.reconciliation import reconcile, reconcile_for


@require_GET
@permission_required(Permission.VIEW_REGISTER)
def group_list(request: HttpRequest) -> HttpResponse:
    visible = queries.visible_groups(request.user)
    wanted = queries.GroupFilter.from_query(request.GET)
    groups = list(queries.filter_groups(visible, wanted))
    context = {
        "groups": groups,
        "wanted": wanted,
        "total_devices": sum(g.count or 0 for g in groups),
        # Groups whose count is not published: the total above leaves them out, and says so.
        "unpublished_counts": sum(1 for g in groups if g.count is None),
        "basis_labels": SHORT_BASIS_LABELS,
        **queries.filter_options(visible),
        "editable_institutions": institutions_for(request.user, Permission.EDIT_REGISTER),
    }
    # HTMX asks for the table alone when a filter changes.
    template = (
        "inventory/_group_table.html" if request.headers.get("HX-Request") else "inventory/group_list.html"
    )
    return render(request, template, context)


def _group_or_404(pk: int) -> DeviceGroup:
    group = queries.group_with_details(pk)
    if group is None:
        raise Http404("기기 묶음이 없습니다")
    return group


@require_GET
@permission_required(Permission.VIEW_REGISTER)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group_or_404(pk)
    ensure_permission(request.user, Permission.VIEW_REGISTER, device_group=group)
    problems = group_problems(group)
    return render(
        request,
        "inventory/group_detail.html",
        {
            "group": group,
            "errors": [(where(p.path, p.field), p) for p in problems if p.is_error],
            "warnings": [p for p in problems if not p.is_error],
            "legal_bases": [(code, LEGAL_BASIS_LABELS.get(code, code)) for code in group.legal_bases],
            "schedule_note": queries.schedule_note(group.recording_hours),
            "can_edit": has_permission(request.user, Permission.EDIT_REGISTER, device_group=group),
            "history": history_rows(
                entries_about(group._meta.label, str(group.pk)).order_by("-sequence")[:20]
            ),
            "reconciliation": reconcile(models.DeviceGroup.objects.filter(pk=group.pk))[0],
            "ptz_locations": _ptz_locations(group),
        },
    )


def _ptz_locations(group: models.DeviceGroup) -> list[models.Location]:
    """R14: the group's locations whose register states PTZ views (approved presets, privacy zones)."""
    locations = group.locations.prefetch_related("ptz_presets", "privacy_zones").order_by("position", "id")
    return [loc for loc in locations if loc.ptz_presets.all() or loc.privacy_zones.all()]


@require_GET
@permission_required(Permission.VIEW_REGISTER)
def reconciliation(request: HttpRequest) -> HttpResponse:
    """Per group and location: the register's count against the devices registered and connected."""
    return render(request, "inventory/reconciliation.html", {"reconciliation": reconcile_for(request.user)})


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group_or_404(pk)
    ensure_permission(request.user, Permission.EDIT_REGISTER, device_group=group)
    form = DeviceGroupForm(request.POST or None, instance=group)
    locations = LocationFormSet(request.POST or None, initial=location_initial(group), prefix="locations")
    unconfirmed = None
    if request.method == "POST" and form.is_valid() and locations.is_valid():
        wanted, indexes = location_changes(locations)
        # 법 제21조①: the officer confirms the devices' new terms as shown (the box carries the
        # fingerprint of what was shown; a changed edit is shown again).
        confirmed = request.POST.get("confirm_term_changes", "") if request.POST.get("confirm") else ""
        try:
            update = actions.update_device_group(
                Actor.from_request(request),
                group,
                form.changes(),
                form.cleaned_data["reason"],
                locations=wanted if locations.has_changed() else None,
                confirm_term_changes=confirmed,
            )
        except actions.GroupChangeRefused as refused:
            _show_problems(refused, form, locations, indexes)
        except actions.GroupTermChangesNotConfirmed as changes:
            unconfirmed = changes
        else:
            messages.success(request, f"'{group.name}'을(를) 고쳤습니다.")
            for warning in update.warnings:
                messages.warning(
                    request, f"{warning.message} — 다음 방침 개정 때 공표 합계를 고치세요 [{warning.rule}]"
                )
            return redirect("inventory:group_detail", pk=group.pk)
    return render(
        request,
        "inventory/group_edit.html",
        {"group": group, "form": form, "locations": locations, "unconfirmed": unconfirmed},
    )


def _show_problems(
    refused: actions.GroupChangeRefused, form: Any, locations: Any, indexes: list[int]
) -> None:
    for problem in refused.problems:
        message = f"{problem.message}{f' [{problem.rule}]' if problem.rule else ''}"
        if problem.path[:1] == ("locations",) and len(problem.path) > 1 and isinstance(problem.path[1], int):
            target = locations.forms[indexes[problem.path[1]]] if problem.path[1] < len(indexes) else None
            if target is not None:
                target.add_error(problem.field if problem.field in target.fields else None, message)
                continue
        if problem.field in form.fields:
            form.add_error(problem.field, message)
        else:
            form.add_error(None, message)
