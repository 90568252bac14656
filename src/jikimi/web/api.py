"""The JSON API (django-ninja): one NinjaAPI, each app adds its router; OpenAPI at /api/docs and
/api/openapi.json, both for signed-in staff only.

Callers are logged-in staff (the session cookie; django-ninja checks CSRF on unsafe methods). The
same permission checks as the pages apply: PermissionDenied is 403 and a question the caller asked
wrongly is 400, each with one Korean sentence in "error".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from jikimi.accounts.permissions import login_required
from jikimi.inventory.api import router as inventory_router
from jikimi.inventory.register_file.reading import korean_message
from jikimi.vault.api import router as vault_router

# The interactive docs and the schema are for signed-in staff only: the API has no public caller, and the
# schema maps every operation and parameter of the staff's surface — nothing an outsider needs.
api = NinjaAPI(
    title="jikimi API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_decorator=login_required,
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"error": str(error) or "권한이 없습니다"}, status=403)


@api.exception_handler(MultiPartParserError)
def unreadable(request: HttpRequest, error: MultiPartParserError) -> HttpResponse:
    """A body that says it is a form and is not one (no boundary, cut short): the caller's mistake."""
    return api.create_response(
        request, {"error": "요청 본문을 읽을 수 없습니다 (JSON으로 보내세요)"}, status=400
    )


@api.exception_handler(ValidationError)
def malformed(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A parameter of the wrong type or missing: say which one and why, as the pages do (400)."""
    problems = []
    for item in error.errors:
        where = ".".join(str(part) for part in item.get("loc", ())[1:]) or "요청"
        # Inputs have limits: a value out of its range is named with its bound, in Korean.
        problems.append(f"{where}: {korean_message(item) if 'type' in item else '형식이 올바르지 않습니다'}")
    return api.create_response(
        request, {"error": "요청 값이 올바르지 않습니다 — " + "; ".join(problems)}, status=400
    )


api.add_router("/inventory/", inventory_router)
api.add_router("/vault/", vault_router)
