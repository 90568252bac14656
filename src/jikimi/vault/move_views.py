"""Moving a device to another location of the register (법 제21조①, R16, R36): pick, confirm, move."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jikimi.accounts.permissions import Permission, ensure_permission, permission_required
from jikimi.audit.context import Actor
from jikimi.vault import queries
from jikimi.vault.actions.devices import DeviceError, MoveNotConfirmed, move_device
from jikimi.vault.forms import MoveDeviceForm
from jikimi.vault.views import device_or_404


@require_POST
@permission_required(Permission.MANAGE_DEVICES)
def device_move(request: HttpRequest, pk: int) -> HttpResponse:
    device = device_or_404(pk)
    ensure_permission(request.user, Permission.MANAGE_DEVICES, device_group=device.device_group)
    form = MoveDeviceForm(
        request.POST, groups=queries.groups_for(request.user, Permission.MANAGE_DEVICES), device=device
    )
    if not form.is_valid():
        return render(request, "vault/device_move.html", {"device": device, "form": form}, status=400)
    location = form.cleaned_data["location"]
    ensure_permission(request.user, Permission.MANAGE_DEVICES, device_group=location.device_group)
    try:
        moved = move_device(
            Actor.from_request(request),
            device,
            location,
            form.cleaned_data["reason"],
            confirm_term_changes=form.cleaned_data["confirm"],
        )
    except MoveNotConfirmed as unconfirmed:
        # Shown first; the same form posts again with the box ticked.
        return render(
            request,
            "vault/device_move.html",
            {"device": device, "form": form, "change": unconfirmed.change, "location": location},
        )
    except DeviceError as error:
        form.add_error(None, str(error))
        return render(request, "vault/device_move.html", {"device": device, "form": form}, status=400)
    messages.success(request, f"기기 '{moved.name}'을(를) 위치 '{location.name}'(으)로 옮겼습니다")
    return redirect("vault:device_detail", pk=moved.pk)
