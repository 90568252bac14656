"""The staff pages of publishing (PUBLISH_POLICY on the institution): the draft, the confirmation before
publishing, withdrawal of an announced version, the forms. A view parses, authorizes, calls one action
or query, renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jikimi.accounts.permissions import login_required
from jikimi.audit.context import Actor
from jikimi.inventory.models import Institution
from jikimi.lib import clock
from jikimi.lib.input_limits import check_day
from jikimi.publishing import installation_form, queries
from jikimi.publishing.actions import PublishRefused, adopt_section, publish_policy, withdraw_version
from jikimi.publishing.adoption import proposals
from jikimi.publishing.authorization import may_publish
from jikimi.publishing.comparison import compare_contents
from jikimi.publishing.context import VersionInfo
from jikimi.publishing.drafts import draft_for, facts_not_published_messages, missing_items_message
from jikimi.publishing.forms import AdoptSectionForm, PublishForm, WithdrawForm
from jikimi.publishing.rendering import document_html, live_content
from jikimi.publishing.signs import building_signs, site_signs
from jikimi.rules.policy_dates import PolicyDateError, check_policy_dates

# The digest the confirmation page carries (drafts.substance_digest: SHA-256, hex).
DIGEST_LENGTH = 64


def _publishable(request: HttpRequest, slug: str) -> Institution:
    institution = get_object_or_404(Institution, slug=slug)
    if not may_publish(request.user, institution):
        raise PermissionDenied(f"{institution.name} 방침을 공개할 권한이 없습니다")
    return institution


@login_required
def staff_index(request: HttpRequest) -> HttpResponse:
    institutions = queries.institutions_user_may_publish(request.user)
    rows = [(institution, queries.current_version(institution)) for institution in institutions]
    return render(request, "publishing/staff_index.html", {"rows": rows})


@login_required
def staff_institution(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _publishable(request, slug)
    return _staff_page(request, institution, PublishForm())


def _staff_page(
    request: HttpRequest,
    institution: Institution,
    form: PublishForm,
    status: int = 200,
    withdraw_error: tuple[int, str] | None = None,
    adopt_error: tuple[int, AdoptSectionForm] | None = None,
) -> HttpResponse:
    content = live_content(institution)
    # Issue 16: each R4 item the 방침 lacks, with a form holding the proposed wording (or what was typed).
    missing = [
        (
            proposal,
            adopt_error[1]
            if adopt_error and adopt_error[0] == proposal.item.number
            else AdoptSectionForm(initial={"title": proposal.title, "body": proposal.body}),
        )
        for proposal in proposals(institution)
    ]
    versions = list(queries.versions_of(institution))
    groups = queries.groups_of(institution)
    history = queries.history(institution)
    return render(
        request,
        "publishing/staff_institution.html",
        {
            "institution": institution,
            "form": form,
            "versions": versions,
            "history": history,
            "latest": queries.latest_standing(institution),
            "current": queries.current_version(institution),
            "withdrawable": [row.version for row in history if row.state == "upcoming"],
            "withdraw_error": withdraw_error,
            "preview_html": document_html(content),
            "missing": missing,
            "missing_message": missing_items_message(content),
            "not_published": facts_not_published_messages(institution),
            "title": content["title"],
            "signs": site_signs(groups),
            "building_signs": building_signs(groups),
        },
        status=status,
    )


@login_required
def check_dates(request: HttpRequest, slug: str) -> HttpResponse:
    """HTMX: the R7 warnings (or the error) of the dates typed in the form, before publishing."""
    institution = _publishable(request, slug)
    try:
        announced = date.fromisoformat(request.GET.get("announced_on", ""))
        effective = date.fromisoformat(request.GET.get("effective_on", ""))
    except ValueError:
        return render(request, "publishing/_date_check.html", {"messages_": [], "error": ""})
    try:
        check_day(announced, "공고일")
        check_day(effective, "시행일")
    except ValueError as out_of_range:
        return render(request, "publishing/_date_check.html", {"messages_": [], "error": str(out_of_range)})
    latest = queries.latest_standing(institution)
    try:
        check = check_policy_dates(
            announced,
            effective,
            notice_days=queries.policy_document_for(institution).change_notice_days,
            previous_effective_on=latest.effective_on if latest else None,
        )
    except PolicyDateError as error:
        return render(request, "publishing/_date_check.html", {"messages_": [], "error": str(error)})
    return render(request, "publishing/_date_check.html", {"messages_": check.warnings, "error": ""})


@login_required
def compare_draft(request: HttpRequest, slug: str) -> HttpResponse:
    """The 신구비교표 of the latest version against what publishing now would freeze (before publishing)."""
    institution = _publishable(request, slug)
    latest = queries.latest_standing(institution)
    if latest is None:
        raise Http404(f"{institution.name}에는 비교할 공개 버전이 없습니다")
    today = clock.today()
    last = queries.versions_of(institution).last()
    number = (last.number if last else latest.number) + 1
    draft = DraftVersion(number, today, today, "(공개 전 초안)")
    content = live_content(institution, pending=VersionInfo(draft.number, today, today, draft.reason))
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "publishing/compare.html",
        {
            "institution": institution,
            "old": latest,
            "new": draft,
            "draft": True,
            "show_all": show_all,
            "sections": compare_contents(latest.content, content, only_changes=not show_all),
        },
    )


@dataclass(frozen=True)
class DraftVersion:
    """What the comparison template shows for the not-yet-published side."""

    number: int
    announced_on: date
    effective_on: date
    reason: str


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Two steps: the form's 공개 shows what would be published (the version, its dates, its changes
    against the latest standing version) and asks to confirm; 공개 확정 publishes exactly that."""
    institution = _publishable(request, slug)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, institution, form, status=400)
    data: dict[str, Any] = form.cleaned_data
    confirmed = request.POST.get("confirmed", "").strip()
    if not confirmed:
        try:
            draft = draft_for(institution, data["announced_on"], data["effective_on"], data["reason"].strip())
        except PublishRefused as error:
            form.add_error(None, str(error))
            return _staff_page(request, institution, form, status=400)
        return render(
            request,
            "publishing/publish_confirm.html",
            {
                "institution": institution,
                "form": form,
                "draft": draft,
                "old": draft.previous,
                "new": draft,
                "sections": draft.changes,
            },
        )
    try:
        published = publish_policy(
            Actor.from_request(request),
            institution,
            data["announced_on"],
            data["effective_on"],
            data["reason"],
            confirmed=confirmed[:DIGEST_LENGTH],
        )
    except PublishRefused as error:
        form.add_error(None, str(error))
        return _staff_page(request, institution, form, status=400)
    # The R7 warnings stay on the staff page with the latest version (PolicyVersion.warnings).
    messages.success(request, f"{institution.name} 방침 제{published.version.number}판을 공개했습니다.")
    return redirect("publishing:staff_institution", slug=institution.slug)


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """철회 of a version announced but not yet in force, with its reason (published and audited)."""
    institution = _publishable(request, slug)
    found = queries.version_or_none(institution, number)
    if found is None:
        raise Http404(f"{institution.name} 방침 제{number}판은 없습니다")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        return _staff_page(request, institution, PublishForm(), status=400, withdraw_error=(number, error))
    try:
        withdraw_version(Actor.from_request(request), found, form.cleaned_data["reason"])
    except PublishRefused as refused:
        return _staff_page(
            request, institution, PublishForm(), status=400, withdraw_error=(number, str(refused))
        )
    messages.success(
        request, f"{institution.name} 방침 제{number}판을 철회했습니다. 공개 페이지에 철회 사실이 게시됩니다."
    )
    return redirect("publishing:staff_institution", slug=institution.slug)


@login_required
@require_POST
def adopt(request: HttpRequest, slug: str, item: int) -> HttpResponse:
    """Adopt the wording of an item of 시행령 제25조① the 방침 lacks as the institution's own text."""
    institution = _publishable(request, slug)
    form = AdoptSectionForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, institution, PublishForm(), status=400, adopt_error=(item, form))
    try:
        adopt_section(
            Actor.from_request(request),
            institution,
            item,
            form.cleaned_data["title"],
            form.cleaned_data["body"],
        )
    except PublishRefused as refused:
        form.add_error(None, str(refused))
        return _staff_page(request, institution, PublishForm(), status=400, adopt_error=(item, form))
    messages.success(
        request,
        f"시행령 제25조① {item}호의 문구를 {institution.name}의 방침 글로 채택했습니다. 다음 판을 공개할 때 실립니다.",
    )
    return redirect("publishing:staff_institution", slug=institution.slug)


@login_required
def installation_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _publishable(request, slug)
    response = HttpResponse(installation_form.installation_pdf(institution), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="installation-{slug}.pdf"'
    return response


@login_required
def installation_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _publishable(request, slug)
    response = HttpResponse(
        installation_form.installation_xlsx(institution),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="installation-{slug}.xlsx"'
    return response
