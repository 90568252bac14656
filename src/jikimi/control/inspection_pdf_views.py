"""The 정상작동 점검 기록 (오산시 지침 제31조④) as a PDF download, beside the XLSX of health_views: the
same period, the same lines, audited the same way (R40)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.control.health_views import inspection_download
from jikimi.control.inspection_pdf import inspection_pdf


@require_GET
@permission_required(Permission.VIEW_HEALTH)
def inspections_pdf(request: HttpRequest) -> HttpResponse:
    return inspection_download(
        request, "pdf", "application/pdf", lambda log, heading: inspection_pdf(log, heading=heading)
    )
