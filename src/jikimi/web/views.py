from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from jikimi.accounts.permissions import is_external_officer
from jikimi.lib.clock import today
from jikimi.publishing.queries import published_institutions
from jikimi.web import dashboard


def home(request: HttpRequest) -> HttpResponse:
    """Staff see their dashboard; the public sees the institutions' published policies."""
    if request.user.is_authenticated:
        return _dashboard(request)
    return render(request, "web/home.html", {"institutions": published_institutions()})


def _dashboard(request: HttpRequest) -> HttpResponse:
    """Staff see what needs doing, within their scope (web.dashboard)."""
    if getattr(request.user, "must_change_password", False):
        return redirect("accounts:password_change")
    if is_external_officer(request.user):
        # An investigating body's officer has no staff dashboard: his home is the portal.
        return redirect("portal:index")
    return render(
        request,
        "web/dashboard.html",
        {
            "sections": dashboard.sections(request.user, today()),
            "shortcuts": dashboard.shortcuts(request.user),
            "today": today(),
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
