"""Staff pages of intake: the 청구서 filled in by an officer for a request made in person, by post or
by fax (R28: requesting is no harder than collecting), and the audited view of an attachment."""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.accounts.permissions import Permission, ensure_permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure.actions.intake import IntakeRefused, file_request, read_attachment
from jikimi.disclosure.intake_forms import RequestForm
from jikimi.disclosure.models import RequestAttachment
from jikimi.disclosure.public_views import FAILED_TO_STORE, add_refusal
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Institution
from jikimi.vault.actions.holds import HoldError

log = logging.getLogger(__name__)

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required(Permission.HANDLE_REQUESTS)
def counter_new(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    ensure_permission(request.user, Permission.HANDLE_REQUESTS, institution=institution)
    form = RequestForm(institution, request.POST or None, request.FILES or None, counter=True)
    if request.method == "POST" and form.is_valid():
        try:
            filed = file_request(
                Actor.from_request(request), institution, form.details(), channel=form.cleaned_data["channel"]
            )
        except IntakeRefused as refused:
            add_refusal(form, refused)
        except (FootageError, HoldError) as error:
            log.warning("a counter request to %s was not filed: %s", institution.slug, error)
            form.add_error(None, FAILED_TO_STORE)
        else:
            return render(
                request,
                "disclosure/counter_receipt.html",
                {
                    "institution": institution,
                    "subject_request": filed.request,
                    "status_url": request.build_absolute_uri(filed.status_path),
                    "status_path": filed.status_path,
                },
            )
    return render(
        request,
        "disclosure/counter_new.html",
        {"institution": institution, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_GET
@permission_required(Permission.HANDLE_REQUESTS)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, for an officer handling the institution's requests: audited, not cached, downloaded."""
    found = RequestAttachment.objects.select_related("request__institution").filter(pk=pk).first()
    if found is None:
        raise Http404("첨부서류가 없습니다")
    ensure_permission(request.user, Permission.HANDLE_REQUESTS, institution=found.request.institution)
    content = read_attachment(Actor.from_request(request), found)
    response = HttpResponse(content, content_type=found.content_type)
    extension = EXTENSIONS.get(found.content_type, "bin")
    name = f"{found.request.receipt_number}-{found.get_kind_display()}-{found.pk}.{extension}"
    response["Content-Disposition"] = (
        f'attachment; filename="{found.request.receipt_number}-{found.pk}.{extension}"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
