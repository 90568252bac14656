"""The destruction certificate (파기 확인서, PDF): what was destroyed, when, how, by whom (R17, R19).

파일명 (R19): a day key seals every object under its day's prefix, so a destroyed day is named by that
prefix and the number of files; the names themselves are written into the record when the ciphertext
is deleted (collect_garbage), with their SHA-256 in the audit chain — the certificate prints the
prefix, the count, the first names and that SHA-256, which anyone can check against the 관리대장.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from jikimi.lib.clock import SEOUL
from jikimi.lib.pdf import render_pdf
from jikimi.vault.actions.collection import day_prefix, names_sha256
from jikimi.vault.models import Destruction

SAMPLE = 3  # names printed per destruction; the full list stays in the record


@dataclass(frozen=True)
class Files:
    """파일명 of one destruction as the certificate prints it."""

    count: int
    prefix: str  # a day key's objects all live under it; "" for a hold's copies
    sample: list[str]
    more: bool
    sha256: str  # of the sorted names, as in the audit entry; "" until they are recorded
    listed: bool  # False while the ciphertext (and so the list of names) awaits deletion


def files_of(destruction: Destruction) -> Files:
    names: list[str] = list(destruction.object_names or [])
    prefix = ""
    if destruction.kind == Destruction.Kind.DAY_KEY:
        prefix = day_prefix(destruction.device, timezone.localtime(destruction.covers_start, SEOUL).date())
    return Files(
        count=len(names) if names else destruction.segments,
        prefix=prefix,
        sample=names[:SAMPLE],
        more=len(names) > SAMPLE,
        sha256=names_sha256(names) if names else "",
        listed=bool(names) or destruction.segments == 0,
    )


def certificate_context(destructions: list[Destruction], since: date, until: date) -> dict[str, Any]:
    return {
        "rows": [(d, files_of(d)) for d in destructions],
        "count": len(destructions),
        "since": since,
        "until": until,
        "issued_at": timezone.localtime(),
        "total_segments": sum(d.segments for d in destructions),
    }


def certificate_pdf(destructions: list[Destruction], since: date, until: date) -> bytes:
    """A PDF listing `destructions` (already limited to the reader's scope) for the period."""
    return render_pdf("vault/certificate.html", certificate_context(destructions, since, until))
