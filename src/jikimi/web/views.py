from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from jikimi.publishing.queries import published_institutions


def home(request: HttpRequest) -> HttpResponse:
    """Staff go to the register; the public sees the institutions' published policies."""
    if request.user.is_authenticated:
        return redirect("inventory:group_list")
    return render(request, "web/home.html", {"institutions": published_institutions()})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
