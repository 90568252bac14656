"""The contracts pages (시행령 제26조; 오산시 지침 제25조; R33–R35): contracts with their five clauses,
the alert before one ends, the contractor's staff and the 수탁자 점검 records. Each view parses,
authorizes, calls one action, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts import actions, contracts
from jikimi.accounts.duty_forms import ContractForm, InspectionForm, StaffForm
from jikimi.accounts.models import Contract, ContractStaff, Role, User
from jikimi.accounts.permissions import Permission, institutions_for, permission_required
from jikimi.audit.context import Actor
from jikimi.lib.clock import today
from jikimi.rules.people_duties import CONTRACT_CLAUSES


def _institutions(request: HttpRequest) -> Any:
    return institutions_for(request.user, Permission.MANAGE_CONTRACTS)


def _contract(request: HttpRequest, contract_id: int) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related("institution"), pk=contract_id, institution__in=_institutions(request)
    )


def _list(request: HttpRequest, form: ContractForm | None = None, status: int = 200) -> HttpResponse:
    institutions = _institutions(request)
    day = today()
    rows = contracts.contract_rows(list(institutions.values_list("pk", flat=True)), day)
    context = {
        "rows": rows,
        "alerts": [row for row in rows if row.alert is not None or (row.ended and row.days_left > -90)],
        "owner_problems": [
            (institution, problem)
            for institution in institutions
            if (problem := contracts.official_owner_problem(institution.pk, day))
        ],
        "form": form or ContractForm(institutions=institutions),
    }
    return render(request, "accounts/contract_list.html", context, status=status)


@permission_required(Permission.MANAGE_CONTRACTS)
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@permission_required(Permission.MANAGE_CONTRACTS)
@require_POST
def contract_create(request: HttpRequest) -> HttpResponse:
    form = ContractForm(request.POST, institutions=_institutions(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            contract = actions.record_contract(
                Actor.from_request(request),
                institution=data["institution"],
                contractor_name=data["contractor_name"],
                task=data["task"],
                contact=data["contact"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                clauses=form.clauses(),
            )
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"위탁 계약 '{contract.contractor_name}'을(를) 등록했습니다.")
            return redirect("accounts:contract_detail", contract_id=contract.pk)
    return _list(request, form=form, status=400)


def _detail(
    request: HttpRequest,
    contract: Contract,
    *,
    edit_form: ContractForm | None = None,
    staff_form: StaffForm | None = None,
    inspection_form: InspectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    day = today()
    where = contract.clause_where()
    context = {
        "contract": contract,
        "problem": contracts.contract_problem(contract, day),
        "days_left": (contract.period_end - day).days,
        "clauses": [(clause, where[clause.key]) for clause in CONTRACT_CLAUSES],
        "staff": contract.staff.select_related("user").order_by("released_at", "assigned_at"),
        "inspections": contract.inspections.select_related("recorded_by"),
        "edit_form": edit_form or ContractForm(initial=ContractForm.initial_of(contract)),
        "staff_form": staff_form or StaffForm(people=_contractor_accounts(contract)),
        "inspection_form": inspection_form or InspectionForm(initial={"inspected_on": day}),
    }
    return render(request, "accounts/contract_detail.html", context, status=status)


def _contractor_accounts(contract: Contract) -> Any:
    return (
        User.objects.filter(
            is_active=True,
            role_grants__institution_id=contract.institution_id,
            role_grants__role=Role.CONTRACTOR,
            role_grants__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("name", "username")
    )


@permission_required(Permission.MANAGE_CONTRACTS)
@require_GET
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _detail(request, _contract(request, contract_id))


@permission_required(Permission.MANAGE_CONTRACTS)
@require_POST
def contract_update(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = ContractForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        values = {
            name: data[name] for name in ("contractor_name", "task", "contact", "period_start", "period_end")
        }
        values.update({f"clause_{key}": where for key, where in form.clauses().items()})
        try:
            actions.update_contract(Actor.from_request(request), contract, **values)
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "위탁 계약을 고쳤습니다.")
            return redirect("accounts:contract_detail", contract_id=contract.pk)
    return _detail(request, contract, edit_form=form, status=400)


@permission_required(Permission.MANAGE_CONTRACTS)
@require_POST
def contract_staff_add(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = StaffForm(request.POST, people=_contractor_accounts(contract))
    if form.is_valid():
        try:
            actions.assign_staff(Actor.from_request(request), contract, form.cleaned_data["user"])
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{form.cleaned_data['user']}을(를) 수탁자 직원으로 등록했습니다.")
            return redirect("accounts:contract_detail", contract_id=contract.pk)
    return _detail(request, contract, staff_form=form, status=400)


@permission_required(Permission.MANAGE_CONTRACTS)
@require_POST
def contract_staff_release(request: HttpRequest, contract_id: int, staff_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    staff = get_object_or_404(ContractStaff, pk=staff_id, contract=contract)
    try:
        actions.release_staff(Actor.from_request(request), staff)
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{staff.user}을(를) 수탁자 직원에서 해제했습니다.")
    return redirect("accounts:contract_detail", contract_id=contract.pk)


@permission_required(Permission.MANAGE_CONTRACTS)
@require_POST
def contract_inspect(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = InspectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_inspection(
                Actor.from_request(request),
                contract,
                inspected_on=data["inspected_on"],
                inspected=data["inspected"],
                findings=data["findings"],
                follow_up=data["follow_up"],
            )
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "수탁자 점검을 기록했습니다.")
            return redirect("accounts:contract_detail", contract_id=contract.pk)
    return _detail(request, contract, inspection_form=form, status=400)
