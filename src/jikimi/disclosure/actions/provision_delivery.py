"""Handing an approved provision's footage to the body (R25, R32, R49; 오산시 지침 제32조, 별지 제3호서식).

1. The package: the engine's sealed package in an AES-256 ZIP (jikimi.disclosure.packaging), the case
   number its watermark (burned into each masked clip, named in the manifest and the readme). It holds
   the masked derivatives of the case's approved masking jobs — one per footage item, each differing
   from its original (R25) — or, only where the approver allowed it with a reason (`case.original_approved`,
   R49), the original exports themselves, and says which. A worker builds it (actions.package_jobs:
   queued, leased, recovered, never twice; issue 18); its password is shown once to the officer who
   asked, to give by another channel (R42), and kept nowhere in clear.
2. The handover (`provide_footage`): the package, or a viewing on site recorded with when and who viewed;
   the limits asked of the recipient (R32: period, method, safety measures; the purpose is the case's)
   and the destroy-by date are required; the case becomes PROVIDED.
3. The 영상정보 인수증 (jikimi.disclosure.receipts) is signed on receipt: drawn on screen (a PNG kept on
   the case and embedded in the signed PDF) or signed on paper and scanned (a RECEIPT_SCAN attachment,
   checked by content and stored encrypted).

Nothing leaves before the approval; every step is one transaction with its audit entry, and every check
runs before any work (an export, a file written).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.anchoring import signing_key
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.delivery import link_lifetime
from jikimi.disclosure.actions.provision_after import DutyError, settle_duties
from jikimi.disclosure.attachments import (
    PNG,
    AttachmentRefused,
    Upload,
    check_upload,
    delete_objects,
    sniff,
    store_provision_attachment,
)
from jikimi.disclosure.masked_files import SealedFile, reader, seal_file
from jikimi.disclosure.models import (
    MaskingJob,
    ProvisionAttachment,
    ProvisionCase,
    ProvisionDelivery,
    ProvisionFootage,
)
from jikimi.disclosure.packaging import build_provision_archive
from jikimi.engine.footage import EnvelopeReader
from jikimi.engine.masking.package import PackageInfo
from jikimi.lib.intervals import format_interval
from jikimi.vault.export import export_window

# A signature drawn on a 600×200 canvas is a few tens of KB as PNG; more is not a signature.
SIGNATURE_MAX_BYTES = 512 * 1024


class HandoverRefused(ValueError):
    """A step of the handover that cannot be done as asked; `field` names the form field (or "")."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# -- what may be handed over ------------------------------------------------------------------------------


def footage_items(case: ProvisionCase) -> list[ProvisionFootage]:
    return list(
        case.footage.select_related("device__location", "device__device_group").order_by("start", "pk")
    )


def approved_job(case: ProvisionCase, item: ProvisionFootage) -> MaskingJob | None:
    """The newest approved masking job of `item` whose derivative differs from its original (R25)."""
    for job in MaskingJob.objects.filter(
        provision=case,
        device_id=item.device_id,
        start=item.start,
        end=item.end,
        state=MaskingJob.State.APPROVED,
    ).order_by("-approved_at", "-pk"):
        if job.releasable:
            return job
    return None


def _check_approved(case: ProvisionCase) -> None:
    if case.state != ProvisionCase.State.APPROVED:
        # R49: nothing leaves before the approval, nor twice.
        raise HandoverRefused(
            f"'{case.get_state_display()}' 상태입니다: 승인된 제공 요청만 제공할 수 있습니다"
        )


def _check_original(case: ProvisionCase) -> None:
    if not (case.original_approved and case.original_reason.strip()):
        # R49: the original only where the ground and the approver say so, with the reason recorded.
        raise HandoverRefused(
            "원본 제공: 승인권자가 사유를 적어 원본 제공을 승인한 경우에만 원본을 제공합니다 (R49)",
            "original",
        )


def masked_jobs(case: ProvisionCase) -> list[tuple[ProvisionFootage, MaskingJob]]:
    """Each footage item with its approved masked derivative; refused while one lacks it (R25)."""
    items = footage_items(case)
    if not items:
        raise HandoverRefused("제공할 영상(기기·구간)이 없습니다")
    pairs = []
    for item in items:
        job = approved_job(case, item)
        if job is None:
            raise HandoverRefused(
                f"{item.device.name} {format_interval(item.start, item.end)}: 공개 승인된 마스킹본이 없습니다. "
                "마스킹하고 검토·승인한 뒤 제공하세요 (R25)"
            )
        pairs.append((item, job))
    return pairs


def _file_row(item: ProvisionFootage, sha256: str) -> dict[str, Any]:
    device = item.device
    return {
        "device": device.pk,
        "device_name": device.name,
        "location": device.location.name if device.location else "",
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "sha256": sha256,
    }


# -- the package ------------------------------------------------------------------------------------------


Beat = Callable[[int], None]  # a build's progress (percent): renews the worker's lease (job_leases.Heartbeat)


def _decrypt_to(job: MaskingJob, path: Path, beat: Beat) -> None:
    opened = reader(job.derivative_object, job.derivative_key_id, job.derivative_wrapped_key)
    with path.open("wb") as out:
        for chunk in opened.iter_range():
            out.write(chunk)
            beat(-1)  # a sign of life, no new percentage


def seal_package(
    actor: Actor, case: ProvisionCase, *, original: bool, password: str, beat: Beat
) -> tuple[SealedFile, str, list[dict[str, Any]]]:
    """The worker's part of a package (actions.package_jobs): every item exported (and its masked clip
    decrypted), sealed and zipped under `password`, stored encrypted; its name and the files it holds."""
    pairs: list[tuple[ProvisionFootage, MaskingJob | None]] = (
        [(item, None) for item in footage_items(case)] if original else list(masked_jobs(case))
    )
    if not pairs:
        raise HandoverRefused("제공할 영상(기기·구간)이 없습니다")
    with tempfile.TemporaryDirectory(prefix="jikimi-provision-") as directory:
        tmp = Path(directory)
        clips: list[tuple[Path, str]] = []
        originals: list[Path] = []
        files = []
        for index, (item, job) in enumerate(pairs, start=1):
            beat(int(80 * (index - 1) / len(pairs)))
            # The original is exported for each item (audited by the vault): its hash is in the manifest,
            # and where the original is given it is the clip itself.
            exported = export_window(
                actor,
                item.device,
                item.start,
                item.end,
                tmp / "original" / f"{index:02d}" / f"{case.case_number}-{index:02d}-original.mp4",
                reason=f"제3자 제공 {case.case_number} 제공본 봉인 ({'원본' if original else '원본 해시 확인'})",
                case_reference=case.case_number,
                progress=partial(beat, -1),  # an hour's export outlasts a lease: renewed as it goes
            )
            originals.append(exported.path)
            if job is None:
                clips.append((exported.path, exported.path.name))
                files.append(_file_row(item, exported.sha256))
                continue
            if exported.sha256 != job.original_sha256:
                raise HandoverRefused(
                    f"{item.device.name}: 보관 영상이 마스킹할 때와 달라졌습니다. 마스킹을 다시 하세요"
                )
            clip = tmp / "masked" / f"{index:02d}.mp4"
            clip.parent.mkdir(parents=True, exist_ok=True)
            _decrypt_to(job, clip, beat)
            clips.append((clip, f"{case.case_number}-{index:02d}-masked.mp4"))
            files.append(_file_row(item, job.derivative_sha256))
        beat(80)
        archive = build_provision_archive(
            tmp / "package",
            clips=clips,
            originals=originals,
            info=PackageInfo(
                case=case.case_number,
                preparer=str(actor.user),
                approver=str(case.decided_by),
                recipient=case.body.name,
                purpose=case.purpose,
                devices=sorted({item.device.name for item, _ in pairs}),
                time_ranges=[format_interval(item.start, item.end) for item, _ in pairs],
            ),
            key=signing_key(),
            institution=case.institution.name,
            body=case.body.name,
            original=original,
            password=password,
        )
        beat(90)
        sealed = seal_file(archive.path, f"provision-{case.pk}")
        return sealed, archive.file_name, files


def check_package(actor: Actor, case: ProvisionCase, *, original: bool) -> None:
    """May the package be made now: an approved case, the original only where approved (R49), every item
    with its approved masked derivative (R25) — before any work, and again when it is recorded."""
    _check_approved(case)
    if original:
        _check_original(case)
    else:
        masked_jobs(case)  # refused before any export while an item lacks its approved derivative
    if actor.user is None:
        raise HandoverRefused("로그인한 담당자만 제공 파일을 만들 수 있습니다")


def record_package(
    actor: Actor,
    locked: ProvisionCase,
    *,
    original: bool,
    sealed: SealedFile,
    file_name: str,
    files: list[dict[str, Any]],
) -> ProvisionDelivery:
    """Inside the transaction that ends the build (the case's row locked): the package, downloadable by
    the body until its link expires, audited."""
    check_package(actor, locked, original=original)
    assert actor.user is not None
    delivery = ProvisionDelivery.objects.create(
        case=locked,
        kind=ProvisionDelivery.Kind.PACKAGE,
        original=original,
        files=files,
        object_name=sealed.object_name,
        key_id=sealed.key_id,
        wrapped_key=sealed.wrapped_key,
        file_name=file_name,
        sha256=sealed.sha256,
        size=sealed.size,
        expires_at=timezone.now() + link_lifetime(),
        created_by=actor.user,
    )
    record(
        actor,
        AuditEvent.DISCLOSURE_PREPARE_COPY,
        locked,
        reason=f"제공 {locked.case_number} 암호화 제공 파일({'원본' if original else '마스킹본'})",
        details={
            "delivery": delivery.pk,
            "original": original,
            "files": len(files),
            "sha256": delivery.sha256,
            "expires_at": delivery.expires_at,
        },
    )
    return delivery


def handed_over(case: ProvisionCase) -> ProvisionDelivery | None:
    """What the handover gave (the package or the viewing on site), once the case is provided."""
    return (
        ProvisionDelivery.objects.filter(case=case, handed_over_at__isnull=False)
        .order_by("-handed_over_at", "-pk")
        .first()
    )


def open_packages(case: ProvisionCase) -> list[ProvisionDelivery]:
    """The packages the body may still download (not expired), newest first — for the portal's page."""
    if case.state not in (ProvisionCase.State.APPROVED, ProvisionCase.State.PROVIDED):
        return []
    return list(
        ProvisionDelivery.objects.filter(
            case=case,
            kind=ProvisionDelivery.Kind.PACKAGE,
            expires_at__gt=timezone.now(),
            withdrawn_at__isnull=True,
        )
    )


def download_package(actor: Actor, delivery: ProvisionDelivery) -> EnvelopeReader:
    """The package for the body's download (the portal's view calls this): audited per download,
    refused once expired or once the case is closed (its footage is to be destroyed by then)."""
    if delivery.kind != ProvisionDelivery.Kind.PACKAGE or not delivery.object_name:
        raise HandoverRefused("내려받을 제공 파일이 아닙니다")
    if delivery.withdrawn_at is not None:
        raise HandoverRefused(
            f"이 제공 파일은 {timezone.localtime(delivery.withdrawn_at):%Y-%m-%d %H:%M}에 제공 기관 담당자가 "
            "회수해 더 이상 내려받을 수 없습니다. 제공 기관 담당자에게 문의하세요"
        )
    case = delivery.case
    if case.state not in (ProvisionCase.State.APPROVED, ProvisionCase.State.PROVIDED):
        raise HandoverRefused(
            f"'{case.get_state_display()}' 상태의 사건입니다: 제공 파일을 내려받을 수 없습니다"
        )
    if delivery.expires_at is None or delivery.expires_at <= timezone.now():
        raise HandoverRefused("내려받기 기한이 지났습니다. 제공 기관 담당자에게 문의하세요")
    opened = reader(delivery.object_name, delivery.key_id, delivery.wrapped_key)
    with transaction.atomic():
        ProvisionDelivery.objects.filter(pk=delivery.pk).update(uses=F("uses") + 1)
        record(
            actor,
            AuditEvent.DISCLOSURE_DOWNLOAD_COPY,
            case,
            reason=f"제공 {case.case_number} 제공 파일 내려받기",
            details={"delivery": delivery.pk, "sha256": delivery.sha256, "size": delivery.size},
        )
    return opened


# -- the handover ----------------------------------------------------------------------------------------


@dataclass
class Handover:
    """What the handover form says (the view parses it; the action checks it)."""

    delivery: str  # ProvisionCase.Delivery
    receiver_department: str
    receiver_position: str
    receiver_name: str
    use_period: str
    use_method: str
    safety_measures: str
    destroy_by: date | None
    package: ProvisionDelivery | None = None
    # The viewing on site: when, where, who.
    viewed_from: datetime | None = None
    viewed_until: datetime | None = None
    viewing_place: str = ""
    viewers: str = ""
    original: bool = False  # what was shown on site (R49 as for a package)
    signature: bytes | None = field(default=None, repr=False)  # drawn on screen (PNG)


def check_signature(png: bytes) -> None:
    if not png:
        raise HandoverRefused("인수자 서명: 서명을 그려 주십시오", "signature")
    if len(png) > SIGNATURE_MAX_BYTES:
        raise HandoverRefused("인수자 서명: 서명 이미지가 너무 큽니다", "signature")
    if sniff(png) != PNG:
        raise HandoverRefused("인수자 서명: PNG 이미지가 아닙니다", "signature")


def _required(value: str, label: str, name: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise HandoverRefused(f"{label}: 필수 항목입니다", name)
    return value


def check_handover(case: ProvisionCase, handover: Handover) -> list[dict[str, Any]]:
    """Every check of the form, before anything is written; the files handed over."""
    _check_approved(case)
    _required(handover.receiver_department, "인수자 소속", "receiver_department")
    _required(handover.receiver_name, "인수자 성명", "receiver_name")
    # R32: the limits asked of the recipient are on the 인수증; none may be left out.
    _required(handover.use_period, "이용 기간", "use_period")
    _required(handover.use_method, "이용 방법·범위", "use_method")
    _required(handover.safety_measures, "요구하는 안전성 확보 조치", "safety_measures")
    today = timezone.localdate()
    if handover.destroy_by is None:
        raise HandoverRefused("파기 기한: 필수 항목입니다", "destroy_by")
    if handover.destroy_by < today:
        raise HandoverRefused(f"파기 기한: 오늘({today:%Y-%m-%d}) 이후여야 합니다", "destroy_by")
    if handover.signature is not None:
        check_signature(handover.signature)
    if handover.delivery == ProvisionCase.Delivery.PACKAGE:
        package = handover.package
        if package is None or package.case_id != case.pk or package.kind != ProvisionDelivery.Kind.PACKAGE:
            raise HandoverRefused("제공 파일: 먼저 암호화 제공 파일을 만드세요", "package")
        if package.withdrawn_at is not None:
            raise HandoverRefused(
                "제공 파일: 회수한 제공 파일입니다. 새로 만든 제공 파일을 고르세요", "package"
            )
        if ProvisionDelivery.objects.filter(pk=package.pk, wrapped_key__isnull=True).exists():
            # Its link expired and the sweep destroyed the stored file (actions.package_jobs.destroy_expired):
            # the body could download nothing, and the 인수증 would list a package nobody can have. Asked of
            # the database, not of the form's row: the sweep may have run since the page was read.
            raise HandoverRefused(
                "제공 파일: 내려받기 기한이 지나 보관 기간이 끝나 파기한 제공 파일입니다. 새로 만드세요",
                "package",
            )
        return list(package.files)
    if handover.delivery == ProvisionCase.Delivery.ON_SITE:
        if handover.viewed_from is None or handover.viewed_until is None:
            raise HandoverRefused("열람 일시: 시작과 끝을 적어 주십시오", "viewed_from")
        if handover.viewed_until <= handover.viewed_from:
            raise HandoverRefused("열람 일시: 끝이 시작보다 늦어야 합니다", "viewed_until")
        if handover.viewed_until > timezone.now():
            raise HandoverRefused("열람 일시: 아직 오지 않은 시각입니다", "viewed_until")
        _required(handover.viewing_place, "열람 장소", "viewing_place")
        _required(handover.viewers, "열람한 사람", "viewers")
        if handover.original:
            _check_original(case)
            return [_file_row(item, "") for item in footage_items(case)]
        return [_file_row(item, job.derivative_sha256) for item, job in masked_jobs(case)]
    raise HandoverRefused("제공 방법: 암호화 사본 제공 또는 현장 열람을 고르세요", "delivery")


def provide_footage(actor: Actor, case: ProvisionCase, handover: Handover) -> ProvisionCase:
    """The footage is handed over (package or viewing on site): the case becomes PROVIDED with the limits
    asked of the recipient and the destroy-by date; a signature drawn on screen signs the 인수증 at once."""
    if actor.user is None:
        raise HandoverRefused("로그인한 담당자만 제공을 기록할 수 있습니다")
    check_handover(case, handover)
    with transaction.atomic():
        locked = (
            ProvisionCase.objects.select_for_update().select_related("institution", "body").get(pk=case.pk)
        )
        files = check_handover(locked, handover)
        delivery = handover.package
        original = delivery.original if delivery is not None else handover.original
        if handover.delivery == ProvisionCase.Delivery.ON_SITE:
            delivery = ProvisionDelivery.objects.create(
                case=locked,
                kind=ProvisionDelivery.Kind.ON_SITE,
                original=handover.original,
                files=files,
                viewed_from=handover.viewed_from,
                viewed_until=handover.viewed_until,
                viewing_place=" ".join(handover.viewing_place.split()),
                viewers=handover.viewers.strip(),
                created_by=actor.user,
            )
        assert delivery is not None
        delivery.handed_over_at = timezone.now()
        delivery.save(update_fields=["handed_over_at"])
        locked.delivery = handover.delivery
        locked.receiver_department = " ".join(handover.receiver_department.split())
        locked.receiver_position = " ".join(handover.receiver_position.split())
        locked.receiver_name = " ".join(handover.receiver_name.split())
        locked.use_period = " ".join(handover.use_period.split())
        locked.use_method = " ".join(handover.use_method.split())
        locked.safety_measures = " ".join(handover.safety_measures.split())
        locked.state = ProvisionCase.State.PROVIDED
        locked.provided_at = timezone.now()
        locked.provided_by = actor.user
        # The duties after provision: the destroy-by date checked, the 30 days to publish set from the
        # ground (법 제18조④; none for items 1 and 7) — actions.provision_after.
        try:
            settle_duties(locked, handover.destroy_by)
        except DutyError as refused:
            raise HandoverRefused(str(refused), refused.field or "destroy_by") from None
        locked.save()
        record(
            actor,
            AuditEvent.DISCLOSURE_PROVIDE_FOOTAGE,
            locked,
            reason=f"제공 {locked.case_number} {locked.get_delivery_display()} ({locked.body.name})",
            details={
                "case_number": locked.case_number,
                "delivery_kind": locked.delivery,
                "delivery": delivery.pk,
                "original": original,
                "files": len(files),
                "sha256s": [row["sha256"] for row in files if row["sha256"]],
                "receiver": f"{locked.receiver_department} {locked.receiver_position} {locked.receiver_name}".strip(),
                "destroy_by": locked.destroy_by,
            },
        )
        if handover.signature is not None:
            _signed_on_screen(actor, locked, handover.signature)
    return locked


# -- the 인수증's signature ---------------------------------------------------------------------------------


def _check_signable(case: ProvisionCase) -> None:
    if case.state != ProvisionCase.State.PROVIDED:
        raise HandoverRefused(f"'{case.get_state_display()}' 상태입니다: 제공한 뒤에 인수증에 서명합니다")
    if case.receipt_signed_at is not None:
        raise HandoverRefused("인수증은 이미 서명되었습니다")


def _signed_on_screen(actor: Actor, case: ProvisionCase, png: bytes) -> None:
    from jikimi.disclosure.receipts import render_receipt  # the PDF reads the case as now signed

    case.receiver_signature = png
    case.receipt_signed_at = timezone.now()
    case.save(update_fields=["receiver_signature", "receipt_signed_at"])
    _pdf, sha256, _template = render_receipt(case)
    record(
        actor,
        AuditEvent.DISCLOSURE_SIGN_RECEIPT,
        case,
        reason=f"제공 {case.case_number} 영상정보 인수증 서명(화면 서명)",
        details={
            "case_number": case.case_number,
            "sign_method": "on_screen",
            "receiver": case.receiver_name,
            "signature_sha256": hashlib.sha256(png).hexdigest(),
            "receipt_sha256": sha256,
        },
    )


def sign_receipt_on_screen(actor: Actor, case: ProvisionCase, png: bytes) -> ProvisionCase:
    """The receiver signs the 인수증 on screen after the handover (a PNG drawn in the canvas)."""
    check_signature(png)
    with transaction.atomic():
        locked = (
            ProvisionCase.objects.select_for_update().select_related("institution", "body").get(pk=case.pk)
        )
        _check_signable(locked)
        _signed_on_screen(actor, locked, png)
    return locked


def sign_receipt_by_scan(actor: Actor, case: ProvisionCase, upload: Upload) -> ProvisionAttachment:
    """The 인수증 was printed, signed on paper and scanned: the scan (a PDF or an image, checked by its
    content) is kept with the case, encrypted."""
    if actor.user is None:
        raise HandoverRefused("로그인한 담당자만 인수증을 등록할 수 있습니다")
    _check_signable(case)
    try:
        checked = check_upload("scan", "서명한 인수증", ProvisionAttachment.Kind.RECEIPT_SCAN, upload)
    except AttachmentRefused as error:
        raise HandoverRefused(str(error), "scan") from None
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = ProvisionCase.objects.select_for_update().select_related("institution").get(pk=case.pk)
            _check_signable(locked)
            attachment = store_provision_attachment(locked, checked, actor.user)
            stored.append(attachment.object_name)
            locked.receipt_signed_at = timezone.now()
            locked.save(update_fields=["receipt_signed_at"])
            record(
                actor,
                AuditEvent.DISCLOSURE_SIGN_RECEIPT,
                locked,
                reason=f"제공 {locked.case_number} 영상정보 인수증 서명(종이 서명 스캔)",
                details={
                    "case_number": locked.case_number,
                    "sign_method": "scan",
                    "receiver": locked.receiver_name,
                    "attachment": attachment.pk,
                    "receipt_sha256": attachment.sha256,
                },
            )
    except BaseException:
        delete_objects(stored)
        raise
    return attachment
