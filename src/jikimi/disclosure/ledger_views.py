"""The 관리대장 pages (VIEW_LEDGER): the list with its filter, an entry with its 결재 and correction,
the XLSX/PDF exports, and the yearly figures. Each view parses, authorizes, calls one action, renders.

An entry outside the reader's scope answers 404, as one that does not exist (R36).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jikimi.accounts.permissions import Permission, institutions_for, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure import figures as yearly
from jikimi.disclosure.actions.ledger import LedgerRefused, approve_entry, correct_entry, record_export
from jikimi.disclosure.ledger_export import approval, ledger_pdf, ledger_xlsx, remarks
from jikimi.disclosure.ledger_forms import CorrectionForm, LedgerFilterForm, YearForm
from jikimi.disclosure.ledger_queries import entries_for, filtered, may_approve, signing_institutions
from jikimi.disclosure.models import LedgerEntry
from jikimi.lib.clock import today

VIEW = Permission.VIEW_LEDGER
PAGE_ROWS = 500
# Limits checked before the file is made: a PDF of the 별지 is for reading and filing (WeasyPrint
# lays out every row), a workbook for working; a wider period is asked to be narrowed.
MAX_PDF_ROWS = 2_000
MAX_XLSX_ROWS = 50_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _institution_names(request: HttpRequest) -> str:
    names = institutions_for(request.user, VIEW).values_list("name", flat=True)
    return ", ".join(names) or "-"


def case_url(entry: LedgerEntry) -> str:
    """The page of the row's case: the request, or the provision (its page is the provisions app's)."""
    if entry.subject_request_id is not None:
        return reverse("disclosure:request", args=[entry.subject_request_id])
    if entry.provision_id is not None:
        try:
            return reverse("provisions:case", args=[entry.provision_id])
        except NoReverseMatch:
            return ""
    return ""


def audit_url(entry: LedgerEntry) -> str:
    """The audit log filtered to what the row is about (its case, else the entry that wrote it)."""
    base = reverse("audit:entry_list")
    if entry.subject_request_id is not None:
        return f"{base}?target_type=disclosure.SubjectRequest&target={entry.subject_request_id}"
    if entry.provision_id is not None:
        return f"{base}?target_type=disclosure.ProvisionCase&target={entry.provision_id}"
    audit = entry.audit_entry
    if audit is not None and audit.target_type:
        return f"{base}?target_type={audit.target_type}&target={audit.target_id}"
    return base


def _rows(request: HttpRequest, entries: Any) -> list[dict[str, Any]]:
    """The rows as shown; `entries` are the reader's own (entries_for), so signing needs only his roles."""
    user = request.user
    signs_in = signing_institutions(user)
    return [
        {
            "entry": entry,
            "case_url": case_url(entry),
            "audit_url": audit_url(entry),
            "approval": approval(entry),
            "remarks": remarks(entry),
            "may_approve": entry.institution_id in signs_in
            and not entry.is_approved
            and entry.officer_id != user.pk,
        }
        for entry in entries
    ]


def _filtered(request: HttpRequest) -> tuple[LedgerFilterForm, Any]:
    visible = entries_for(request.user)
    form = LedgerFilterForm(request.GET or None, entries=visible)
    wanted = form.chosen()
    return form, filtered(visible, wanted).select_related("audit_entry")


@require_GET
@permission_required(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    wanted = form.chosen()
    total = entries.count()
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "disclosure/ledger/index.html",
        {
            "form": form,
            "rows": _rows(request, entries[:PAGE_ROWS]),
            "total": total,
            "cut": total > PAGE_ROWS,
            "described": wanted.describe(),
            "query": query,
            "institution_names": _institution_names(request),
            "section": "ledger",
        },
    )


def _entry_or_404(request: HttpRequest, pk: int) -> LedgerEntry:
    entry = entries_for(request.user).filter(pk=pk).select_related("audit_entry").first()
    if entry is None:
        raise Http404("관리대장 기록이 없거나 열람 권한이 없습니다")
    return entry


def _entry_page(
    request: HttpRequest, entry: LedgerEntry, form: CorrectionForm | None, status: int = 200
) -> HttpResponse:
    allowed = may_approve(request.user, entry)
    return render(
        request,
        "disclosure/ledger/entry.html",
        {
            "entry": entry,
            "row": _rows(request, [entry])[0],
            "corrections": entries_for(request.user).filter(corrects=entry).order_by("number"),
            "form": (form or CorrectionForm(initial=CorrectionForm.initial_of(entry))) if allowed else None,
            "section": "ledger",
        },
        status=status,
    )


@require_GET
@permission_required(VIEW)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, _entry_or_404(request, pk), None)


@require_POST
@permission_required(VIEW)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    if not may_approve(request.user, entry):
        raise Http404("관리대장 결재 권한이 없습니다")
    try:
        approve_entry(Actor.from_request(request), entry)
    except LedgerRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"관리대장 {entry.number}번을 결재했습니다.")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/ledger/") else reverse("ledger:index"))


@require_http_methods(["POST"])
@permission_required(VIEW)
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    if not may_approve(request.user, entry):
        raise Http404("관리대장 정정 권한이 없습니다")
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, entry, form, status=422)
    try:
        new = correct_entry(
            Actor.from_request(request), entry, changes=form.changes(), reason=form.cleaned_data["reason"]
        )
    except LedgerRefused as error:
        form.add_error(None, str(error))
        return _entry_page(request, entry, form, status=422)
    messages.success(request, f"{entry.number}번을 정정한 {new.number}번을 기록했습니다.")
    return redirect("ledger:entry", pk=new.pk)


def _too_many(request: HttpRequest, count: int, limit: int, what: str) -> HttpResponse | None:
    if count <= limit:
        return None
    messages.error(
        request,
        f"{what}로 내려받을 수 있는 기록은 {limit:,}건까지입니다 (지금 조건: {count:,}건). "
        "구분·기간·기기로 범위를 좁혀 주십시오.",
    )
    query = request.GET.urlencode()
    return redirect(reverse("ledger:index") + (f"?{query}" if query else ""))


def _export_name(extension: str) -> str:
    return f"ledger-{today():%Y%m%d}.{extension}"


@require_GET
@permission_required(VIEW)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    described = form.chosen().describe()
    refused = _too_many(request, entries.count(), MAX_XLSX_ROWS, "엑셀")
    if refused is not None:
        return refused
    data, count = ledger_xlsx(
        entries.select_related("corrects"), heading=f"{_institution_names(request)} — {described}"
    )
    record_export(
        Actor.from_request(request), what="관리대장", file_format="xlsx", rows=count, described=described
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_export_name("xlsx")}"'
    return response


@require_GET
@permission_required(VIEW)
def export_pdf(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    described = form.chosen().describe()
    refused = _too_many(request, entries.count(), MAX_PDF_ROWS, "PDF")
    if refused is not None:
        return refused
    names = _institution_names(request)
    data, count = ledger_pdf(entries.select_related("corrects"), heading=described, institution_names=names)
    record_export(
        Actor.from_request(request), what="관리대장", file_format="pdf", rows=count, described=described
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("pdf")}"'
    return response


def _year(request: HttpRequest, reach: yearly.Reach) -> tuple[YearForm, int]:
    this_year = today().year
    years = yearly.years_with_data(reach, this_year)
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else this_year
    return form, year


@require_GET
@permission_required(VIEW)
def figures(request: HttpRequest) -> HttpResponse:
    reach = yearly.reach_of(request.user)
    form, year = _year(request, reach)
    found = yearly.figures_for(reach, year)
    # Per month once per subject (requests, provisions, destructions); per category for every table.
    monthly = {id(found.requests_by_kind), id(found.provisions_by_body), id(found.destructions_by_group)}
    charts = [
        {
            "table": table,
            "months": yearly.month_chart(table, title=f"{table.title} — 월별")
            if id(table) in monthly
            else "",
            "bars": yearly.category_chart(table),
        }
        for table in found.tables()
    ]
    return render(
        request,
        "disclosure/ledger/figures.html",
        {
            "form": form,
            "figures": found,
            "charts": charts,
            "institution_names": _institution_names(request),
            "section": "ledger",
        },
    )


@require_GET
@permission_required(VIEW)
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    reach = yearly.reach_of(request.user)
    _form, year = _year(request, reach)
    found = yearly.figures_for(reach, year)
    data = yearly.figures_xlsx(found, institution_names=_institution_names(request))
    record_export(
        Actor.from_request(request),
        what="연간 현황",
        file_format="xlsx",
        rows=sum(table.total for table in found.tables()),
        described=f"{year}년",
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="figures-{year}.xlsx"'
    return response
