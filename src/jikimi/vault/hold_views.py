"""Pages of legal holds (법 제21조③, R18): place, release and extend a hold, each an audited action."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from jikimi.accounts.permissions import Permission, ensure_permission, permission_required
from jikimi.audit.context import Actor
from jikimi.engine.footage import FootageError
from jikimi.vault.actions.holds import HoldError, extend_hold, place_hold, release_hold
from jikimi.vault.forms import ExtendForm, HoldForm, ReleaseForm
from jikimi.vault.models import LegalHold
from jikimi.vault.views import device_or_404

logger = logging.getLogger(__name__)


def _hold_or_404(pk: int) -> LegalHold:
    hold = LegalHold.objects.select_related("device__device_group").filter(pk=pk).first()
    if hold is None:
        raise Http404("분리 보관이 없습니다")
    return hold


@require_http_methods(["GET", "POST"])
@permission_required(Permission.PLACE_HOLD)
def hold_new(request: HttpRequest, pk: int) -> HttpResponse:
    device = device_or_404(pk)
    ensure_permission(request.user, Permission.PLACE_HOLD, device_group=device.device_group)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hold = place_hold(
                Actor.from_request(request),
                device,
                data["start"],
                data["end"],
                basis=data["basis"],
                requester=data["requester"],
                ends_on=data["ends_on"],
                case_reference=data["case_reference"],
            )
        except HoldError as error:
            form.add_error(None, str(error))
        except FootageError as error:
            # The engine's text names the store and its objects: the log keeps it, the officer is told
            # what happened (R41: nothing about the store reaches the page).
            logger.warning("hold on device %s failed: %s", device.pk, error)
            form.add_error(
                None,
                "분리 보관을 설정하지 못했습니다 (설정된 것 없음). 영상 사본을 만드는 중 저장소에서 오류가 "
                "났습니다. 계속되면 관리자에게 알리세요",
            )
        else:
            messages.success(request, f"분리 보관을 설정했습니다 (조각 {hold.copies.count()}개)")
            return redirect("vault:device_detail", pk=device.pk)
    return render(request, "vault/hold_new.html", {"device": device, "form": form})


@require_POST
@permission_required(Permission.PLACE_HOLD)
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    hold = _hold_or_404(pk)
    ensure_permission(request.user, Permission.PLACE_HOLD, device_group=hold.device.device_group)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "해제 사유를 입력하세요")
    else:
        try:
            release_hold(Actor.from_request(request), hold, reason=form.cleaned_data["reason"])
        except HoldError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "분리 보관을 해제했습니다. 보관기간이 지난 영상은 파기되었습니다.")
    return redirect("vault:device_detail", pk=hold.device_id)


@require_POST
@permission_required(Permission.PLACE_HOLD)
def hold_extend(request: HttpRequest, pk: int) -> HttpResponse:
    hold = _hold_or_404(pk)
    ensure_permission(request.user, Permission.PLACE_HOLD, device_group=hold.device.device_group)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[k].label}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()
        )
        messages.error(request, f"분리 보관을 연장하지 못했습니다 — {problems}")
    else:
        data = form.cleaned_data
        try:
            extend_hold(Actor.from_request(request), hold, ends_on=data["ends_on"], reason=data["reason"])
        except HoldError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"분리 보관을 {data['ends_on']:%Y-%m-%d}까지 연장했습니다.")
    return redirect("vault:device_detail", pk=hold.device_id)
