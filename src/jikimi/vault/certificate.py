"""The destruction certificate (파기 확인서, PDF): what was destroyed, when, how, by whom (R17, R19)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from jikimi.publishing.pdf import render_pdf
from jikimi.vault.models import Destruction


def certificate_pdf(destructions: list[Destruction], since: date, until: date) -> bytes:
    """A PDF listing `destructions` (already limited to the reader's scope) for the period."""
    return render_pdf(
        "vault/certificate.html",
        {
            "destructions": destructions,
            "since": since,
            "until": until,
            "issued_at": timezone.localtime(),
            "total_segments": sum(d.segments for d in destructions),
        },
    )
