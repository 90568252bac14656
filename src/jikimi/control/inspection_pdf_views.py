"""The 정상작동 점검 기록 (오산시 지침 제31조④) as a PDF download, beside the XLSX of health_views: the
same period, the same lines, audited the same way (R40)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.control import health_queries
from jikimi.control.actions.health import record_inspection_export
from jikimi.control.health_views import _period
from jikimi.control.inspection_pdf import inspection_pdf


@require_GET
@permission_required(Permission.VIEW_HEALTH)
def inspections_pdf(request: HttpRequest) -> HttpResponse:
    _form, (date_from, date_to) = _period(request)
    log = health_queries.inspection_log(request.user, date_from, date_to)
    data, rows = inspection_pdf(log, heading=f"점검 기간 {date_from:%Y-%m-%d} ~ {date_to:%Y-%m-%d}")
    record_inspection_export(
        Actor.from_request(request), file_format="pdf", date_from=date_from, date_to=date_to, rows=rows
    )
    response = HttpResponse(data, content_type="application/pdf")
    name = f"inspections-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
