"""The citizen's pages (no login): the list of institutions taking requests, the 청구서, the receipt,
and the private status link (R20, R21, R28; DESIGN: citizens reach only their own request)."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.audit.anchoring import public_key_pem, signing_key
from jikimi.audit.context import client_address
from jikimi.disclosure.actions.intake import IntakeRefused, file_request, online_actor
from jikimi.disclosure.intake_forms import RequestForm
from jikimi.disclosure.status_links import request_for_token
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Institution
from jikimi.publishing.queries import published_institutions
from jikimi.vault.actions.holds import HoldError

log = logging.getLogger(__name__)

FAILED_TO_STORE = (
    "청구서를 저장하지 못했습니다 (접수된 것 없음). 잠시 후 다시 제출하거나, 계속되면 기관에 방문·우편·팩스로 "
    "청구하십시오"
)


def published_or_404(slug: str) -> Institution:
    """Requests are taken by an institution whose policy is published (the public knows it exists)."""
    institution = published_institutions().filter(slug=slug).first()
    if institution is None:
        raise Http404("청구를 받는 기관이 아닙니다")
    return institution


def add_refusal(form: RequestForm, refused: IntakeRefused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, str(refused))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/public/index.html", {"institutions": published_institutions()})


@never_cache
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, slug: str) -> HttpResponse:
    institution = published_or_404(slug)
    form = RequestForm(institution, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = file_request(online_actor(client_address(request)), institution, form.details())
        except IntakeRefused as refused:
            add_refusal(form, refused)
        except (FootageError, HoldError) as error:
            log.warning("a request to %s was not filed: %s", institution.slug, error)
            form.add_error(None, FAILED_TO_STORE)
        else:
            # The token is shown on this page once (and mailed): the answer is not cached anywhere.
            return render(
                request,
                "disclosure/public/receipt.html",
                {
                    "institution": institution,
                    "subject_request": filed.request,
                    "status_path": filed.status_path,
                },
            )
    return render(
        request,
        "disclosure/public/new.html",
        {"institution": institution, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    """One request, for the holder of its token; any other token is not found, with no hint why."""
    subject_request = request_for_token(token)
    if subject_request is None:
        raise Http404("찾을 수 없습니다")
    response = render(
        request,
        "disclosure/public/status.html",
        {
            "institution": subject_request.institution,
            "subject_request": subject_request,
            "status_token": token,
            "locations": subject_request.locations.select_related("device_group").order_by("pk"),
        },
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def published_signing_key(request: HttpRequest) -> HttpResponse:
    """The public key every copy's package is signed with, for its recipient to verify it (issue 15):
    `python -m jikimi.engine verify 사본.zip --trust signing-key.pem`. A package re-signed by another key
    then fails — the signer.pub inside a package proves nothing on its own."""
    response = HttpResponse(
        public_key_pem(signing_key().public_key()), content_type="text/plain; charset=ascii"
    )
    response["Content-Disposition"] = 'inline; filename="jikimi-signing-key.pem"'
    return response
