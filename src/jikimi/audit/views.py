"""The auditor's pages: read the log, export it, verify the chain. Reading is itself recorded (R39, R40)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jikimi.audit import actions
from jikimi.audit.access import auditor_required, readable_entries
from jikimi.audit.context import Actor
from jikimi.audit.display import detail_lines, filter_text
from jikimi.audit.events import AuditEvent
from jikimi.audit.export import MAX_EXPORT_ROWS, workbook
from jikimi.audit.forms import EntryFilterForm, ExportForm
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import EntryFilter, filtered_entries, target_type_label

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _list_page(
    request: HttpRequest, form: EntryFilterForm, export_form: ExportForm, *, status: int = 200
) -> HttpResponse:
    wanted = form.to_filter() if form.is_valid() else EntryFilter()
    among = readable_entries(request.user)
    found = filtered_entries(wanted, among)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    # Reading the log must not drown it: the log's own page views are left out unless asked for.
    hidden_views = 0
    if not wanted.shows_views:
        hidden_views = filtered_entries(
            EntryFilter(**{**vars(wanted), "include_views": True, "action": AuditEvent.AUDIT_VIEW_LOG.value}),
            among,
        ).count()
    # 제8조② (R40): the monthly review reads this log; who read which part of it is kept too.
    actions.read_log(
        Actor.from_request(request),
        details={
            "filter": form.described() if form.is_valid() else {},
            "page": page.number,
            "shown": [entries[0].sequence, entries[-1].sequence] if entries else [],
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "export_form": export_form,
            "kept": form.kept_fields() if form.is_valid() else [],
            "page": page,
            "rows": [
                (
                    entry,
                    target_type_label(entry.target_type) if entry.target_type else "",
                    detail_lines(entry.action, entry.details, entry.target_type),
                )
                for entry in entries
            ],
            "query": query.urlencode(),
            "hidden_views": hidden_views,
            "max_export": f"{MAX_EXPORT_ROWS:,}",
        },
        status=status,
    )


@auditor_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None, among=readable_entries(request.user))
    return _list_page(request, form, ExportForm())


@auditor_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """The filtered entries as XLSX, with a reason, recorded before the file is written (R40)."""
    among = readable_entries(request.user)
    form = EntryFilterForm(request.POST, among=among)
    export_form = ExportForm(request.POST)
    if not (form.is_valid() and export_form.is_valid()):
        return _list_page(request, form, export_form, status=400)
    found = filtered_entries(form.to_filter(), among)
    # One row more than allowed tells "too many" without counting a whole year of the log.
    entries: list[AuditEntry] = list(found[: MAX_EXPORT_ROWS + 1])
    if len(entries) > MAX_EXPORT_ROWS:
        export_form.add_error(
            None,
            f"조건에 맞는 기록이 {MAX_EXPORT_ROWS:,}건을 넘어 한 번에 내려받을 수 없습니다 "
            f"(지금 {found.count():,}건). 기간이나 조건을 좁혀 나누어 내려받으십시오.",
        )
        return _list_page(request, form, export_form, status=400)
    actor = Actor.from_request(request)
    reason = export_form.cleaned_data["reason"]
    described = form.described()
    entry = actions.export_log(actor, reason=reason, described=described, count=len(entries))
    content = workbook(
        entries,
        exported_by=actor.label,
        exported_at=entry.at,
        reason=reason,
        described=filter_text(described) or "전체",
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = f"{timezone.localtime(entry.at):%Y%m%d-%H%M%S}"
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@auditor_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    # The whole chain is verified (a chain checked in parts proves nothing), but the reader is told
    # only about the entries they may read (R36): a problem elsewhere is reported without its details.
    result = actions.verify_now(Actor.from_request(request))
    readable = readable_entries(request.user)
    if result.problem is None:
        messages.success(
            request,
            f"감사 기록 해시 체인 전체 이상 없음 (열람 범위의 기록 {readable.count()}건)"
            f" — {result.anchor_text()}",
        )
    elif (
        readable.filter(sequence=result.problem.sequence).exists()
        or not AuditEntry.objects.filter(sequence=result.problem.sequence).exists()
    ):
        # An entry cut off or wiped says nothing about anybody any more: its number and the kind of
        # problem are told to every reader, as is the last checkpoint that proves it existed.
        messages.error(request, result.summary())
    else:
        messages.error(
            request,
            f"감사 기록 해시 체인에 이상이 있습니다 ({result.problem.kind}). 이상이 있는 항목은 열람 범위 밖에 "
            "있으므로, 기관 전체 감사 권한이 있는 감사자에게 알리십시오."
            f" [{result.anchor_text()}]",
        )
    return redirect("audit:entry_list")
