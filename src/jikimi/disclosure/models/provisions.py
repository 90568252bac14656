"""Provision of footage to police, courts and other bodies (목적 외 이용·제3자 제공, 법 제18조; R29–R32,
R49; 오산시 지침 제32조·제35조, 별지 제2호·제3호서식; 군산시 제4조 요청 및 제공절차).

The chain of R49 is the case's state: 요청(received) → 검토(reviewed) → 승인(approved) or 거부(refused) →
제공(provided: masked package or on-site viewing, with the signed 인수증) → 파기 통보(closed: the
recipient's destruction report). Nothing leaves before approval; the approver is never the preparer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.rules.provision_grounds import GROUNDS


class RequestingBody(models.Model):
    """A body that asks for footage: 경찰서, 검찰청, 법원, another public body, or a private party."""

    class Kind(models.TextChoices):
        POLICE = "police", "경찰"
        PROSECUTION = "prosecution", "검찰"
        COURT = "court", "법원"
        PUBLIC_BODY = "public_body", "기타 공공기관"
        PRIVATE = "private", "민간(개인·법인)"

    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="requesting_bodies"
    )
    name = models.CharField("기관명", max_length=100)
    kind = models.CharField("기관 구분", max_length=20, choices=Kind.choices)
    address = models.CharField("주소", max_length=200, blank=True)
    phone = models.CharField("대표 전화", max_length=40, blank=True)
    active = models.BooleanField("사용", default=True)
    created_at = models.DateTimeField("등록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "제공 요청 기관"
        verbose_name_plural = "제공 요청 기관"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="disclosure_body_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)

    @property
    def is_public_body(self) -> bool:
        """법 제18조② 단서 (R29): items 5–10 are for 공공기관 only."""
        return self.kind != self.Kind.PRIVATE


class ExternalRequester(models.Model):
    """An investigating body's officer with an account (성동구·남해군 style online application): he sees
    and files only his own body's cases. His account holds Role.REQUESTING_OFFICER at the institution and
    logs in with the same protections as staff (second factor)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="external_requester"
    )
    body = models.ForeignKey(RequestingBody, on_delete=models.PROTECT, related_name="officers")
    department = models.CharField("소속 부서", max_length=100, blank=True)
    position = models.CharField("직급", max_length=60, blank=True)
    phone = models.CharField("연락처", max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("등록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "외부 기관 담당자"
        verbose_name_plural = "외부 기관 담당자"
        ordering = ["body", "pk"]

    def __str__(self) -> str:
        return f"{self.body.name} {self.user}"

    def audit_scope(self) -> Scope:
        return self.body.audit_scope()


class ProvisionCase(models.Model):
    """One request for footage by a body, from its official letter to the recipient's destruction report."""

    class Channel(models.TextChoices):
        ONLINE = "online", "온라인 신청"
        PAPER = "paper", "공문 접수(직원 입력)"

    class State(models.TextChoices):
        RECEIVED = "received", "요청 접수"
        REVIEWED = "reviewed", "검토 완료"
        APPROVED = "approved", "승인"
        REFUSED = "refused", "거부"
        PROVIDED = "provided", "제공 완료(파기 확인 대기)"
        CLOSED = "closed", "종결(파기 확인)"
        WITHDRAWN = "withdrawn", "취하"

    class Delivery(models.TextChoices):
        PACKAGE = "package", "암호화 사본 제공"
        ON_SITE = "on_site", "현장 열람"

    class ApprovalKind(models.TextChoices):
        # 오산시 지침 제32조②: the 총괄책임관; ③: the head of the control centre, urgent item-8 cases.
        PRIVACY_OFFICER = "privacy_officer", "총괄책임관 승인"
        URGENT_CONTROL_HEAD = "urgent_control_head", "통합관제센터장 긴급 승인"

    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="provision_cases"
    )
    # "2026-P0007": the year of receipt and a serial; the watermark of every copy given.
    case_number = models.CharField("사건번호", max_length=20)
    body = models.ForeignKey(RequestingBody, on_delete=models.PROTECT, related_name="cases")
    channel = models.CharField("접수 경로", max_length=10, choices=Channel.choices)
    state = models.CharField("진행 상태", max_length=12, choices=State.choices, default=State.RECEIVED)

    # 요청자 (the body's officer who asks): an account for online applications, else as the letter names.
    applicant = models.ForeignKey(
        ExternalRequester, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    requester_department = models.CharField("요청자 소속", max_length=100, blank=True)
    requester_position = models.CharField("요청자 직급", max_length=60, blank=True)
    requester_name = models.CharField("요청자 성명", max_length=60)
    requester_phone = models.CharField("요청자 연락처", max_length=40, blank=True)

    # The official letter (공문): number and date; the scan is a ProvisionAttachment of kind LETTER.
    letter_number = models.CharField("공문번호", max_length=100)
    letter_date = models.DateField("공문 일자")
    # R29: the ground is a required item of 법 제18조② (jikimi.rules.provision_grounds).
    legal_ground = models.CharField(
        "제공 근거(법 제18조제2항)",
        max_length=3,
        choices=[(g.item, f"제{g.item}호 {g.label}") for g in GROUNDS],
    )
    ground_detail = models.CharField("근거 법령·조문", max_length=200, blank=True)
    purpose = models.TextField("요청 목적")
    urgent = models.BooleanField("긴급(공익목적 신속 필요)", default=False)
    mask_third_parties = models.BooleanField("제3자 마스킹 필요", default=True)
    # R49: the original (unmasked) footage only where the ground and the approver say so, with why.
    original_requested = models.BooleanField("원본 요청", default=False)
    original_reason = models.TextField("원본이 필요한 사유", blank=True)

    received_at = models.DateTimeField("접수 시각")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # 검토 (the preparer): third parties in the footage, harm to others (R29: nothing that harms unfairly).
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prepared_at = models.DateTimeField("검토 시각", null=True, blank=True)
    third_parties = models.TextField("영상 속 제3자", blank=True)
    harm_assessment = models.TextField("정보주체·제3자 권익 침해 검토", blank=True)

    # 승인·거부 (the approver, never the preparer).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("결정 시각", null=True, blank=True)
    approval_kind = models.CharField("승인 구분", max_length=20, choices=ApprovalKind.choices, blank=True)
    decision_reason = models.TextField("결정 사유", blank=True)
    original_approved = models.BooleanField("원본 제공 승인", default=False)

    # 제공 (R32: the limits asked of the recipient are on the 인수증).
    delivery = models.CharField("제공 방법", max_length=10, choices=Delivery.choices, blank=True)
    use_period = models.CharField("이용 기간", max_length=100, blank=True)
    use_method = models.CharField("이용 방법·범위", max_length=200, blank=True)
    safety_measures = models.CharField("요구하는 안전성 확보 조치", max_length=300, blank=True)
    provided_at = models.DateTimeField("제공 일시", null=True, blank=True)
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # 인수증 (별지 제3호): generated PDF, then signed on screen or on paper and scanned (attachment kind
    # RECEIPT_SCAN); who received it.
    receipt_signed_at = models.DateTimeField("인수 확인 시각", null=True, blank=True)
    receiver_department = models.CharField("인수자 소속", max_length=100, blank=True)
    receiver_position = models.CharField("인수자 직급", max_length=60, blank=True)
    receiver_name = models.CharField("인수자 성명", max_length=60, blank=True)
    receiver_signature = models.BinaryField(
        "인수자 서명(화면 서명 PNG)", null=True, blank=True, editable=False
    )

    # 파기 통보 (군산시: "제공받은자는 제공목적 달성한 후 즉시 파기 및 통보"; 오산시 지침 제35조③).
    destroy_by = models.DateField("파기 기한", null=True, blank=True)
    destruction_reported_at = models.DateTimeField("파기 통보 시각", null=True, blank=True)
    destruction_method = models.CharField("파기 방법", max_length=200, blank=True)
    destruction_reminded_on = models.DateField("파기 기한 알림일", null=True, blank=True, editable=False)
    # The day the recipient destroyed the footage, as the report says (the report's own time is above).
    destroyed_on = models.DateField("파기 일자", null=True, blank=True)

    # 정보주체 통지 (오산시 지침 제35조②): done, or why not (cannot be identified or located).
    subject_notice = models.CharField(
        "정보주체 통지",
        max_length=20,
        blank=True,
        choices=[
            ("notified", "통지함"),
            ("unidentifiable", "정보주체를 알 수 없음"),
            ("unlocatable", "연락처를 알 수 없음"),
            ("not_required", "통지 대상 아님"),
        ],
    )
    subject_notice_at = models.DateTimeField("정보주체 통지 기록 시각", null=True, blank=True)
    subject_notice_detail = models.TextField("통지 내용·방법 또는 사유", blank=True)
    subject_notice_method = models.CharField("통지 방법", max_length=100, blank=True)
    subject_notified_on = models.DateField("통지 일자", null=True, blank=True)

    # 공개 (법 제18조④, R31): the last day, and when it went on the public page.
    publish_by = models.DateField("공개 기한", null=True, blank=True)
    published_at = models.DateTimeField("공개 시각", null=True, blank=True)
    publication_reminded_on = models.DateField("공개 기한 알림일", null=True, blank=True, editable=False)
    # What the public page says (R31): written by the officer at publication, without personal data —
    # the request's own purpose may name a suspect or a victim.
    published_purpose = models.CharField("공개하는 목적", max_length=300, blank=True)
    published_items = models.CharField("공개하는 항목", max_length=300, blank=True)

    closed_at = models.DateTimeField("종결 시각", null=True, blank=True)

    class Meta:
        verbose_name = "제3자 제공 요청"
        verbose_name_plural = "제3자 제공 요청"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "case_number"], name="disclosure_provision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"제공 {self.case_number}"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)

    @property
    def hold_reference(self) -> str:
        """The case reference of the legal holds on its footage; they end when the case closes."""
        return f"provision:{self.institution.slug}:{self.case_number}"

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.REFUSED, self.State.CLOSED, self.State.WITHDRAWN)


class ProvisionFootage(models.Model):
    """The footage a case asks for: a device over a window (UTC); a site expands to its devices."""

    case = models.ForeignKey(ProvisionCase, on_delete=models.PROTECT, related_name="footage")
    device = models.ForeignKey("inventory.Device", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField("시작 (UTC)")
    end = models.DateTimeField("끝 (UTC)")

    class Meta:
        verbose_name = "제공 대상 영상"
        verbose_name_plural = "제공 대상 영상"
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.device} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} (UTC)"

    def audit_scope(self) -> Scope:
        return self.device.audit_scope()


class ProvisionAttachment(models.Model):
    """A document of the case, checked by content and stored encrypted (jikimi.disclosure.attachments)."""

    class Kind(models.TextChoices):
        LETTER = "letter", "요청 공문"
        RECEIPT_SCAN = "receipt_scan", "서명한 인수증(스캔)"
        DESTRUCTION_REPORT = "destruction_report", "파기 확인서"
        NOTICE = "notice", "정보주체 통지문"
        OTHER = "other", "기타"

    case = models.ForeignKey(ProvisionCase, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("종류", max_length=20, choices=Kind.choices)
    original_name = models.CharField("원래 파일 이름", max_length=200)
    content_type = models.CharField("내용 형식", max_length=40)
    size = models.PositiveIntegerField("크기 (바이트)")
    sha256 = models.CharField("SHA-256", max_length=64)
    object_name = models.CharField("저장 이름", max_length=255, unique=True, editable=False)
    key_id = models.CharField("키 식별자", max_length=255, editable=False)
    wrapped_key = models.BinaryField("감싼 키", null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("등록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "제공 요청 첨부서류"
        verbose_name_plural = "제공 요청 첨부서류"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case.case_number})"

    def audit_scope(self) -> Scope:
        return self.case.audit_scope()
