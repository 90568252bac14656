"""The staff's pages for investigating bodies' officers' accounts (MANAGE_ACCOUNTS; inside only).

An account manager lists the officers of the institutions whose accounts he manages and creates one
(jikimi.disclosure.actions.portal_accounts). The account itself — its grants, password reset, second
factor reset, deactivation — is managed on the accounts pages like any other.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.accounts.queries import manageable_institutions
from jikimi.audit.context import Actor
from jikimi.disclosure.actions.portal_accounts import NewBody, PortalAccountError, create_external_account
from jikimi.disclosure.models import ExternalRequester
from jikimi.disclosure.portal_forms import ExternalAccountForm, field_message


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    officers = (
        ExternalRequester.objects.filter(body__institution__in=manageable_institutions(request.user))
        .select_related("user", "body", "body__institution")
        .order_by("body__institution__name", "body__name", "user__name", "pk")
    )
    return render(request, "disclosure/portal/officer_list.html", {"officers": officers})


@never_cache
@permission_required(Permission.MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def officer_create(request: HttpRequest) -> HttpResponse:
    form = ExternalAccountForm(request.POST or None, institutions=manageable_institutions(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_body = None
        if not data["body"] and (data["new_body_name"] or data["new_body_kind"]):
            new_body = NewBody(data["new_body_name"], data["new_body_kind"])
        try:
            account = create_external_account(
                Actor.from_request(request),
                data["institution"],
                body=data["body"],
                new_body=new_body,
                username=data["username"],
                name=data["name"],
                department=data["department"],
                position=data["position"],
                phone=data["phone"],
                email=data["email"],
                reason=data["reason"],
            )
        except PortalAccountError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, field_message(str(error), field))
        else:
            # Shown once, in this response only: never in a URL, a message or the log.
            return render(
                request,
                "accounts/one_time_password.html",
                {"account": account.requester.user, "password": account.password, "created": True},
            )
    return render(
        request, "disclosure/portal/officer_form.html", {"form": form}, status=400 if form.errors else 200
    )
