"""What the duties after a provision share: their error, who is told, mail after commit, and the dates a
case gets at handover (파기 기한: 군산시 제4조, 오산시 지침 제35조③; 공개 기한: 법 제18조④, R31).

`settle_duties(case, destroy_by)` is what the handover (deliver) calls inside its transaction, once
`provided_at` is set: it checks the destruction date the recipient is held to (not before the day
of provision; jikimi.rules.provision_duties) and sets the publication deadline from the ground (30 days;
items 1 and 7 exempt). It saves nothing itself: the caller saves the case with its other fields.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import Role, RoleGrant
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.models import ProvisionCase
from jikimi.rules.provision_duties import DutyRefused, check_destroy_by
from jikimi.rules.provision_grounds import publication_due

log = logging.getLogger(__name__)


class DutyError(RequestError):
    """A step after provision refused as asked; nothing was saved. `field` names the field at fault."""


def provided_on(case: ProvisionCase) -> date:
    """The day of provision in Seoul (the day the 30 days and the destruction date count from)."""
    if case.provided_at is None:
        raise DutyError(f"제공 {case.case_number}은(는) 아직 제공되지 않았습니다")
    return timezone.localtime(case.provided_at).date()


def settle_duties(case: ProvisionCase, destroy_by: date | None) -> ProvisionCase:
    """Set `destroy_by` (checked) and `publish_by` (from the ground) on a case just provided; unsaved."""
    day = provided_on(case)
    try:
        case.destroy_by = check_destroy_by(destroy_by, day)
    except DutyRefused as refused:
        raise DutyError(str(refused), refused.field) from None
    case.publish_by = publication_due(case.legal_ground, day)
    return case


def locked(case: ProvisionCase) -> ProvisionCase:
    """The case again, locked for the caller's transaction, with what the duties read."""
    return (
        # Only the case's row: the applicant and the officer are outer joins, which PostgreSQL cannot lock.
        ProvisionCase.objects.select_for_update(of=("self",))
        .select_related("institution", "body", "applicant__user", "provided_by")
        .get(pk=case.pk)
    )


def recipient_addresses(case: ProvisionCase) -> list[str]:
    """Where the recipient is mailed: the applying officer's account, else the contact the letter gave
    when it is an e-mail address (a paper request may give only a telephone number)."""
    found = []
    if case.applicant is not None and case.applicant.user.is_active and case.applicant.user.email:
        found.append(case.applicant.user.email)
    contact = case.requester_phone.strip()
    if "@" in contact and " " not in contact and contact not in found:
        found.append(contact)
    return found


def case_officers(case: ProvisionCase) -> list[Any]:
    """The officer who handed the footage over (or, failing him, who reviewed or received the case)."""
    for user in (case.provided_by, case.prepared_by, case.received_by):
        if user is not None and user.is_active and user.email:
            return [user]
    return []


def privacy_officers(case: ProvisionCase) -> list[Any]:
    """The institution's 개인정보 보호책임자 (총괄책임관), who answers for publication (R31)."""
    grants = RoleGrant.objects.filter(
        institution_id=case.institution_id,
        revoked_at__isnull=True,
        role=Role.PRIVACY_OFFICER,
        user__is_active=True,
    ).select_related("user")
    users = {g.user.pk: g.user for g in grants if g.user.email}
    return sorted(users.values(), key=lambda u: u.username)


def mail_after_commit(subject: str, body: str, to: list[str], case_number: str) -> None:
    """Send after the caller's transaction commits; a mail server that fails is logged, not raised."""

    def send() -> None:
        try:
            send_mail(subject, body, None, to)
        except OSError as error:
            log.error("provision %s: mail to %s failed: %s", case_number, ", ".join(to), error)

    if to:
        transaction.on_commit(send)
    else:
        log.warning("provision %s: nobody with an address to tell", case_number)
