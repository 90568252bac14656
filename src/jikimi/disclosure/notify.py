"""E-mail to the requester at each step of a request, when they gave an address (issue 13).

Sent after the step's transaction commits (DESIGN: mail goes out through transaction.on_commit), so a
step that fails sends nothing. A failed send is logged, never raised: the step stands, and the letter
is kept with the case and shown on the status page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.db import transaction

from jikimi.disclosure.models import SubjectRequest

log = logging.getLogger(__name__)

# (file name, content, MIME type), e.g. ("결정통지서-2026-00012.pdf", pdf, "application/pdf")
Attachment = tuple[str, bytes, str]


def notify_requester(
    request: SubjectRequest, *, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> None:
    """Mail `request`'s requester once the current transaction commits; nothing without an address."""
    address = request.requester_email
    if not address:
        return
    receipt = request.receipt_number
    message = EmailMessage(
        f"[{request.institution.name}] {subject} (접수번호 {receipt})", body, None, [address]
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)

    def send() -> None:
        try:
            message.send()
        except OSError as error:
            log.error("request %s: mail to the requester failed: %s", receipt, error)

    transaction.on_commit(send)
