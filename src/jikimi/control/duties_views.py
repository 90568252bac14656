"""The control centre's front page: the one menu entry "통합관제센터" leads here, and it lists the duties
of the centre the person may reach (오산시 지침 제3장): live monitoring (제12조, 제19조), incidents
(제21조③), camera health, maintenance and the check of normal operation (제27조, 제31조④), each
institution's centre — shifts, visitors, the operating committee (제21조, 제22조, 제24조) — training
(제28조) and contracts (제25조). Each page checks its own permission again."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jikimi.accounts.permissions import Permission, institutions_for
from jikimi.control.duties import duties
from jikimi.control.room_views import nav


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    centres = [
        {"institution": institution, **nav(user, institution)}
        for institution in institutions_for(user, Permission.VIEW_CONTROL_CENTRE).order_by("name")
    ]
    found = duties(user)
    if not found and not centres:
        raise PermissionDenied("통합관제센터에서 맡은 업무가 없습니다")
    return render(request, "control/index.html", {"duties": found, "centres": centres})
