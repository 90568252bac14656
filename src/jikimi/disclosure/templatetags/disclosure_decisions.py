"""`{% decision_panel subject_request %}`: the decision form and past decisions of a request, built
from the request alone so that any page (the desk's request page) can include `_decision.html`."""

from __future__ import annotations

from typing import Any

from django import template

from jikimi.accounts.permissions import Permission
from jikimi.disclosure.actions.identity import identity_checked
from jikimi.disclosure.decision_forms import DecisionForm, FeeForm
from jikimi.disclosure.models import Postponement, SubjectRequest
from jikimi.disclosure.scope import may_answer_for
from jikimi.rules.refusal_grounds import BY_CODE

register = template.Library()


@register.inclusion_tag("disclosure/_decision_panel.html", takes_context=True)
def decision_panel(context: template.Context, subject_request: SubjectRequest) -> dict[str, Any]:
    user = context["request"].user
    form = context.get("decision_form") or DecisionForm(subject_request=subject_request)
    # A fee form refused (decision_views.decision_fee) is shown again as typed, with its errors.
    refused_fee = context.get("fee_form")
    decisions = list(subject_request.decisions.prefetch_related("destructions").order_by("-number"))
    return {
        "subject_request": subject_request,
        "form": form,
        "decisions": [
            (
                d,
                [BY_CODE[c] for c in d.grounds if c in BY_CODE],
                refused_fee
                if refused_fee is not None and refused_fee.prefix == f"fee{d.pk}"
                else FeeForm(
                    prefix=f"fee{d.pk}",
                    initial={"fee_amount": d.fee_amount, "fee_status": d.fee_status},
                    institution=subject_request.institution,
                ),
            )
            for d in decisions
        ],
        "postponements": list(Postponement.objects.filter(request=subject_request).order_by("-number")),
        "may_decide": may_answer_for(user, Permission.DECIDE_REQUESTS, subject_request),
        "identity_checked": identity_checked(subject_request),
        "csrf_token": context.get("csrf_token"),
    }
