"""The letters of a request (R22): the decision letter (결정 통지서) and the postponement letter (연장
통지서), PDFs from the institution's template, kept with the case and sent.

The template is `disclosure/letters/<institution slug>/<letter>.html` when the institution has one, else
`disclosure/letters/<letter>.html` (letter: "decision" or "postponement"); both extend
`disclosure/letters/_letter.html`, which gives them one look. The letter names the institution as the register does, states the
facts of the decision and cites the law; it puts no promise in the institution's mouth that its own
documents do not make. A refusal or a limit carries its grounds, its reasons and the appeal routes
(법 제35조④, 시행령 제42조②; jikimi.rules.refusal_grounds), and so does a postponement (시행령 제41조⑤:
the reason and how to object).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from jikimi.disclosure.models import Decision, Postponement, SubjectRequest
from jikimi.lib.clock import SEOUL
from jikimi.lib.intervals import format_interval
from jikimi.lib.pdf import render_pdf
from jikimi.rules.refusal_grounds import APPEAL_ROUTES, BY_CODE
from jikimi.vault.models import Destruction

POSTPONEMENT_BASIS = "개인정보 보호법 제35조제3항 단서, 같은 법 시행령 제41조제5항"

# What each decision answers under (법 제35조③④, 제36조; 시행령 제41조⑤, 제42조②, 제43조③).
_BASIS = {
    Decision.Outcome.DELETION: "개인정보 보호법 제36조, 같은 법 시행령 제43조",
    Decision.Outcome.REFUSAL: "개인정보 보호법 제35조제4항, 같은 법 시행령 제42조제2항",
    Decision.Outcome.PARTIAL: "개인정보 보호법 제35조제4항, 같은 법 시행령 제42조제2항",
}
_DEFAULT_BASIS = "개인정보 보호법 제35조제3항, 같은 법 시행령 제41조"


def letter_template(institution_slug: str, letter: str = "decision") -> str:
    """The institution's own template of `letter` if it has one, else the common one."""
    own = f"disclosure/letters/{institution_slug}/{letter}.html"
    try:
        get_template(own)
    except TemplateDoesNotExist:
        return f"disclosure/letters/{letter}.html"
    return own


def _request_context(request: SubjectRequest) -> dict[str, Any]:
    """What every letter says of the request (its 청구 내용 table)."""
    places = [location.name for location in request.locations.all()]
    if request.place_text:
        places.append(request.place_text)
    return {
        "request": request,
        "institution": request.institution,
        "kind": request.get_kind_display(),
        "period": format_interval(request.period_start, request.period_end, seconds=False),
        "places": places,
        "received_on": timezone.localtime(request.received_at, SEOUL).date(),
    }


def letter_context(decision: Decision) -> dict[str, Any]:
    return {
        **_request_context(decision.request),
        "decision": decision,
        "decided_on": timezone.localtime(decision.decided_at, SEOUL).date(),
        "viewing_at": timezone.localtime(decision.viewing_at, SEOUL) if decision.viewing_at else None,
        "grounds": [BY_CODE[code] for code in decision.grounds if code in BY_CODE],
        "appeal_routes": APPEAL_ROUTES if decision.refuses_or_limits else (),
        "basis": _BASIS.get(decision.Outcome(decision.outcome), _DEFAULT_BASIS),
        **_destroyed(decision),
    }


def _destroyed(decision: Decision) -> dict[str, int | bool]:
    """What a deletion destroyed: the stored segments of the window, and whether the request's own
    held copies went with them (they hold the same footage and its margin)."""
    if not decision.pk:
        return {"destroyed_segments": 0, "held_copies_destroyed": False}
    destructions = list(decision.destructions.all())
    return {
        "destroyed_segments": sum(d.segments for d in destructions if d.kind == Destruction.Kind.SEGMENTS),
        "held_copies_destroyed": any(d.kind == Destruction.Kind.HOLD for d in destructions),
    }


def render_letter(decision: Decision) -> tuple[bytes, str, str]:
    """(PDF, its SHA-256, the template used)."""
    template = letter_template(decision.request.institution.slug, "decision")
    pdf = render_pdf(template, letter_context(decision))
    return pdf, hashlib.sha256(pdf).hexdigest(), template


def postponement_context(postponement: Postponement) -> dict[str, Any]:
    return {
        **_request_context(postponement.request),
        "postponement": postponement,
        "postponed_on": timezone.localtime(postponement.postponed_at, SEOUL).date(),
        # 시행령 제41조⑤: the requester is told how to object to the postponement.
        "appeal_routes": APPEAL_ROUTES,
        "basis": POSTPONEMENT_BASIS,
    }


def render_postponement_letter(postponement: Postponement) -> tuple[bytes, str, str]:
    """(PDF, its SHA-256, the template used)."""
    template = letter_template(postponement.request.institution.slug, "postponement")
    pdf = render_pdf(template, postponement_context(postponement))
    return pdf, hashlib.sha256(pdf).hexdigest(), template
