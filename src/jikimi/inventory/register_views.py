"""Staff pages of the whole register in the browser: the institution's entries, one form per entry.

Each view parses, authorizes, calls one action (`actions.edit_register`), renders. Who may: EDIT_REGISTER
— for the institution's own entries (기관 정보, 부서, 담당자, 위탁, 개인정보 보호책임자) over the whole
institution; for a device group, on that group (and on the department it is given to), as the group
edit page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.accounts.permissions import Permission, ensure_permission, has_permission, permission_required
from jikimi.audit.context import Actor
from jikimi.audit.queries import entries_about
from jikimi.inventory import actions, models
from jikimi.inventory.actions.entries import LIST_MODELS, LISTS, NUMBERED, SECTIONS
from jikimi.inventory.checks import facts_not_published_of, unread_phrases_of
from jikimi.inventory.forms import SiteCoordinatesForm
from jikimi.inventory.history import history_rows, policy_history
from jikimi.inventory.register_file.exporting import register_data
from jikimi.inventory.register_forms import EntryForm, entry_initial
from jikimi.inventory.site_coordinates import MAX_BYTES, FillPlan


@require_GET
@permission_required(Permission.EDIT_REGISTER)
def register_home(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(models.Institution, pk=pk)
    whole = has_permission(request.user, Permission.EDIT_REGISTER, institution=institution)
    groups = [
        g
        for g in institution.device_groups.select_related("department").order_by("position", "id")
        if has_permission(request.user, Permission.EDIT_REGISTER, device_group=g)
    ]
    if not whole and not groups and not _departments(request, institution):
        ensure_permission(request.user, Permission.EDIT_REGISTER, institution=institution)
    document = models.PolicyDocument.objects.filter(institution=institution).first()
    editable = {g.pk for g in groups}
    return render(
        request,
        "inventory/register_home.html",
        {
            "institution": institution,
            "whole": whole,
            "can_add_group": bool(_departments(request, institution)),
            "groups": groups,
            # Issue 16: published 촬영시간/보관기간 the machine cannot read, until a meaning is stated.
            "unread_phrases": [
                p for p in unread_phrases_of(institution) if p.group in {g.name or g.key for g in groups}
            ],
            # R1, R16, issue 16: facts the policy needs that the institution does not publish (the law
            # of a 1호 basis, the reason for keeping beyond 30 days) — the officer records what the
            # institution adopted before the policy can be published. Only the groups they may edit.
            "facts_not_published": [
                replace(listing, found=[(g, found) for g, found in listing.found if g.pk in editable])
                for listing in facts_not_published_of(institution)
                if any(g.pk in editable for g, _ in listing.found)
            ],
            "departments": institution.departments.select_related("parent", "operator").order_by(
                "position", "id"
            ),
            "officers": institution.officers.select_related("department").order_by("position_order", "id"),
            "contractors": institution.contractors.select_related("supervising_department").order_by(
                "position", "id"
            ),
            "document": document,
            "policy_sections": [
                {
                    "number": number,
                    "title": section.get("title", ""),
                    "generated": models.PolicyDocument.GENERATED_SECTIONS.get(
                        section.get("generated", ""), ""
                    ),
                    "body": section.get("body", ""),
                    "covers": [
                        models.PolicyDocument.GENERATED_SECTIONS.get(key, key)
                        for key in section.get("covers") or []
                    ],
                    "choices": section.get("choices") or [],
                    # A wording adopted for a missing 시행령 제25조① item (issue 16): who and when.
                    "adopted_by": section.get("adopted_by", ""),
                    "adopted_on": section.get("adopted_on", ""),
                }
                for number, section in enumerate(document.sections if document else [], start=1)
            ],
            "revisions": institution.policy_revisions.order_by("position", "id"),
            "totals": institution.declared_totals.select_related("department").order_by("position", "id"),
            "fees": institution.request_fees.order_by("position", "id"),
            "may_publish": has_permission(request.user, Permission.PUBLISH_POLICY, institution=institution),
            "policy_history": history_rows(policy_history(institution)[:20]) if whole else [],
            "history": history_rows(
                entries_about(institution._meta.label, str(institution.pk)).order_by("-sequence")[:20]
            ),
        },
    )


def _departments(request: HttpRequest, institution: models.Institution) -> list[str]:
    """Names of the departments of `institution` to which the user may give a device group."""
    return [
        d.name
        for d in institution.departments.order_by("position", "id")
        if has_permission(request.user, Permission.EDIT_REGISTER, department=d)
    ]


def _section(section: str) -> str:
    if section not in SECTIONS:
        raise Http404("대장 항목이 없습니다")
    return section


def _authorize(request: HttpRequest, institution: models.Institution, section: str, key: str) -> None:
    if section != "device_groups":
        ensure_permission(request.user, Permission.EDIT_REGISTER, institution=institution)
        return
    if key:
        group = get_object_or_404(models.DeviceGroup, institution=institution, key=key)
        ensure_permission(request.user, Permission.EDIT_REGISTER, device_group=group)
    elif not _departments(request, institution):
        ensure_permission(request.user, Permission.EDIT_REGISTER, institution=institution)


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def entry_add(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    return _entry(request, pk, _section(section), "")


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def entry_edit(request: HttpRequest, pk: int, section: str, key: str) -> HttpResponse:
    section = _section(section)
    if (section in ("institution", "privacy", "policy")) != (key == "-"):
        raise Http404("대장 항목이 없습니다")
    return _entry(request, pk, section, "" if key == "-" else key)


def _entry(request: HttpRequest, pk: int, section: str, key: str) -> HttpResponse:
    institution = get_object_or_404(models.Institution, pk=pk)
    if section in LIST_MODELS and key:
        get_object_or_404(LIST_MODELS[section], institution=institution, key=key)
    _authorize(request, institution, section, key)
    adding = section in LISTS and not key
    initial = {} if adding else entry_initial(register_data(institution), section, key)
    if section == NUMBERED and key and not initial:
        raise Http404("방침에 그런 절이 없습니다")
    form = EntryForm(
        request.POST or None, section=section, institution=institution, adding=adding, initial=initial
    )
    if section == "device_groups":
        _limit_departments(request, form, institution)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        unchanged = bool(key) and values.get("department") == form.initial.get("department")
        if (
            section == "device_groups"
            and not unchanged
            and not _may_give(request, institution, values.get("department"))
        ):
            form.add_error(
                "department",
                "이 부서에 기기 묶음을 둘 권한이 없습니다"
                if values.get("department")
                else "관리부서 없는 기기 묶음은 기관 전체 권한이 있어야 둘 수 있습니다 (R36)",
            )
        else:
            remove = bool(request.POST.get("remove")) and section in LISTS and bool(key)
            edit = actions.RegisterEdit(section, key=key, values={} if remove else values, remove=remove)
            try:
                result = actions.edit_register(
                    Actor.from_request(request), institution, edit, form.cleaned_data["reason"]
                )
            except actions.EntryRefused as refused:
                _show(refused, form)
            else:
                messages.success(request, _done(section, remove))
                for warning in result.warnings:
                    messages.warning(request, warning)
                if isinstance(result.target, models.DeviceGroup):
                    return redirect("inventory:group_detail", pk=result.target.pk)
                home = redirect("inventory:register_home", pk=institution.pk)
                if section in ("policy", NUMBERED, "revisions", "declared_totals"):
                    home["Location"] += "#policy"
                elif section == "request_fees":
                    home["Location"] += "#fees"
                return home
    return render(
        request,
        "inventory/entry_form.html",
        {
            "institution": institution,
            "form": form,
            # Not "section": the base template names the site's part (its namespace) so.
            "entry_section": section,
            "section_label": SECTIONS[section],
            "key": key,
            "adding": adding,
            "removable": section in LISTS and bool(key),
        },
    )


def _may_give(request: HttpRequest, institution: models.Institution, department: str | None) -> bool:
    """Whether the user may put a device group in `department` — or, with none (not published, R36:
    institution-wide), only with a grant over the whole institution."""
    if not department:
        return has_permission(request.user, Permission.EDIT_REGISTER, institution=institution)
    return department in _departments(request, institution)


def _limit_departments(request: HttpRequest, form: EntryForm, institution: models.Institution) -> None:
    allowed = set(_departments(request, institution))
    if has_permission(request.user, Permission.EDIT_REGISTER, institution=institution):
        allowed.add("")
    field: Any = form.fields["department"]
    # A stored group keeps its own choice; "" (not published) is its choice when it has none.
    current = (form.initial.get("department") or "") if form.initial else None
    field.choices = [(v, label) for v, label in field.choices if v in allowed or v == current]


def _done(section: str, removed: bool) -> str:
    return f"{SECTIONS[section]}을(를) {'지웠' if removed else '저장했'}습니다."


def _show(refused: actions.EntryRefused, form: EntryForm) -> None:
    for problem in refused.problems:
        if problem.field and problem.field in form.fields:
            form.add_error(problem.field, str(problem))
        else:
            form.add_error(None, str(problem))


@require_http_methods(["GET", "POST"])
@permission_required(Permission.EDIT_REGISTER)
def site_coordinates(request: HttpRequest, pk: int) -> HttpResponse:
    """The sites' coordinates (the control centre's map, issue 17), and their filling from the
    institution's 공공데이터 CCTV정보 file: the institution's sites, so a grant over the whole of it."""
    institution = get_object_or_404(models.Institution, pk=pk)
    ensure_permission(request.user, Permission.EDIT_REGISTER, institution=institution)
    form = SiteCoordinatesForm(request.POST or None, request.FILES or None)
    plan: FillPlan | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # inputs have limits: before the file is read
            form.add_error("file", f"파일이 너무 큽니다 ({upload.size:,}바이트, 최대 {MAX_BYTES:,}바이트)")
        else:
            try:
                plan = actions.fill_site_coordinates(
                    Actor.from_request(request),
                    institution,
                    upload.read(),
                    upload.name or "CCTV정보.csv",
                    form.cleaned_data["reason"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except actions.CoordinatesFileRefused as refused:
                form.add_error("file", str(refused))
    sites = models.Location.objects.filter(device_group__institution=institution).select_related(
        "device_group"
    )
    return render(
        request,
        "inventory/site_coordinates.html",
        {
            "institution": institution,
            "form": form,
            "plan": plan,
            "dry_run": plan is not None and form.cleaned_data["dry_run"],
            "sites": sites.order_by("device_group__position", "device_group__id", "position", "id"),
        },
        status=400 if request.method == "POST" and plan is None else 200,
    )
