"""The auditor's pages: read the log, verify the chain. Reading is itself recorded (R39, R40)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.audit import actions
from jikimi.audit.access import auditor_required
from jikimi.audit.context import Actor
from jikimi.audit.display import readable_details
from jikimi.audit.forms import EntryFilterForm
from jikimi.audit.queries import EntryFilter, filtered_entries

PAGE_SIZE = 50


@auditor_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    wanted = form.to_filter() if form.is_valid() else EntryFilter()
    page = Paginator(filtered_entries(wanted), PAGE_SIZE).get_page(request.GET.get("page"))
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
    result = actions.verify_now(Actor.from_request(request))
    if result.ok:
        messages.success(request, result.summary())
    else:
        messages.error(request, result.summary())
    return redirect("audit:entry_list")
