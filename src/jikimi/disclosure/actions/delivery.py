"""Delivering an approved masked copy to the requester (R25, R42): an AES-256 archive downloaded
through the status link, or an online viewing there; both expire, and every download and viewing is
audited.

The archive is built by a worker (actions.package_jobs: queued, leased, recovered; issue 18); its password
is shown once to the officer who asked for it and kept nowhere in clear; the mail to the requester says
the copy is ready and how the password will reach them, never the password itself.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.anchoring import signing_key
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.masked_files import SealedFile, reader, seal_file
from jikimi.disclosure.masking_tasks import build_spec
from jikimi.disclosure.models import CopyDelivery, MaskingJob, SubjectRequest
from jikimi.disclosure.notify import notify_requester
from jikimi.disclosure.packaging import build_copy_archive
from jikimi.engine.footage import EnvelopeReader
from jikimi.engine.masking.package import PackageInfo
from jikimi.lib.intervals import format_interval
from jikimi.vault.export import export_window


class DeliveryRefused(ValueError):
    """A copy that cannot be delivered (or fetched) as asked; the message (Korean) says why."""


def link_lifetime() -> timedelta:
    """How long a download link or an online viewing stays open (settings.DISCLOSURE_COPY_LINK_DAYS)."""
    return timedelta(days=settings.DISCLOSURE_COPY_LINK_DAYS)


def _approved(job: MaskingJob) -> None:
    if job.request_id is None:
        # A provision's package holds all its clips: made on its handover page (actions.provision_delivery).
        raise DeliveryRefused("제3자 제공 영상은 제공 요청의 제공 화면에서 제공 파일을 만듭니다")
    if job.state != MaskingJob.State.APPROVED:
        raise DeliveryRefused("공개 승인된 마스킹본만 제공할 수 있습니다")
    if not job.releasable:
        raise DeliveryRefused("마스킹본이 없거나 원본과 같아 제공할 수 없습니다 (R25)")


Beat = Callable[[int], None]  # a build's progress (percent): renews the worker's lease (job_leases.Heartbeat)


def _decrypt_to(job: MaskingJob, path: Path, beat: Beat | None = None) -> None:
    opened = reader(job.derivative_object, job.derivative_key_id, job.derivative_wrapped_key)
    with path.open("wb") as out:
        for chunk in opened.iter_range():
            out.write(chunk)
            if beat is not None:
                beat(-1)  # a sign of life, no new percentage


def seal_copy(actor: Actor, job: MaskingJob, *, password: str, beat: Beat) -> tuple[SealedFile, str]:
    """The worker's part of a copy (actions.package_jobs): the encrypted archive of an approved job,
    sealed into the store; its name for the requester."""
    request = job.subject_request
    with tempfile.TemporaryDirectory(prefix="jikimi-copy-") as directory:
        tmp = Path(directory)
        clip = tmp / "masked.mp4"
        _decrypt_to(job, clip, beat)
        beat(30)
        # The package names the original by its hash (engine: "sources"); the original is exported
        # again for it (audited), and must be the footage the masks were made from.
        original = export_window(
            actor,
            job.device,
            job.start,
            job.end,
            tmp / "original" / "original.mp4",
            reason=f"열람 등 청구 {request.receipt_number} 사본 봉인(원본 해시 확인)",
            case_reference=request.receipt_number,
            progress=partial(beat, -1),  # an hour's export outlasts a lease: renewed as it goes
        )
        beat(60)
        if original.sha256 != job.original_sha256:
            raise DeliveryRefused("보관 영상이 마스킹할 때와 달라졌습니다. 마스킹을 다시 하세요")
        archive = build_copy_archive(
            tmp / "package",
            clip=clip,
            original=original.path,
            info=PackageInfo(
                case=request.receipt_number,
                preparer=str(job.reviewed_by or job.created_by),
                approver=str(job.approved_by),
                recipient=request.requester_name,
                purpose="개인정보 보호법 제35조 열람 등 청구에 따른 사본 제공",
                devices=[str(job.device)],
                time_ranges=[format_interval(job.start, job.end)],
            ),
            key=signing_key(),
            # Issue 15: the manifest states the mode and the full mask spec the copy was rendered with.
            spec=build_spec(job),
            institution=request.institution.name,
            password=password,
        )
        beat(90)
        return seal_file(archive.path, f"copy-{job.pk}"), archive.file_name


def _check_no_open_archive(job: MaskingJob) -> None:
    """One copy of a job's footage goes out at a time (issue 18: never delivered twice; R42): a new
    archive only once the previous one's link has expired."""
    current = (
        CopyDelivery.objects.filter(
            job=job,
            kind=CopyDelivery.Kind.ARCHIVE,
            expires_at__gt=timezone.now(),
            withdrawn_at__isnull=True,  # a withdrawn copy is out no more (actions.package_jobs)
        )
        .order_by("-expires_at")
        .first()
    )
    if current is not None:
        until = timezone.localtime(current.expires_at).strftime("%Y-%m-%d %H:%M")
        raise DeliveryRefused(
            f"이 마스킹본의 사본 파일이 이미 만들어져 {until}까지 내려받을 수 있습니다. "
            "한 작업의 사본을 두 번 만들지 않습니다"
        )


def check_copy(actor: Actor, job: MaskingJob) -> None:
    """May an encrypted archive of `job` be made now (before any work, and again when it is recorded)."""
    _approved(job)
    if job.subject_request.kind != SubjectRequest.Kind.COPY:
        raise DeliveryRefused("사본 교부 청구에만 사본 파일을 만듭니다. 열람 청구는 온라인 열람을 여세요")
    if actor.user is None:
        raise DeliveryRefused("로그인한 담당자만 사본을 만들 수 있습니다")
    _check_no_open_archive(job)


def record_copy(actor: Actor, job: MaskingJob, sealed: SealedFile, file_name: str) -> CopyDelivery:
    """Inside the transaction that ends the build (the job's row locked): the archive's download link
    for the requester, audited, and the mail saying it is ready."""
    check_copy(actor, job)
    assert actor.user is not None
    delivery = CopyDelivery.objects.create(
        job=job,
        kind=CopyDelivery.Kind.ARCHIVE,
        object_name=sealed.object_name,
        key_id=sealed.key_id,
        wrapped_key=sealed.wrapped_key,
        file_name=file_name,
        sha256=sealed.sha256,
        size=sealed.size,
        created_by=actor.user,
        expires_at=timezone.now() + link_lifetime(),
    )
    _prepared(actor, delivery)
    return delivery


def open_online_viewing(actor: Actor, job: MaskingJob) -> CopyDelivery:
    """Let the requester watch the approved, watermarked copy through the status link for a while."""
    _approved(job)
    if job.subject_request.kind not in (SubjectRequest.Kind.VIEWING, SubjectRequest.Kind.COPY):
        raise DeliveryRefused("열람·사본 청구에만 온라인 열람을 엽니다")
    if actor.user is None:
        raise DeliveryRefused("로그인한 담당자만 온라인 열람을 열 수 있습니다")
    with transaction.atomic():
        delivery = CopyDelivery.objects.create(
            job=job,
            kind=CopyDelivery.Kind.ONLINE,
            sha256=job.derivative_sha256,
            size=job.derivative_size,
            created_by=actor.user,
            expires_at=timezone.now() + link_lifetime(),
        )
        _prepared(actor, delivery)
    return delivery


def _prepared(actor: Actor, delivery: CopyDelivery) -> None:
    request = delivery.job.subject_request
    record(
        actor,
        AuditEvent.DISCLOSURE_PREPARE_COPY,
        request,
        reason=f"청구 {request.receipt_number} {delivery.get_kind_display()} 제공",
        details={
            "delivery": delivery.pk,
            "job": delivery.job_id,
            "kind": delivery.kind,
            "sha256": delivery.sha256,
            "expires_at": delivery.expires_at,
        },
    )
    until = timezone.localtime(delivery.expires_at).strftime("%Y-%m-%d %H:%M")
    if delivery.kind == CopyDelivery.Kind.ARCHIVE:
        body = (
            f"{request.requester_name}님, 청구하신 영상의 사본(다른 사람은 가린 영상)이 준비되었습니다.\n"
            f"접수 때 받으신 청구 상태 확인 링크에서 {until}까지 내려받을 수 있습니다.\n"
            "파일은 암호로 잠겨 있습니다. 암호는 이 메일로 보내지 않으며, 담당자가 전화 또는 방문 시 "
            "따로 알려 드립니다. 7-Zip, 반디집 등 압축 프로그램에서 암호를 넣어 여세요."
        )
        subject = "영상 사본이 준비되었습니다"
    else:
        body = (
            f"{request.requester_name}님, 청구하신 영상(다른 사람은 가린 영상)을 온라인으로 열람할 수 있습니다.\n"
            f"접수 때 받으신 청구 상태 확인 링크에서 {until}까지 볼 수 있습니다."
        )
        subject = "영상 온라인 열람이 열렸습니다"
    notify_requester(request, subject=subject, body=body)


def _open_delivery(delivery: CopyDelivery, kind: str) -> None:
    if delivery.kind != kind:
        raise DeliveryRefused("제공 방법이 다릅니다")
    if delivery.withdrawn_at is not None:
        raise DeliveryRefused(
            f"이 사본 파일은 {timezone.localtime(delivery.withdrawn_at):%Y-%m-%d %H:%M}에 담당자가 회수해 "
            "더 이상 내려받을 수 없습니다. 담당 부서에 문의하세요"
        )
    if delivery.expires_at <= timezone.now():
        raise DeliveryRefused(
            f"제공 기한({timezone.localtime(delivery.expires_at):%Y-%m-%d %H:%M})이 지났습니다. 담당 부서에 문의하세요"
        )


def download_copy(actor: Actor, delivery: CopyDelivery) -> EnvelopeReader:
    """The archive for the requester's download: audited per download, refused once expired."""
    _open_delivery(delivery, CopyDelivery.Kind.ARCHIVE)
    opened = reader(delivery.object_name, delivery.key_id, delivery.wrapped_key)
    request = delivery.job.subject_request
    with transaction.atomic():
        CopyDelivery.objects.filter(pk=delivery.pk).update(uses=F("uses") + 1)
        record(
            actor,
            AuditEvent.DISCLOSURE_DOWNLOAD_COPY,
            request,
            reason=f"청구 {request.receipt_number} 청구인 사본 내려받기",
            details={
                "delivery": delivery.pk,
                "job": delivery.job_id,
                "sha256": delivery.sha256,
                "size": delivery.size,
            },
        )
    return opened


def view_online(actor: Actor, delivery: CopyDelivery) -> None:
    """The requester opens the online viewing: audited per opening, refused once expired."""
    _open_delivery(delivery, CopyDelivery.Kind.ONLINE)
    request = delivery.job.subject_request
    with transaction.atomic():
        CopyDelivery.objects.filter(pk=delivery.pk).update(uses=F("uses") + 1)
        record(
            actor,
            AuditEvent.DISCLOSURE_VIEW_ONLINE,
            request,
            reason=f"청구 {request.receipt_number} 청구인 온라인 열람",
            details={"delivery": delivery.pk, "job": delivery.job_id, "sha256": delivery.sha256},
        )


def online_video(delivery: CopyDelivery) -> EnvelopeReader:
    """The masked derivative for an open online viewing (the opening was audited by view_online)."""
    _open_delivery(delivery, CopyDelivery.Kind.ONLINE)
    job = delivery.job
    return reader(job.derivative_object, job.derivative_key_id, job.derivative_wrapped_key)
