"""The auditor's pages: read the log, verify the chain. Reading is itself recorded (R39, R40)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.audit import actions
from jikimi.audit.access import auditor_required, readable_entries
from jikimi.audit.context import Actor
from jikimi.audit.display import readable_details
from jikimi.audit.forms import EntryFilterForm
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import EntryFilter, filtered_entries

PAGE_SIZE = 50


@auditor_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    wanted = form.to_filter() if form.is_valid() else EntryFilter()
    page = Paginator(filtered_entries(wanted, readable_entries(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = list(page.object_list)
    # 제8조② (R40): the monthly review reads this log; who read which part of it is kept too.
    actions.read_log(
        Actor.from_request(request),
        details={
            "filter": {k: str(v) for k, v in vars(wanted).items() if v},
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
            "page": page,
            "rows": [(entry, readable_details(entry.details)) for entry in entries],
            "query": query.urlencode(),
        },
    )


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
