"""The requesting body's officer reports online that the footage given was destroyed (군산시 제4조:
"제공받은자는 제공목적 달성한 후 즉시 파기 및 통보"; 오산시 지침 제35조③). Only his own body's cases
(DESIGN: investigators reach only their own cases); another body's case answers 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure import after_queries, provision_scope
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.provision_destruction import (
    CHANNEL_PORTAL,
    DestructionReport,
    report_destruction,
)
from jikimi.disclosure.after_forms import DestructionReportForm
from jikimi.lib.clock import today
from jikimi.rules.provision_duties import days_text


@require_http_methods(["GET", "POST"])
@permission_required(Permission.APPLY_FOR_PROVISION)
def destruction(request: HttpRequest, pk: int) -> HttpResponse:
    case = after_queries.portal_case_for(request.user, pk)
    if case is None:
        raise Http404("제공 요청이 없거나 귀 기관의 요청이 아닙니다")
    now = today()
    form = DestructionReportForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            report_destruction(
                Actor.from_request(request),
                case,
                DestructionReport(form.cleaned_data["destroyed_on"], form.cleaned_data["method"]),
                channel=CHANNEL_PORTAL,
                today=now,
            )
        except RequestError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            done = True
            case.refresh_from_db()
    return render(
        request,
        "disclosure/after/portal_destruction.html",
        {
            "case": case,
            "requester": provision_scope.external_requester(request.user),  # the portal's menu
            "form": form,
            "done": done,
            "destroy_by_text": days_text(case.destroy_by, now) if case.destroy_by else "",
        },
        status=400 if request.method == "POST" and not done else 200,
    )
