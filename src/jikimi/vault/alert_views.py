"""The alerts page (경보): what the vault found wrong, for the officers in scope; acknowledging is audited."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import login_required
from jikimi.audit.context import Actor
from jikimi.vault.actions.alerts import AlertError, acknowledge_alert, alerts_for


@require_GET
@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = alerts_for(request.user)
    return render(
        request,
        "vault/alerts.html",
        {
            "open_alerts": alerts.filter(acknowledged_at__isnull=True)[:200],
            "acknowledged": alerts.filter(acknowledged_at__isnull=False)[:50],
        },
    )


@require_POST
@login_required
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alerts_for(request.user).filter(pk=pk).first()
    if alert is None:
        # Another department's or institution's alert is as absent as a missing one (R36).
        raise Http404("경보가 없습니다")
    try:
        acknowledge_alert(Actor.from_request(request), alert, request.POST.get("note", "")[:300])
    except AlertError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "경보를 확인했습니다")
    return redirect("vault:alerts")
