"""The limits of the status link's letter downloads, checked before any work (like the public form's,
actions.intake.check_rate_limits): at most JIKIMI_REQUEST_LETTER_READS_PER_ADDRESS_PER_HOUR letters
(decision or postponement) read through status links from one client address an hour.

A letter holds the requester's personal data: a link leaked or guessed must not become a feed, and a
bot must not make the server render and decrypt letters without end. Every read through a status link
is an audit entry with its client address (actions.decisions.read_letter), so the count needs no state
of its own and is the same on every process.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils.timezone import now

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry


class TooManyLetterReads(Exception):
    """The address read its hour's letters; the message says so in Korean."""


def letter_reads_per_hour() -> int:
    return int(settings.JIKIMI_REQUEST_LETTER_READS_PER_ADDRESS_PER_HOUR)


def check_letter_reads(client_address: str) -> None:
    limit = letter_reads_per_hour()
    if not client_address:
        return
    recent = AuditEntry.objects.filter(
        action=AuditEvent.DISCLOSURE_VIEW_REQUEST,
        client_address=client_address[:100],
        at__gte=now() - timedelta(hours=1),
        details__via="status_link",
    ).count()
    if recent >= limit:
        raise TooManyLetterReads(
            f"같은 곳에서 한 시간에 통지서를 {limit}번까지 내려받을 수 있습니다. 잠시 후 다시 시도하거나 "
            "받은 전자우편의 첨부 통지서를 보십시오. 계속 필요하면 기관에 문의하십시오"
        )
