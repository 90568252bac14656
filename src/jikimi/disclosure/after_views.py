"""Pages of the duties after a provision (HANDLE_PROVISIONS): the case's duties with their forms, the
overdue list, the steps (destruction report entered by staff, notice to the data subject, publication);
and the public page "개인정보 목적 외 이용 및 제3자 제공 현황" (no login; 법 제18조④, R31).

A case outside the officer's scope answers 404, as one that does not exist (R36).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure import after_queries
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.provision_destruction import (
    CHANNEL_STAFF,
    DestructionReport,
    report_destruction,
)
from jikimi.disclosure.actions.provision_notice import SubjectNotice, record_subject_notice
from jikimi.disclosure.actions.provision_publication import Publication, draft, publish_provision
from jikimi.disclosure.after_forms import (
    PublicationForm,
    StaffDestructionReportForm,
    SubjectNoticeForm,
)
from jikimi.disclosure.attachments import AttachmentRefused, check_upload
from jikimi.disclosure.models import ProvisionAttachment, ProvisionCase
from jikimi.disclosure.public_views import published_or_404
from jikimi.engine.footage import FootageError
from jikimi.lib.clock import today
from jikimi.rules.provision_duties import days_text, subject_notice_required
from jikimi.rules.provision_grounds import ground

HANDLE = Permission.HANDLE_PROVISIONS


def _case_or_404(request: HttpRequest, pk: int) -> ProvisionCase:
    found = after_queries.case_for(request.user, pk)
    if found is None:
        raise Http404("제공 요청이 없거나 처리 권한이 없습니다")
    return found


def _errors(form: Form) -> list[str]:
    return [
        f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
        for name, errors in form.errors.items()
        for error in errors
    ]


def duty_context(case: ProvisionCase, now: Any) -> dict[str, Any]:
    """What the duties panel shows of a case (also for the case page: disclosure/after/_panel.html)."""
    found = ground(case.legal_ground)
    overdue = (
        case.state == ProvisionCase.State.PROVIDED and case.destroy_by is not None and case.destroy_by < now
    )
    return {
        "case": case,
        "ground": found,
        "destroy_by_text": days_text(case.destroy_by, now) if case.destroy_by else "",
        "destruction_overdue": overdue,
        "publish_exempt": not found.published,
        "publish_by_text": days_text(case.publish_by, now)
        if case.publish_by and not case.published_at
        else "",
        "publication_overdue": bool(case.publish_by and not case.published_at and case.publish_by < now),
        "notice_required": subject_notice_required(case.legal_ground),
        "provided": case.state in after_queries.AFTER_PROVISION,
        "reports": ProvisionAttachment.objects.filter(
            case=case, kind=ProvisionAttachment.Kind.DESTRUCTION_REPORT
        ),
    }


@require_GET
@permission_required(HANDLE)
def case_after(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    now = today()
    context = duty_context(case, now)
    # The page's forms share field names (method): each has its own ids, so that labels find their field.
    if context["provided"]:
        if case.state == ProvisionCase.State.PROVIDED:
            context["destruction_form"] = StaffDestructionReportForm(auto_id="report_%s")
        context["notice_form"] = SubjectNoticeForm(auto_id="notice_%s")
        if not context["publish_exempt"] and case.published_at is None:
            proposed = draft(case)
            context["publication_form"] = PublicationForm(
                initial={"purpose": proposed.purpose, "items": proposed.items}, auto_id="publication_%s"
            )
    return render(request, "disclosure/after/case.html", context)


@require_GET
@permission_required(HANDLE)
def overdue(request: HttpRequest) -> HttpResponse:
    now = today()
    cases = after_queries.cases_for(request.user)
    rows = [(c, days_text(c.destroy_by, now)) for c in after_queries.destruction_overdue(cases, now)[:500]]  # type: ignore[arg-type]
    unpublished = [
        (c, days_text(c.publish_by, now))  # type: ignore[arg-type]
        for c in after_queries.publication_overdue(cases, now)[:500]
    ]
    return render(
        request,
        "disclosure/after/overdue.html",
        {"rows": rows, "unpublished": unpublished, "today": now},
    )


def _done(request: HttpRequest, case: ProvisionCase, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("provisions:after", pk=case.pk)


def _refused(request: HttpRequest, case: ProvisionCase, problems: list[str]) -> HttpResponse:
    for problem in problems:
        messages.error(request, f"저장하지 않았습니다 — {problem}")
    return redirect("provisions:after", pk=case.pk)


@require_POST
@permission_required(HANDLE)
def staff_destruction(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = StaffDestructionReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, case, _errors(form))
    try:
        scan = check_upload(
            "scan", "파기 확인서", ProvisionAttachment.Kind.DESTRUCTION_REPORT, form.cleaned_data["scan"]
        )
        closing = report_destruction(
            Actor.from_request(request),
            case,
            DestructionReport(form.cleaned_data["destroyed_on"], form.cleaned_data["method"], scan),
            channel=CHANNEL_STAFF,
            today=today(),
        )
    except (AttachmentRefused, RequestError) as error:
        return _refused(request, case, [str(error)])
    except FootageError:
        return _refused(request, case, ["파기 확인서를 저장하지 못했습니다. 잠시 후 다시 올려 주십시오"])
    held = f" 분리 보관 {len(closing.holds_ended)}건을 해제했습니다." if closing.holds_ended else ""
    return _done(
        request, case, f"파기 통보를 기록하고 사건을 종결했습니다.{held} {closing.hold_problem}".strip()
    )


@require_POST
@permission_required(HANDLE)
def subject_notice(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = SubjectNoticeForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, _errors(form))
    data = form.cleaned_data
    try:
        record_subject_notice(
            Actor.from_request(request),
            case,
            SubjectNotice(data["outcome"], data["notified_on"], data["method"], data["detail"]),
            today=today(),
        )
    except RequestError as error:
        return _refused(request, case, [str(error)])
    return _done(request, case, "정보주체 통지를 기록했습니다.")


@require_POST
@permission_required(HANDLE)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, _errors(form))
    try:
        publish_provision(
            Actor.from_request(request),
            case,
            Publication(form.cleaned_data["purpose"], form.cleaned_data["items"]),
            today=today(),
        )
    except RequestError as error:
        return _refused(request, case, [str(error)])
    return _done(request, case, "홈페이지의 「개인정보 목적 외 이용 및 제3자 제공 현황」에 공개했습니다.")


@require_GET
def public_provisions(request: HttpRequest, slug: str) -> HttpResponse:
    """법 제18조④ (R31): what the institution used or provided out of purpose — no personal data."""
    institution = published_or_404(slug)
    rows = []
    for case in after_queries.published_of(institution)[:1000]:
        found = ground(case.legal_ground)
        basis = found.citation + (f" ({case.ground_detail})" if case.ground_detail else "")
        recipient = case.body.name if case.body.is_public_body else case.body.get_kind_display()
        provided = timezone.localtime(case.provided_at).date() if case.provided_at else None
        rows.append(
            {
                "day": provided,
                "recipient": recipient,
                "purpose": case.published_purpose,
                "basis": basis,
                "items": case.published_items,
            }
        )
    return render(
        request, "disclosure/after/public_provisions.html", {"institution": institution, "rows": rows}
    )
