"""The recipient's destruction report closes a provision (군산시 제4조: "제공받은자는 제공목적 달성한 후 즉시
파기 및 통보"; 오산시 지침 제35조③④; R49: 요청 → 승인 → 마스킹/제공 → 인수증 → 파기 통보).

Two ways in, one action: the body's officer reports online (the portal: CHANNEL_PORTAL), or the
institution's officer enters the report that came on paper with its scan (CHANNEL_STAFF; the scan is
required, checked by content, stored encrypted as a ProvisionAttachment DESTRUCTION_REPORT). Either way
the report records the day of destruction and the method, the case closes (CLOSED) and two entries are
audited: DISCLOSURE_REPORT_DESTRUCTION (the ledger's 파기 row) and DISCLOSURE_CLOSE_PROVISION.

The legal holds placed on the case's footage (case.hold_reference) end after the case's transaction
commits, not inside it, as when a request closes (actions/closing.py): ending a hold deletes ciphertext,
which no rollback brings back. Should it fail, the case stays closed and the hold ends on its end date;
the caller is told.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import checked_text
from jikimi.disclosure.actions.provision_after import (
    DutyError,
    case_officers,
    locked,
    mail_after_commit,
    provided_on,
)
from jikimi.disclosure.attachments import CheckedFile, attachment_store
from jikimi.disclosure.models import ProvisionAttachment, ProvisionCase
from jikimi.engine.footage import DataKey, FootageError, encrypt_bytes
from jikimi.rules.provision_duties import DutyRefused, check_destroyed_on
from jikimi.vault import keyring
from jikimi.vault.actions.holds import HoldEnding, end_holds_for_case

log = logging.getLogger(__name__)

CHANNEL_PORTAL = "portal"
CHANNEL_STAFF = "staff"
MAX_METHOD = 200  # ProvisionCase.destruction_method

PROVISION_ATTACHMENT_PREFIX = "provision-attachments/"
PROVISION_KEY_PREFIX = "provision-attachment/"


@dataclass(frozen=True)
class DestructionReport:
    destroyed_on: date | None
    method: str
    scan: CheckedFile | None = None  # the signed 파기 확인서; required when staff enter the report


@dataclass(frozen=True)
class Closing:
    case: ProvisionCase
    holds_ended: list[HoldEnding] = field(default_factory=list)
    hold_problem: str = ""  # why the holds could not be ended now (they end on their end date)


def _store_scan(case: ProvisionCase, checked: CheckedFile, actor: Actor) -> ProvisionAttachment:
    """Encrypt the scan under a data key of its own and index it (as the requests' attachments are kept)."""
    token = secrets.token_hex(16)
    key = DataKey.generate(f"{PROVISION_KEY_PREFIX}{token}")
    sealed, info = encrypt_bytes(checked.data, key)
    name = f"{PROVISION_ATTACHMENT_PREFIX}{case.institution.slug}/{token}"
    attachment_store().put(name, sealed)
    try:
        return ProvisionAttachment.objects.create(
            case=case,
            kind=ProvisionAttachment.Kind.DESTRUCTION_REPORT,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=info.plaintext_sha256,
            object_name=name,
            key_id=key.key_id,
            wrapped_key=keyring.master_key().wrap(key),
            uploaded_by=actor.user,
        )
    except BaseException:
        with contextlib.suppress(FootageError):
            attachment_store().delete(name)
        raise


def _officer_mail(case: ProvisionCase, destroyed_on: date, method: str) -> None:
    url = f"{settings.PUBLIC_BASE_URL}{reverse('provisions:after', args=[case.pk])}"
    mail_after_commit(
        f"[지키미] 제공 영상 파기 통보 접수 — {case.case_number}",
        (
            f"{case.body.name}이(가) 제공받은 영상의 파기를 통보했습니다. 사건을 종결했습니다.\n\n"
            f"사건번호: {case.case_number}\n파기 일자: {destroyed_on:%Y-%m-%d}\n파기 방법: {method}\n"
            f"사건: {url}\n"
        ),
        sorted({u.email for u in case_officers(case)}),
        case.case_number,
    )


def report_destruction(
    actor: Actor, case: ProvisionCase, report: DestructionReport, *, channel: str, today: date
) -> Closing:
    """Record the recipient's destruction report and close the case; then end its holds (module doc)."""
    method = checked_text(report.method, "method", "파기 방법", MAX_METHOD, required=True)
    if channel not in (CHANNEL_PORTAL, CHANNEL_STAFF):
        raise ValueError(f"unknown report channel {channel!r}")
    if channel == CHANNEL_STAFF and report.scan is None:
        raise DutyError(
            "파기 확인서: 제공받은 기관이 보낸 파기 확인서를 스캔해 첨부하세요 (JPG·PNG·PDF)", "scan"
        )
    stored: ProvisionAttachment | None = None
    try:
        with transaction.atomic():
            case = locked(case)
            if case.state != ProvisionCase.State.PROVIDED:
                if case.state == ProvisionCase.State.CLOSED:
                    raise DutyError(f"제공 {case.case_number}은(는) 이미 파기 통보를 받아 종결되었습니다")
                raise DutyError(
                    f"제공 {case.case_number}은(는) '{case.get_state_display()}' 상태라 파기 통보를 받을 수 없습니다"
                )
            try:
                destroyed_on = check_destroyed_on(report.destroyed_on, provided_on(case), today)
            except DutyRefused as refused:
                raise DutyError(str(refused), refused.field) from None
            if report.scan is not None:
                stored = _store_scan(case, report.scan, actor)
            previous = case.state
            now = timezone.now()
            case.destroyed_on = destroyed_on
            case.destruction_method = method
            case.destruction_reported_at = now
            case.state = ProvisionCase.State.CLOSED
            case.closed_at = now
            case.save(
                update_fields=[
                    "destroyed_on",
                    "destruction_method",
                    "destruction_reported_at",
                    "state",
                    "closed_at",
                ]
            )
            record(
                actor,
                AuditEvent.DISCLOSURE_REPORT_DESTRUCTION,
                case,
                details={
                    "case_number": case.case_number,
                    "destroyed_on": destroyed_on,
                    "destroy_by": case.destroy_by,
                    "destruction_method": method,
                    "report_channel": channel,
                    "attachment": stored.pk if stored else None,
                    "sha256": stored.sha256 if stored else "",
                },
            )
            record(
                actor,
                AuditEvent.DISCLOSURE_CLOSE_PROVISION,
                case,
                reason="제공받은 자의 파기 통보",
                details={"case_number": case.case_number, "previous_state": previous},
            )
            if channel == CHANNEL_PORTAL:
                _officer_mail(case, destroyed_on, method)
    except BaseException:
        if stored is not None:
            with contextlib.suppress(FootageError):
                attachment_store().delete(stored.object_name)
        raise
    try:
        ended = end_holds_for_case(actor, case.hold_reference, reason="제공받은 자의 파기 통보로 사건 종결")
    except Exception as error:  # the case is closed; the hold ends on its end date instead
        log.exception("provision %s: its holds were not ended", case.case_number)
        return Closing(case, [], f"분리 보관을 지금 해제하지 못했습니다 (보존 종료일에 해제됩니다): {error}")
    return Closing(case, ended)
