"""A data subject's request on the 청구서 (시행령 제46조, 오산시 지침 별지 제4호서식, R20, R21), its
attachments and the identity check that must come before any decision (R21)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope


class SubjectRequest(models.Model):
    """One 청구서: who asks, about whom, for which footage (sites and window), and what they ask."""

    class Kind(models.TextChoices):
        # 법 제58조②: 처리정지 does not apply to 공개된 장소의 영상정보 (R20): exactly these four.
        EXISTENCE = "existence", "존재확인"
        VIEWING = "viewing", "열람"
        COPY = "copy", "사본 교부"
        DELETION = "deletion", "삭제"

    class Channel(models.TextChoices):
        ONLINE = "online", "온라인"
        COUNTER = "counter", "방문"
        POST = "post", "우편"
        FAX = "fax", "팩스"

    class State(models.TextChoices):
        RECEIVED = "received", "접수"
        IDENTITY_VERIFIED = "identity_verified", "본인 확인 완료"
        DECIDED = "decided", "결정 통지"
        CLOSED = "closed", "종결"
        WITHDRAWN = "withdrawn", "취하"

    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="subject_requests"
    )
    # Shown to the requester and on every letter: "2026-00012" (year of receipt, then a serial).
    receipt_number = models.CharField("접수번호", max_length=20)
    # The private status link's token is given once to the requester; only its SHA-256 is kept.
    status_token_hash = models.CharField("상태 확인 토큰 해시", max_length=64, unique=True, editable=False)
    kind = models.CharField("청구 내용", max_length=12, choices=Kind.choices)
    channel = models.CharField("접수 경로", max_length=10, choices=Channel.choices)
    state = models.CharField("진행 상태", max_length=20, choices=State.choices, default=State.RECEIVED)

    # 청구인
    requester_name = models.CharField("청구인 성명", max_length=60)
    requester_birth_date = models.DateField("청구인 생년월일", null=True, blank=True)
    requester_phone = models.CharField("청구인 전화번호", max_length=40, blank=True)
    requester_email = models.EmailField("청구인 전자우편", blank=True)
    requester_address = models.CharField("청구인 주소", max_length=200, blank=True)
    # 정보주체: the requester himself, or another person for whom he acts (위임장, 법정대리인).
    subject_is_requester = models.BooleanField("본인 청구", default=True)
    subject_name = models.CharField("정보주체 성명", max_length=60, blank=True)
    relationship = models.CharField("정보주체와의 관계", max_length=60, blank=True)

    # 청구 대상: the window (UTC) and the sites, chosen on the institution's list or typed.
    period_start = models.DateTimeField("기록기간 시작 (UTC)")
    period_end = models.DateTimeField("기록기간 끝 (UTC)")
    locations = models.ManyToManyField(
        "inventory.Location", blank=True, related_name="subject_requests", verbose_name="설치장소"
    )
    place_text = models.CharField("설치장소 (직접 입력)", max_length=300, blank=True)
    purpose = models.TextField("청구 목적 및 사유")

    received_at = models.DateTimeField("접수 시각")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_address = models.CharField("접수 접속지", max_length=100, blank=True)
    # 법 제35조③, 제36조: 10 days (jikimi.rules.request_deadlines), later if postponed with reasons.
    due_on = models.DateField("처리 기한")
    closed_at = models.DateTimeField("종결 시각", null=True, blank=True)
    # 법 제35조③ 단서, 시행령 제41조⑤ (R22): a postponement keeps the first due date and its reason.
    postponed_from = models.DateField("연장 전 처리 기한", null=True, blank=True)
    postponement_reason = models.TextField("연장 사유", blank=True)
    # The daily reminder and escalation mail each request once a day at most (actions.reminders).
    reminded_on = models.DateField("기한 임박 알림일", null=True, blank=True, editable=False)
    escalated_on = models.DateField("기한 경과 보고일", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "열람 등 청구"
        verbose_name_plural = "열람 등 청구"
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "receipt_number"], name="disclosure_request_receipt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"청구 {self.receipt_number}"

    def audit_scope(self) -> Scope:
        """A request belongs to its institution: it may name sites of several departments, or none."""
        return Scope(self.institution_id)

    @property
    def hold_reference(self) -> str:
        """The case reference of the legal holds placed at intake; they end with the request."""
        return f"disclosure:{self.institution.slug}:{self.receipt_number}"

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.CLOSED, self.State.WITHDRAWN)


class RequestAttachment(models.Model):
    """A document sent with the request (군산시: 신분증, 위임장, 사고 현장 약도, 사고 당시 사진).

    Checked by content (images and PDF only) and stored encrypted like footage; never served to the
    public, shown to staff only through an audited view.
    """

    class Kind(models.TextChoices):
        ID_CARD = "id_card", "신분증 사본"
        PROXY_LETTER = "proxy_letter", "위임장"
        SKETCH = "sketch", "사고 현장 약도"
        PHOTO = "photo", "사고 당시 사진"
        OTHER = "other", "기타"

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("종류", max_length=20, choices=Kind.choices)
    original_name = models.CharField("원래 파일 이름", max_length=200)
    content_type = models.CharField("내용 형식", max_length=40)
    size = models.PositiveIntegerField("크기 (바이트)")
    sha256 = models.CharField("SHA-256", max_length=64)
    object_name = models.CharField("저장 이름", max_length=255, unique=True, editable=False)
    key_id = models.CharField("키 식별자", max_length=255, editable=False)
    wrapped_key = models.BinaryField("감싼 키", null=True, blank=True, editable=False)
    uploaded_at = models.DateTimeField("등록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "청구 첨부서류"
        verbose_name_plural = "청구 첨부서류"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.request.receipt_number})"

    def audit_scope(self) -> Scope:
        return self.request.audit_scope()


class IdentityCheck(models.Model):
    """시행령 제46조, 법 제38조① (R21): who checked whose identity, with which document, how.

    Nothing is decided on a request before its identity check.
    """

    class Method(models.TextChoices):
        ID_CARD = "id_card", "신분증 대조"
        PROXY_LETTER = "proxy_letter", "위임장 및 대리인 신분증 확인"
        SHARED_ADMIN_INFO = "shared_admin_info", "행정정보 공동이용"

    request = models.OneToOneField(SubjectRequest, on_delete=models.PROTECT, related_name="identity_check")
    method = models.CharField("확인 방법", max_length=20, choices=Method.choices)
    document = models.CharField("확인한 서류", max_length=200, help_text="예: 주민등록증, 운전면허증")
    notes = models.TextField("비고", blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("확인 시각")

    class Meta:
        verbose_name = "본인 확인"
        verbose_name_plural = "본인 확인"

    def __str__(self) -> str:
        return f"본인 확인 ({self.request.receipt_number})"

    def audit_scope(self) -> Scope:
        return self.request.audit_scope()


class PlaceResolution(models.Model):
    """An officer's reading of a typed 설치장소: which of the institution's sites it means.

    A 청구서 may name its place in words instead of choosing it on the list (issue 13); such a request
    holds no footage and finds none until someone who knows the sites says which they are. The typed
    text is kept as it stood; the chosen sites are added to the request, and the legal hold is placed on
    their footage then (R18), as intake does for a chosen site (actions.places).
    """

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="place_resolutions")
    place_text = models.CharField("설치장소 (직접 입력)", max_length=300)
    locations = models.ManyToManyField("inventory.Location", related_name="+", verbose_name="지정한 설치장소")
    note = models.CharField("지정 근거", max_length=300, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_by_label = models.CharField("지정한 사람", max_length=200)
    resolved_at = models.DateTimeField("지정 시각")
    holds = models.PositiveIntegerField("분리 보관 수", default=0)

    class Meta:
        verbose_name = "설치장소 지정"
        verbose_name_plural = "설치장소 지정"
        ordering = ["request", "resolved_at", "pk"]

    def __str__(self) -> str:
        return f"설치장소 지정 ({self.request.receipt_number}: {self.place_text})"

    def audit_scope(self) -> Scope:
        return self.request.audit_scope()
