"""The staff's pages from an approved provision to the footage handed over (R25, R32, R49; 별지 제3호).

One page per case (/provisions/<pk>/handover/): the masking jobs of its footage (reviewed on the
masking review pages, shared with requests), the encrypted package (its password shown once, no-store),
the handover form (package or viewing on site, the receiver, the limits asked of him and the destroy-by
date, the signature drawn on screen), the 영상정보 인수증 PDF, and its signing after the handover (on
screen, or the paper copy scanned). Each view parses, authorizes, calls one action, renders.

Scope (provision_scope.cases_for): HANDLE_PROVISIONS over the whole institution, or over the group of one
of the case's cameras (a 404 otherwise, as for a case that does not exist). The case page
(provisions:case) links here once the case is approved.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure.actions import masking as masking_actions
from jikimi.disclosure.actions import package_jobs as package_actions
from jikimi.disclosure.actions import provision_delivery as actions
from jikimi.disclosure.delivery_views import withdrawal_asked
from jikimi.disclosure.models import MaskingJob, ProvisionCase, ProvisionDelivery
from jikimi.disclosure.provision_scope import cases_for
from jikimi.disclosure.receipts import render_receipt
from jikimi.disclosure.scope import may_work_on_device

HANDLE = Permission.HANDLE_PROVISIONS
SIGNATURE_PREFIX = "data:image/png;base64,"


def case_or_404(request: HttpRequest, pk: int) -> ProvisionCase:
    """The case if the user handles it (provision_scope: the whole institution, or a group of one of its
    cameras); 404 otherwise, as for a case that does not exist."""
    found = cases_for(request.user).select_related("decided_by", "provided_by").filter(pk=pk).first()
    if found is None:
        raise Http404("제공 요청이 없거나 처리 권한이 없습니다")
    return found


class PackageForm(forms.Form):
    original = forms.BooleanField(
        label="원본(마스킹하지 않은 영상)으로 만들기",
        required=False,
        help_text="승인권자가 사유를 적어 원본 제공을 승인한 경우에만 (R49)",
    )


class HandoverForm(forms.Form):
    delivery = forms.ChoiceField(label="제공 방법", choices=ProvisionCase.Delivery.choices)
    package = forms.TypedChoiceField(label="제공 파일", coerce=int, required=False, empty_value=None)
    receiver_department = forms.CharField(label="인수자 소속", max_length=100)
    receiver_position = forms.CharField(label="인수자 직급", max_length=60, required=False)
    receiver_name = forms.CharField(label="인수자 성명", max_length=60)
    use_period = forms.CharField(
        label="이용 기간", max_length=100, help_text="예: 수사 종결 시까지 (최대 2027-05-31)"
    )
    use_method = forms.CharField(
        label="이용 방법·범위", max_length=200, help_text="예: 사건 수사 자료로만 이용, 복제 금지"
    )
    safety_measures = forms.CharField(
        label="요구하는 안전성 확보 조치", max_length=300, help_text="예: 암호화 저장, 접근 권한자 한정"
    )
    destroy_by = forms.DateField(
        label="파기 기한",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="제공받는 기관이 이 날까지 파기하고 그 결과를 통보합니다",
    )
    viewed_from = forms.DateTimeField(
        label="열람 시작 (현장 열람)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    viewed_until = forms.DateTimeField(
        label="열람 끝 (현장 열람)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    viewing_place = forms.CharField(label="열람 장소 (현장 열람)", max_length=200, required=False)
    viewers = forms.CharField(
        label="열람한 사람 (현장 열람)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="한 줄에 한 사람: 소속 직급 성명",
    )
    original = forms.BooleanField(label="현장 열람에서 원본을 보여 줌 (원본 제공 승인 시)", required=False)

    def __init__(self, *args: Any, packages: list[ProvisionDelivery], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.packages = {p.pk: p for p in packages}
        field = self.fields["package"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "— (현장 열람) —")] + [
            (
                p.pk,
                f"{p.file_name} · {'원본' if p.original else '마스킹본'} {p.file_count}개 · "
                f"{timezone.localtime(p.created_at):%Y-%m-%d %H:%M}",
            )
            for p in packages
        ]

    def clean(self) -> dict[str, Any]:
        # The canvas's PNG comes in a hidden input of the page (not a field the form lists).
        cleaned = super().clean() or {}
        try:
            cleaned["signature"] = parse_signature(self.data.get("signature", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(f"인수자 서명: {error.messages[0]}") from None
        return cleaned


def parse_signature(value: str) -> bytes | None:
    """The canvas's data URL (PNG) as bytes; empty when nothing was drawn."""
    if not value:
        return None
    if not value.startswith(SIGNATURE_PREFIX):
        raise forms.ValidationError("서명 이미지(PNG)가 아닙니다. 서명을 다시 그려 주십시오")
    try:
        return base64.b64decode(value.removeprefix(SIGNATURE_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise forms.ValidationError("서명 이미지를 읽을 수 없습니다. 서명을 다시 그려 주십시오") from None


def _packages(case: ProvisionCase, *, withdrawn: bool = False) -> list[ProvisionDelivery]:
    """The case's packages: those that may be handed over, or (withdrawn=True) all, for the page's list."""
    packages = ProvisionDelivery.objects.filter(case=case, kind=ProvisionDelivery.Kind.PACKAGE)
    return list(packages if withdrawn else packages.filter(withdrawn_at__isnull=True))


def _page(
    request: HttpRequest,
    case: ProvisionCase,
    *,
    handover_form: HandoverForm | None = None,
    scan_error: str = "",
    sign_error: str = "",
    status: int = 200,
) -> HttpResponse:
    jobs = [
        job
        for job in MaskingJob.objects.filter(provision=case).select_related(
            "device__location", "device__device_group"
        )
        if may_work_on_device(request.user, HANDLE, job.device)
    ]
    items = []
    for item in actions.footage_items(case):
        items.append(
            {
                "item": item,
                "jobs": [
                    j for j in jobs if (j.device_id, j.start, j.end) == (item.device_id, item.start, item.end)
                ],
                "approved": actions.approved_job(case, item),
                "may_work": may_work_on_device(request.user, HANDLE, item.device),
            }
        )
    packages = _packages(case, withdrawn=True)
    context = {
        "case": case,
        "items": items,
        "working": any(job.is_working for job in jobs),
        "approved": case.state == ProvisionCase.State.APPROVED,
        "packages": packages,
        "build": case.package_jobs.first(),
        "package_form": PackageForm(),
        "handover_form": handover_form
        or HandoverForm(packages=[p for p in packages if p.withdrawn_at is None]),
        "handed_over": actions.handed_over(case),
        "scans": list(case.attachments.filter(kind="receipt_scan")),
        "scan_error": scan_error,
        "sign_error": sign_error,
    }
    response = render(request, "disclosure/provision_handover.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission_required(HANDLE)
def handover_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, case_or_404(request, pk))


@require_POST
@permission_required(HANDLE)
def start_masking(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    item = (
        case.footage.select_related("device__device_group")
        .filter(pk=request.POST.get("footage") or 0)
        .first()
    )
    if item is None or not may_work_on_device(request.user, HANDLE, item.device):
        messages.error(request, "영상: 이 제공 요청의 대상 영상을 고르세요")
        return redirect("provisions:handover", pk=case.pk)
    try:
        masking_actions.start_provision_masking(Actor.from_request(request), case, item)
    except masking_actions.MaskingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "마스킹 작업을 시작했습니다. 끝나면 검토·승인하세요")
    return redirect("provisions:handover", pk=case.pk)


@require_POST
@permission_required(HANDLE)
def prepare_package(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the package (a worker builds it; issue 18); the answer shows its password once (no-store), to
    give by another channel, and the build's progress."""
    case = case_or_404(request, pk)
    form = PackageForm(request.POST)
    original = bool(form.is_valid() and form.cleaned_data["original"])
    try:
        order = package_actions.order_provision(Actor.from_request(request), case, original=original)
    except actions.HandoverRefused as error:
        messages.error(request, str(error))
        return redirect("provisions:handover", pk=case.pk)
    response = render(
        request,
        "disclosure/provision_password.html",
        {"case": case, "build": order.build, "password": order.password},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission_required(HANDLE)
def package_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The newest package build's state, for the pages' polling while a worker builds it (HTMX)."""
    case = case_or_404(request, pk)
    return render(request, "disclosure/_package_job.html", {"build": case.package_jobs.first(), "case": case})


@require_POST
@permission_required(HANDLE)
def withdraw_package(request: HttpRequest, pk: int) -> HttpResponse:
    """제공 파일 회수 of a case's package (before its handover): the file destroyed, a new one may be ordered."""
    case = case_or_404(request, pk)
    build_id, reason = withdrawal_asked(request)
    build = case.package_jobs.filter(pk=build_id).first()
    if build is None:
        messages.error(
            request, "회수할 제공 파일: 이 제공 요청의 제공 파일을 찾을 수 없습니다. 화면을 새로 고치세요"
        )
        return redirect("provisions:handover", pk=case.pk)
    try:
        package_actions.withdraw_package(Actor.from_request(request), build, reason)
    except package_actions.WithdrawalRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "제공 파일을 회수했습니다: 보관한 파일을 파기했습니다. 제공 파일을 새로 만들 수 있습니다",
        )
    return redirect("provisions:handover", pk=case.pk)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


@require_POST
@permission_required(HANDLE)
def provide(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    form = HandoverForm(request.POST, packages=_packages(case))
    if not form.is_valid():
        return _page(request, case, handover_form=form, status=400)
    data = form.cleaned_data
    handover = actions.Handover(
        delivery=data["delivery"],
        receiver_department=data["receiver_department"],
        receiver_position=data["receiver_position"],
        receiver_name=data["receiver_name"],
        use_period=data["use_period"],
        use_method=data["use_method"],
        safety_measures=data["safety_measures"],
        destroy_by=data["destroy_by"],
        package=form.packages.get(data["package"]) if data["package"] else None,
        viewed_from=_aware(data["viewed_from"]),
        viewed_until=_aware(data["viewed_until"]),
        viewing_place=data["viewing_place"],
        viewers=data["viewers"],
        original=data["original"],
        signature=data["signature"],
    )
    try:
        actions.provide_footage(Actor.from_request(request), case, handover)
    except actions.HandoverRefused as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _page(request, case, handover_form=form, status=400)
    messages.success(
        request,
        "제공을 기록했습니다."
        + (
            " 인수증에 서명을 받았습니다."
            if handover.signature
            else " 인수증을 출력해 서명을 받은 뒤 스캔해 올리세요."
        ),
    )
    return redirect("provisions:handover", pk=case.pk)


@require_GET
@permission_required(HANDLE)
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The 영상정보 인수증 (별지 제3호): the form to sign before, the signed one after."""
    case = case_or_404(request, pk)
    pdf, _sha256, _template = render_receipt(case)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"영상정보인수증-{case.case_number}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required(HANDLE)
def sign_on_screen(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    try:
        png = parse_signature(request.POST.get("signature", ""))
        if png is None:
            raise actions.HandoverRefused("인수자 서명: 서명을 그려 주십시오", "signature")
        actions.sign_receipt_on_screen(Actor.from_request(request), case, png)
    except (actions.HandoverRefused, forms.ValidationError) as error:
        message = error.messages[0] if isinstance(error, forms.ValidationError) else str(error)
        return _page(request, case, sign_error=message, status=400)
    messages.success(request, "인수자가 화면에 서명했습니다. 서명된 인수증을 내려받을 수 있습니다")
    return redirect("provisions:handover", pk=case.pk)


@require_POST
@permission_required(HANDLE)
def upload_scan(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    upload = request.FILES.get("scan")
    if upload is None:
        return _page(request, case, scan_error="서명한 인수증: 스캔한 파일을 골라 주십시오", status=400)
    try:
        actions.sign_receipt_by_scan(Actor.from_request(request), case, upload)
    except actions.HandoverRefused as error:
        return _page(request, case, scan_error=str(error), status=400)
    messages.success(request, "서명한 인수증(스캔)을 등록했습니다")
    return redirect("provisions:handover", pk=case.pk)
