"""Package builds on the workers (issue 18): a request's copy archive (R42) and a provision's package (R49)
are made by a Huey worker under a lease (disclosure.actions.job_leases), never in the officer's web
request, and never twice.

1. order — the officer asks (`order_copy`, `order_provision`): every check first (actions.delivery,
   actions.provision_delivery), then a PackageJob is queued with its audit entry. The database holds at most
   one live build (queued, running, ready) per masking job and per case: a second order, from a double
   click or another officer at the same instant, is refused with the first's state — the unique index
   decides, not the page. The archive's password is made here and returned once for the officer's page.
2. build — a worker claims the job, exports and seals the package, renewing its lease at each step
   (`package_tasks.run_build`); `finish_copy` / `finish_provision` record the delivery only under the
   worker's claim, so a worker that lost its lease (and whose job another worker built) has its late
   package refused and removed: the body or the requester gets one package, not two.
3. recover — the minute's sweep (package_tasks.recover_package_jobs) queues again the builds of dead
   workers (up to DISCLOSURE_MASKING_MAX_ATTEMPTS, then failed with the reason on the officer's page) and
   the builds whose task the queue lost before any worker took it.
4. withdraw (제공 파일 회수) — the officer who lost the one-time password, or who gave it (or the link) to the
   wrong person, withdraws a ready package with a reason (`withdraw_package`): its stored file is
   destroyed, its link answers that it was withdrawn, and the slot is free so a new one may be ordered
   at once instead of after the link's 7 days.
5. destroy at expiry (보관 기간 끝 파기) — a periodic sweep (`destroy_expired`, package_tasks) destroys the
   stored file of every package whose link has expired, the same way as a withdrawal (R17, R19).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.delivery import DeliveryRefused, check_copy, record_copy
from jikimi.disclosure.actions.job_leases import Claim, LeasedWork, hold
from jikimi.disclosure.actions.provision_delivery import HandoverRefused, check_package, record_package
from jikimi.disclosure.masked_files import SealedFile, remove
from jikimi.disclosure.models import (
    CopyDelivery,
    MaskingJob,
    PackageJob,
    ProvisionCase,
    ProvisionDelivery,
    SubjectRequest,
)
from jikimi.disclosure.packaging import password_from_secret
from jikimi.engine.footage import DataKey
from jikimi.vault import keyring


def build_case(build: PackageJob) -> SubjectRequest | ProvisionCase:
    """The case a build is for: its audit entries are the case's (R40)."""
    if build.case is not None:
        return build.case
    assert build.masking_job is not None and build.masking_job.request is not None
    return build.masking_job.request


def build_label(build: PackageJob) -> str:
    return f"{'제공' if build.case_id else '청구'} {build.case_number}"


def enqueue_build(build: PackageJob) -> None:
    # Imported here: the task module imports huey's Django integration, which needs settings ready.
    from jikimi.disclosure.package_tasks import build_package

    build_id = build.pk
    build.queued_at = timezone.now()
    PackageJob.objects.filter(pk=build_id).update(queued_at=build.queued_at)
    transaction.on_commit(lambda: build_package(build_id))


PACKAGES = LeasedWork(
    model=PackageJob,
    name="제공 파일 작업",
    event=AuditEvent.DISCLOSURE_RECOVER_PACKAGE,
    subject=build_case,
    label=build_label,
    enqueue=enqueue_build,
    gave_up=lambda worker, attempt: (
        f"작업 워커가 제공 파일을 만드는 도중 멈췄습니다(마지막: {worker}). "
        f"{attempt}번 시도해 모두 끝나지 않아 실패로 처리했습니다. 제공 파일을 다시 만드세요"
    ),
    key="package_job",
    related=("masking_job__request", "case"),
    # The password's key goes with the build's end: nothing can make the password again.
    on_end={"password_key_id": "", "password_wrapped_key": None},
)


@dataclass(frozen=True)
class PackageOrder:
    build: PackageJob
    password: str  # shown once to the officer who ordered it; kept only as a wrapped key until built

    @property
    def delivery(self) -> Any:
        """The delivery, once a worker built it (None before)."""
        self.build.refresh_from_db()
        return self.build.delivery


def password_of(build: PackageJob) -> str:
    """The worker's copy of the password the officer was shown (from the build's wrapped key)."""
    if not build.password_key_id:
        raise ValueError("제공 파일 암호의 키가 없습니다: 작업이 이미 끝났습니다. 제공 파일을 다시 만드세요")
    return password_from_secret(keyring.unwrap(build.password_wrapped_key, build.password_key_id).secret)


def _what(kind: str) -> str:
    return "사본 파일" if kind == PackageJob.Kind.COPY else "제공 파일"


def live_refusal(build: PackageJob) -> str:
    """Why a second build is refused: the live one's state, in the officer's words."""
    what = _what(build.kind)
    if build.state == PackageJob.State.READY:
        delivery = build.delivery
        until = timezone.localtime(delivery.expires_at).strftime("%Y-%m-%d %H:%M") if delivery else ""
        return (
            f"이 {what}은(는) 이미 만들어졌습니다({until}까지 내려받을 수 있음). "
            f"{what}을(를) 두 번 만들지 않습니다"
        )
    asked = timezone.localtime(build.created_at).strftime("%Y-%m-%d %H:%M")
    return (
        f"이 {what}을(를) 이미 만들고 있습니다({build.get_state_display()}, {asked} 요청). "
        f"끝나면 이 화면에 나타납니다. {what}을(를) 두 번 만들지 않습니다"
    )


def _live(target: dict[str, Any]) -> PackageJob | None:
    return PackageJob.objects.filter(state__in=PackageJob.LIVE, **target).first()


def _order(
    actor: Actor, target: dict[str, Any], kind: str, original: bool, refused: type[ValueError]
) -> PackageOrder:
    assert actor.user is not None  # checked by the caller
    key = DataKey.generate(f"disclosure/package-password-{secrets.token_hex(8)}")
    now = timezone.now()
    with transaction.atomic():
        # A ready build whose download link expired no longer counts as delivered: one may be built again
        # (as for the copy before: one copy out at a time).
        PackageJob.objects.filter(state=PackageJob.State.READY, **target).filter(
            Q(copy_delivery__expires_at__lte=now) | Q(provision_delivery__expires_at__lte=now)
        ).update(state=PackageJob.State.EXPIRED)
        live = _live(target)
        if live is not None:
            raise refused(live_refusal(live))
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL's transaction survives the refusal
                build = PackageJob.objects.create(
                    kind=kind,
                    original=original,
                    password_key_id=key.key_id,
                    password_wrapped_key=keyring.master_key().wrap(key),
                    created_by=actor.user,
                    **target,
                )
        except IntegrityError:
            # Another order won the race between the check above and this insert: the index refused ours.
            live = _live(target)
            raise refused(live_refusal(live) if live else f"{_what(kind)}: 다시 시도하세요") from None
        record(
            actor,
            AuditEvent.DISCLOSURE_ORDER_PACKAGE,
            build_case(build),
            reason=f"{build_label(build)} {_what(kind)} 만들기 요청",
            details={
                "package_job": build.pk,
                "package_kind": kind,
                "job": build.masking_job_id,
                "original": original,
            },
        )
        enqueue_build(build)
    return PackageOrder(build, password_from_secret(key.secret))


def order_copy(actor: Actor, job: MaskingJob) -> PackageOrder:
    """Queue the encrypted archive of an approved job (R42); its password, once."""
    check_copy(actor, job)
    return _order(actor, {"masking_job": job}, PackageJob.Kind.COPY, False, DeliveryRefused)


def order_provision(actor: Actor, case: ProvisionCase, *, original: bool = False) -> PackageOrder:
    """Queue the encrypted package of an approved case: masked clips, or (R49) the approved original."""
    check_package(actor, case, original=original)
    return _order(actor, {"case": case}, PackageJob.Kind.PROVISION, original, HandoverRefused)


def _ended(locked: PackageJob, **delivery: Any) -> None:
    for name, value in delivery.items():
        setattr(locked, name, value)
    locked.state = PackageJob.State.READY
    locked.progress = 100
    locked.error = ""
    locked.finished_at = timezone.now()
    locked.claim_token = ""  # the lease ends; the worker's name stays, as the build's last
    locked.lease_expires_at = None
    locked.password_key_id = ""
    locked.password_wrapped_key = None
    locked.save()


def finish_copy(claim: Claim, actor: Actor, sealed: SealedFile, file_name: str) -> PackageJob:
    """The archive is sealed: it becomes the request's copy — only under the worker's claim (else
    LeaseLost: the caller removes the archive it stored)."""
    with transaction.atomic():
        locked: PackageJob = hold(PACKAGES, claim)
        assert locked.masking_job_id is not None
        job = MaskingJob.objects.select_for_update(of=("self",)).get(pk=locked.masking_job_id)
        _ended(locked, copy_delivery=record_copy(actor, job, sealed, file_name))
    return locked


def finish_provision(
    claim: Claim, actor: Actor, sealed: SealedFile, file_name: str, files: list[dict[str, Any]]
) -> PackageJob:
    """The package is sealed: it becomes the case's — only under the worker's claim (else LeaseLost)."""
    with transaction.atomic():
        locked: PackageJob = hold(PACKAGES, claim)
        assert locked.case_id is not None
        case = ProvisionCase.objects.select_for_update().get(pk=locked.case_id)
        delivery = record_package(
            actor, case, original=locked.original, sealed=sealed, file_name=file_name, files=files
        )
        _ended(locked, provision_delivery=delivery)
    return locked


# -- withdrawal (제공 파일 회수) ---------------------------------------------------------------------------

WITHDRAWAL_REASON_MAX = 500  # a sentence or two; the audit entry carries it (R40: reasons are checked)


class WithdrawalRefused(ValueError):
    """A package that cannot be withdrawn as asked; the message (Korean) says why."""


def _check_withdrawable(build: PackageJob) -> None:
    what = _what(build.kind)
    if build.state == PackageJob.State.WITHDRAWN:
        at = timezone.localtime(build.withdrawn_at).strftime("%Y-%m-%d %H:%M") if build.withdrawn_at else ""
        raise WithdrawalRefused(f"이 {what}은(는) 이미 회수되었습니다({at}, {build.withdrawn_by})")
    if build.state != PackageJob.State.READY or build.delivery is None:
        # Only a made package has a stored file and a link to close. A failed build left neither (the
        # worker removed what it stored) and holds no slot; a queued or running one is not made yet:
        # withdraw it once it is ready.
        raise WithdrawalRefused(
            f"'{build.get_state_display()}' 상태의 {what}입니다: 다 만들어진 {what}만 회수할 수 있습니다"
        )
    delivery = build.delivery
    if build.kind == PackageJob.Kind.PROVISION and delivery.handed_over_at is not None:
        # R49 (요청 → 승인 → 제공 → 인수증 → 파기 통보) and R30 (영15 대장: 파일명·제공 항목): the 인수증 and the
        # register record this package, by its files' hashes, as what the body received; the chain goes on
        # with the body's destruction report, not with a second package. Destroying the copy the portal
        # still serves would break what the signed receipt says was given.
        at = timezone.localtime(delivery.handed_over_at).strftime("%Y-%m-%d %H:%M")
        raise WithdrawalRefused(
            f"이 제공 파일은 {at}에 인계되어 인수증에 기록되었습니다: 회수하지 않습니다. "
            "제공받은 기관에 파기와 파기 결과 통보를 요청하세요 (R49)"
        )


def withdraw_package(actor: Actor, build: PackageJob, reason: str) -> PackageJob:
    """Withdraw a ready package (lost password, wrong recipient): in one transaction with its audit entry,
    its stored file is destroyed, its download link closed, and the one-live-build slot freed.

    A copy the requester already downloaded may still be withdrawn. Withdrawal cannot take back what was
    downloaded, and it erases nothing of the record of it: the delivery row keeps its file name, hash and
    download count, each download has its audit entry (R26: the copy provided and why; R40), and the
    withdrawal's entry states how many downloads there were. What it does is stop further downloads and
    destroy the copy kept here, which is what a password sent to the wrong place calls for (R42: exported
    footage stays encrypted and within reach of the right person only). A provision's package is only
    downloadable after its handover, which closes withdrawal (see _check_withdrawable: R30, R49).

    The file is destroyed as the design destroys footage ("Keys and destruction"): its wrapped data key is
    erased in this transaction (crypto-shredding: the ciphertext is noise from the commit on), and the
    ciphertext is deleted from the store once the transaction commits."""
    reason = " ".join(reason.split())
    what = _what(build.kind)
    if not reason:
        raise WithdrawalRefused(f"회수 사유: 필수 항목입니다. 왜 {what}을(를) 회수하는지 적어 주십시오")
    if len(reason) > WITHDRAWAL_REASON_MAX:
        raise WithdrawalRefused(
            f"회수 사유: {WITHDRAWAL_REASON_MAX}자 이내로 적어 주십시오 (지금 {len(reason)}자)"
        )
    if actor.user is None:
        raise WithdrawalRefused(f"로그인한 담당자만 {what}을(를) 회수할 수 있습니다")
    now = timezone.now()
    try:
        return _withdraw(actor, build, reason, now)
    except WithdrawalRefused as refusal:
        _record_refusal(actor, build, reason, refusal)
        raise


def _withdraw(actor: Actor, build: PackageJob, reason: str, now: datetime) -> PackageJob:
    what = _what(build.kind)
    with transaction.atomic():
        locked = (
            PackageJob.objects.select_for_update(of=("self",))
            .select_related("copy_delivery", "provision_delivery", "withdrawn_by")
            .get(pk=build.pk)
        )
        _check_withdrawable(locked)
        # The state decides, not the read above: of two withdrawals at once only one changes the row.
        changed = PackageJob.objects.filter(pk=locked.pk, state=PackageJob.State.READY).update(
            state=PackageJob.State.WITHDRAWN,
            withdrawn_at=now,
            withdrawn_by=actor.user,
            withdrawal_reason=reason,
        )
        if changed != 1:
            locked.refresh_from_db()
            _check_withdrawable(locked)
            raise WithdrawalRefused(f"이 {what}은(는) 이미 회수되었습니다")
        record(
            actor,
            AuditEvent.DISCLOSURE_WITHDRAW_PACKAGE,
            build_case(locked),
            reason=f"{build_label(locked)} {what} 회수: {reason}",
            details=_destroy_file(locked, withdrawn_at=now),
        )
    locked.refresh_from_db()
    return locked


def _record_refusal(actor: Actor, build: PackageJob, reason: str, refusal: WithdrawalRefused) -> None:
    """A withdrawal the package's state refused — handed over (R49), already withdrawn, not made yet — is
    on the case's record, in its own transaction (the refused one rolled back): someone with the right to
    withdraw asked, with a reason, to destroy a package and was told no. R40's monthly review reads the
    log for exactly this (who tried to destroy or take back footage given out, and why), as the house
    records refused logins and refused destructions (accounts.login_failed, vault.retention_clock_refused).

    Not recorded, as elsewhere in the house: a form without a valid reason (nothing was asked yet: the page
    names the field) and a person without the permission or the case in scope (the view's decorator
    answers 403/404 before any action runs; the house audits no page refusals)."""
    with transaction.atomic():
        locked = (
            PackageJob.objects.select_related(
                "copy_delivery", "provision_delivery", "masking_job__request", "case"
            )
            .filter(pk=build.pk)
            .first()
        )
        if locked is None:
            return
        details: dict[str, Any] = {
            "package_job": locked.pk,
            "package_kind": locked.kind,
            "package_state": locked.state,
            "requested_reason": reason,
        }
        handed_over_at = getattr(locked.delivery, "handed_over_at", None)
        if handed_over_at is not None:
            details["handed_over_at"] = handed_over_at
        record(
            actor,
            AuditEvent.DISCLOSURE_WITHDRAW_PACKAGE_REFUSED,
            build_case(locked),
            reason=f"{build_label(locked)} {_what(locked.kind)} 회수 거부: {refusal}",
            details=details,
        )


def _destroy_file(locked: PackageJob, **marks: Any) -> dict[str, Any]:
    """Inside the caller's transaction (the build's row locked and its state changed): destroy the stored
    file of the build's delivery as the design destroys footage ("Keys and destruction"; R17) — its
    wrapped data key erased now (crypto-shredding: the ciphertext is noise once this commits), the
    ciphertext deleted from the store after the commit (a rollback keeps both). The delivery row keeps
    its file name, hash and download count (R26, R30); `marks` are its other fields to set. Returns what
    the audit entry says of the file (R19: 파일명; R40)."""
    delivery = locked.delivery
    model = CopyDelivery if locked.kind == PackageJob.Kind.COPY else ProvisionDelivery
    model.objects.filter(pk=delivery.pk).update(wrapped_key=None, **marks)
    transaction.on_commit(partial(remove, delivery.object_name), robust=True)
    return {
        "package_job": locked.pk,
        "package_kind": locked.kind,
        "delivery": delivery.pk,
        "file": delivery.file_name,
        "sha256": delivery.sha256,
        "downloads": delivery.uses,
        "expires_at": delivery.expires_at,
    }


# -- destruction at the link's expiry (보관 기간 끝 파기) --------------------------------------------------

# The builds whose stored file may still be here: made (READY, or EXPIRED by the next order) and not
# destroyed yet. A withdrawn build's file went with the withdrawal; a failed build stored none.
_DESTROYABLE = (PackageJob.State.READY, PackageJob.State.EXPIRED)


def _link_ended(now: Any) -> Q:
    return Q(copy_delivery__expires_at__lte=now) | Q(provision_delivery__expires_at__lte=now)


def destroy_expired(actor: Actor) -> list[int]:
    """Destroy the stored file of every package whose download link has expired (the periodic sweep,
    package_tasks.destroy_expired_packages): one transaction and one audit entry per package. Returns the
    builds destroyed by this call.

    Why at expiry: the package was kept only to be downloaded through its link (R42: exported footage
    stays encrypted and within reach of the right person only); once the link answers "기한이 지났습니다"
    nothing may read it, and footage is destroyed without delay once its purpose is over (법 제21조①,
    R17; the org's rule: within 5 days). Each destruction is recorded with its file name, the time and
    the system as 담당자 (R19; R40). The delivery row, its downloads' entries and the case's history stay
    (R26: the copy provided and why; R30: the 영15 register's 파일명 and items).

    A provision's package handed over (its 인수증 signed) is destroyed at expiry like the others: our
    stored package is not what R49's 파기 통보 is about — that chain ends with the *recipient's* report of
    destroying the copy it received (actions.provision_destruction). What the receipt and the register
    name stays verifiable: the delivery row keeps the package's hash and each file's (R30), and the
    footage itself stays under the case's legal hold (R18, case.hold_reference) until that report closes
    the case and ends the hold. Keeping a second, password-protected duplicate nobody may download until
    then would only be footage kept longer than its purpose (R17); a new package can be built from the
    held footage should the body need one again. (Withdrawal is refused after the handover for another
    reason: the portal still serves the package then; see _check_withdrawable.)

    Idempotent and safe when two sweeps run at once: each build is taken under select_for_update with
    skip_locked on PostgreSQL (a build another sweep holds is skipped, it does it), and in every case the
    state decides — the update that sets `destroyed_at` changes the row once, the second finds nothing to
    do. A file already missing from the store (an operator's cleanup, a failed earlier delete) is no
    error: the key is erased all the same and the entry records `file_missing`."""
    now = timezone.now()
    candidates = list(
        PackageJob.objects.filter(state__in=_DESTROYABLE, destroyed_at__isnull=True)
        .filter(_link_ended(now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    destroyed: list[int] = []
    for build_id in candidates:
        with transaction.atomic():
            locked = (
                PackageJob.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("copy_delivery", "provision_delivery", "masking_job__request", "case")
                .filter(pk=build_id, state__in=_DESTROYABLE, destroyed_at__isnull=True)
                .filter(_link_ended(now))
                .first()
            )
            if locked is None:
                continue  # another sweep holds or did it
            changed = PackageJob.objects.filter(
                pk=build_id, state__in=_DESTROYABLE, destroyed_at__isnull=True
            ).update(state=PackageJob.State.EXPIRED, destroyed_at=now)
            if changed != 1:
                continue
            delivery = locked.delivery
            missing = not delivery.object_name or not keyring.footage_store().exists(delivery.object_name)
            details = _destroy_file(locked)
            details["case_number"] = locked.case_number
            handed_over_at = getattr(delivery, "handed_over_at", None)
            if handed_over_at is not None:
                details["handed_over_at"] = handed_over_at
            details["file_missing"] = missing
            record(
                actor,
                AuditEvent.DISCLOSURE_DESTROY_EXPIRED_PACKAGE,
                build_case(locked),
                reason=(
                    f"{build_label(locked)} {_what(locked.kind)} 보관 기간 끝 파기"
                    f"(내려받기 기한 {timezone.localtime(delivery.expires_at):%Y-%m-%d %H:%M})"
                ),
                details=details,
            )
            destroyed.append(build_id)
    return destroyed
