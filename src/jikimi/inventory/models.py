"""The legal register (영상정보처리기기 설치·운영 현황) of an institution.

Everything the published policies say about an institution's video devices has a home here, so
that the policy, the signs and the 별지 forms can be generated from it and the vault can enforce it.
The register file format (registers/*.yaml) mirrors these models: a YAML key is a field name.
Validation that the law decides lives in `jikimi.rules.register_checks`; `jikimi.inventory.checks` applies it.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.lib import credentials
from jikimi.rules.purposes import MOBILE_TYPE_LABELS, MobileType
from jikimi.rules.retention import STANDARD_DESTRUCTION_GRACE_DAYS

# A location whose device count the published register does not give (Location.count is null).
COUNT_NOT_PUBLISHED = "대수 미공개"


class Institution(models.Model):
    """A public body that operates video devices (군산시, 인천광역시, …)."""

    name = models.CharField("기관명", max_length=100, unique=True)
    slug = models.SlugField(
        "식별자", max_length=60, unique=True, help_text="URL에 쓰는 영문 식별자 (예: gunsan)"
    )
    scope_statement = models.CharField(
        "적용 범위", max_length=200, blank=True, help_text="예: 본청 및 소속기관을 포함하며"
    )
    address = models.CharField("주소", max_length=200, blank=True)
    phone = models.CharField("대표전화", max_length=40, blank=True)
    website = models.URLField("홈페이지", blank=True)
    head_title = models.CharField("기관장 직함", max_length=60, blank=True, help_text="서식의 '○○시장 귀하'")
    source = models.TextField("출처", blank=True, help_text="이 대장의 근거가 된 공개 문서")
    notes = models.TextField("비고", blank=True)
    # R17: expired footage is destroyed within this many days (표준지침: 5). The policy states it and
    # the retention sweep's deadline counts it (jikimi.rules.retention.destruction_deadline).
    destruction_grace_days = models.PositiveSmallIntegerField(
        "파기 기한 (만료 후 일수)",
        default=STANDARD_DESTRUCTION_GRACE_DAYS,
        validators=[MaxValueValidator(30)],
        help_text="보관기간 만료 후 며칠 안에 파기하는지 (표준지침: 5일)",
    )

    class Meta:
        verbose_name = "기관"
        verbose_name_plural = "기관"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return Scope(self.pk)


class Department(models.Model):
    """A department (부서) or affiliated body (소속기관, 동 주민센터) of the institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="departments")
    # Identity across imports: accounts, grants and groups point at the department, so a renamed
    # department (조직 개편) is updated in place. The file's references use the name, as people write.
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 부서의 변하지 않는 이름")
    name = models.CharField("부서명", max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    phone = models.CharField("전화번호", max_length=40, blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "부서"
        verbose_name_plural = "부서"
        ordering = ["institution", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="unique_department_name"),
            models.UniqueConstraint(fields=["institution", "key"], name="unique_department_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return Scope(self.institution_id, self.pk)


class Officer(models.Model):
    """A person named in the register: 관리책임자, 관리담당자, 접근권한자, 개인정보 보호책임자."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="officers")
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 사람을 가리키는 이름")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )
    name = models.CharField("성명", max_length=60, blank=True, help_text="공개 문서가 직위만 밝히면 비워 둠")
    position = models.CharField("직위", max_length=60, blank=True)
    grade = models.CharField("직급", max_length=40, blank=True)
    team = models.CharField("팀", max_length=60, blank=True)
    phone = models.CharField("전화번호", max_length=40, blank=True)
    email = models.EmailField("이메일", blank=True)
    position_order = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "담당자"
        verbose_name_plural = "담당자"
        ordering = ["institution", "position_order", "key"]
        constraints = [models.UniqueConstraint(fields=["institution", "key"], name="unique_officer_key")]

    def __str__(self) -> str:
        return " ".join(part for part in (self.position, self.name) if part) or self.key


class Contractor(models.Model):
    """위탁 (outsourcing) of installation, maintenance or monitoring. 시행령 제26조 (R33, R34)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="contractors")
    key = models.SlugField("식별자", max_length=60)
    task = models.CharField("위탁업무", max_length=200)
    company = models.CharField("수탁자", max_length=100)
    contact = models.CharField("연락처", max_length=60, blank=True)
    period_start = models.DateField("위탁기간 시작", null=True, blank=True)
    period_end = models.DateField("위탁기간 끝", null=True, blank=True)
    supervising_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_contracts",
        verbose_name="감독부서",
    )
    # 시행령 제26조①: the five items the written contract must contain (R33).
    clause_purpose_scope = models.BooleanField("위탁업무의 목적 및 범위", default=False)
    clause_subcontract_limit = models.BooleanField("재위탁 제한", default=False)
    clause_access_safety = models.BooleanField("접근 제한 등 안전성 확보조치", default=False)
    clause_inspection = models.BooleanField("관리현황 점검", default=False)
    clause_liability = models.BooleanField("손해배상 등 책임", default=False)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "위탁"
        verbose_name_plural = "위탁"
        ordering = ["institution", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["institution", "key"], name="unique_contractor_key")]

    def __str__(self) -> str:
        return f"{self.company} ({self.task})"


class DeviceGroup(models.Model):
    """One row of the 설치·운영 현황 table: devices sharing purpose, department and management."""

    class Kind(models.TextChoices):
        FIXED = "fixed", "고정형"
        MOBILE = "mobile", "이동형"

    # 영 제3조② (R43). Stored as the codes of the register file (wearable, handheld, mounted).
    MOBILE_TYPE_CHOICES = [(t.value, MOBILE_TYPE_LABELS[t]) for t in MobileType]

    class Status(models.TextChoices):
        PLANNED = "planned", "설치 예정"
        OPERATING = "operating", "운영"
        RETIRED = "retired", "철거"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="device_groups")
    key = models.SlugField("식별자", max_length=80)
    name = models.CharField("이름", max_length=200, help_text="예: 버스전용차로 단속 CCTV")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="device_groups", verbose_name="관리부서"
    )
    kind = models.CharField("구분", max_length=10, choices=Kind.choices, default=Kind.FIXED)
    mobile_type = models.CharField("이동형 유형", max_length=12, choices=MOBILE_TYPE_CHOICES, blank=True)
    status = models.CharField("상태", max_length=12, choices=Status.choices, default=Status.OPERATING)
    # R1: codes of jikimi.rules.purposes.FixedPurpose (fixed) or MobilePurpose (mobile).
    legal_bases = models.JSONField("설치 근거", default=list)
    purpose = models.CharField(
        "설치 목적", max_length=200, help_text="공개 문서가 쓰는 말 (예: 범죄예방, 쓰레기 무단투기 방지)"
    )
    enabling_law = models.CharField(
        "근거 법령", max_length=200, blank=True, help_text="'법령에서 허용' 근거일 때 그 법령"
    )
    classification_primary = models.CharField(
        "1차 분류", max_length=40, blank=True, help_text="오산시 지침 별표1"
    )
    classification_secondary = models.CharField("2차 분류", max_length=60, blank=True)
    count = models.PositiveIntegerField("설치 대수")
    site = models.CharField("설치 위치", max_length=200, help_text="예: 금천구 관내 434개소, 시청 본관")
    site_count = models.PositiveIntegerField("설치 개소", null=True, blank=True)
    coverage = models.CharField("촬영 범위", max_length=200, blank=True)
    # Blank is allowed so that the law's checks (jikimi.rules.register_checks, R4/R16) say what is missing.
    recording_hours = models.CharField(
        "촬영 시간", max_length=200, blank=True, help_text="예: 24시간, 평일 07:00~09:00, 17:00~20:00"
    )
    notice_method = models.CharField("촬영사실 고지 방법", max_length=200, blank=True, default="안내판")
    retention = models.CharField(
        "보관 기간", max_length=60, blank=True, help_text="예: 30일, 3개월, 10일 ~ 60일, 준영구, 미보유"
    )
    retention_reason = models.TextField("30일 초과 보관 사유", blank=True)
    storage_place = models.CharField("보관 장소", max_length=200)
    processing_method = models.TextField("처리 방법", blank=True)
    monitoring_method = models.CharField("관제 방법", max_length=200, blank=True)
    monitoring_place = models.CharField("관제 장소", max_length=200, blank=True)
    managers = models.ManyToManyField(
        Officer, related_name="managed_groups", blank=True, verbose_name="관리책임자"
    )
    staff = models.ManyToManyField(
        Officer, related_name="staffed_groups", blank=True, verbose_name="관리담당자·접근권한자"
    )
    contractors = models.ManyToManyField(
        Contractor, related_name="device_groups", blank=True, verbose_name="수탁자"
    )
    locations_complete = models.BooleanField(
        "위치 목록 완비", default=False, help_text="목록의 대수 합이 설치 대수와 같아야 함"
    )
    attachment = models.CharField(
        "별첨", max_length=200, blank=True, help_text="공개 문서가 참조하지만 싣지 않은 별첨"
    )
    notes = models.TextField("비고", blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "설치·운영 현황"
        verbose_name_plural = "설치·운영 현황"
        ordering = ["institution", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["institution", "key"], name="unique_device_group_key")]

    def __str__(self) -> str:
        return f"{self.name} ({self.count}대)"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return Scope(self.institution_id, self.department_id, self.pk)


class Location(models.Model):
    """A named place of a device group (e.g. one of 인천's 23 bus-lane cameras)."""

    class SpaceType(models.TextChoices):
        GENERAL = "general", "일반"
        BATHROOM = "bathroom", "목욕실"
        TOILET = "toilet", "화장실"
        SWEATING_ROOM = "sweating_room", "발한실"
        CHANGING_ROOM = "changing_room", "탈의실"

    device_group = models.ForeignKey(DeviceGroup, on_delete=models.CASCADE, related_name="locations")
    # The location's identity across imports: a re-import updates the location of the same key in place,
    # so a renamed location keeps its devices and they keep its terms (법 제21조①, R16).
    key = models.SlugField(
        "식별자", max_length=60, help_text="대장 파일 안에서 이 위치를 가리키는 이름 (묶음 안에서 하나)"
    )
    name = models.CharField("위치", max_length=200)
    # Null: the published register names the place but not how many of the group's devices are there
    # (금천구 "구청사내외, 승강기 107대"); a number would be a guess (R6).
    count = models.PositiveIntegerField(
        "대수", default=1, null=True, blank=True, help_text="비우면 공개 문서에 이 위치의 대수가 없음(미공개)"
    )
    coverage = models.CharField("촬영 범위", max_length=200, blank=True)
    building = models.CharField(
        "건물",
        max_length=100,
        blank=True,
        help_text="같은 건물의 기기는 출입구 안내판 하나로 안내 가능 (R10)",
    )
    # R2: 법 제25조② forbids devices that look into these spaces.
    space_type = models.CharField(
        "공간 유형", max_length=20, choices=SpaceType.choices, default=SpaceType.GENERAL
    )
    # Where one location differs from its group (금천구: "청사 내외 45일, 승강기 14일"); empty = the group's.
    retention = models.CharField("보관 기간", max_length=60, blank=True, help_text="비우면 묶음의 보관 기간")
    recording_hours = models.CharField(
        "촬영 시간", max_length=200, blank=True, help_text="비우면 묶음의 촬영 시간"
    )
    storage_place = models.CharField(
        "보관 장소", max_length=200, blank=True, help_text="비우면 묶음의 보관 장소"
    )
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "설치 위치"
        verbose_name_plural = "설치 위치"
        ordering = ["device_group", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["device_group", "key"], name="unique_location_key")]

    def __str__(self) -> str:
        if self.count is None:
            return f"{self.name}({COUNT_NOT_PUBLISHED})"
        return self.name if self.count == 1 else f"{self.name}({self.count}대)"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device_group.audit_scope()


class Device(models.Model):
    """One camera (or a file-only source) of a device group of the register, at one of its locations.

    Devices live in the register beside their group and location (DESIGN: "a device belongs to a group
    and a location"); the vault indexes their footage. The table keeps its first name (vault_device):
    the model moved here from the vault without copying a row.
    """

    class Status(models.TextChoices):
        FILE_ONLY = "file_only", "파일 등록 전용"
        IDLE = "idle", "대기"
        RECORDING = "recording", "녹화 중"
        RECONNECTING = "reconnecting", "재연결 중"
        FAILED = "failed", "장애"

    device_group = models.ForeignKey(
        "DeviceGroup", on_delete=models.PROTECT, related_name="devices", verbose_name="기기 묶음"
    )
    name = models.CharField("기기명", max_length=100)
    # Empty only where the group lists no locations (a group described by its site alone, e.g. 금천구
    # 관내 434개소); otherwise the device is at one of its group's locations, whose retention and
    # recording hours override the group's (jikimi.vault.terms). Set by jikimi.vault.actions.devices,
    # which refuses a location of another group.
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name="설치 위치",
    )
    # The URL without its credentials; they are kept sealed in source_credentials and shown to nobody
    # (안전성 확보조치 기준 제7조, R36/R42; jikimi.lib.credentials). Set both through `set_source`.
    source_url = models.CharField(
        "영상 주소", max_length=500, blank=True, help_text="RTSP/HTTP 주소. 비우면 파일 등록 전용"
    )
    source_credentials = models.TextField("영상 주소 인증정보 (암호화)", blank=True, editable=False)
    enabled = models.BooleanField("사용", default=True)
    status = models.CharField("상태", max_length=20, choices=Status.choices, default=Status.IDLE)
    status_changed_at = models.DateTimeField("상태 변경 시각", null=True, blank=True)
    # R13: a source that carried audio (dropped at ingest) raises this warning until someone clears it.
    health_warning = models.TextField("상태 경고", blank=True)
    health_warning_at = models.DateTimeField("경고 시각", null=True, blank=True)
    created_at = models.DateTimeField("등록 시각", auto_now_add=True)

    class Meta:
        db_table = "vault_device"
        verbose_name = "기기"
        verbose_name_plural = "기기"
        ordering = ["device_group", "name"]
        constraints = [models.UniqueConstraint(fields=["device_group", "name"], name="unique_device_name")]

    def __str__(self) -> str:
        return f"{self.device_group.name} / {self.name}"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): its device group's department and institution."""
        return self.device_group.audit_scope()

    @property
    def storage_name(self) -> str:
        """How objects and key ids name this device: stable, ASCII, never reused (the primary key)."""
        return f"dev-{self.pk}"

    @property
    def file_only(self) -> bool:
        return not self.source_url

    def set_source(self, url: str) -> None:
        """Keep `url` with its credentials (rtsp://user:password@…) sealed apart; the caller saves."""
        bare, userinfo = credentials.split_credentials(url)
        self.source_url = bare
        self.source_credentials = credentials.seal(userinfo, purpose=CREDENTIALS_PURPOSE)

    def connect_url(self) -> str:
        """The URL the recorder connects to, credentials included. Nothing may show or log it."""
        userinfo = credentials.unseal(self.source_credentials, purpose=CREDENTIALS_PURPOSE)
        return credentials.with_credentials(self.source_url, userinfo)

    @property
    def shown_source_url(self) -> str:
        """The URL as pages, the API and the admin show it: credentials, if any, as ***."""
        if not self.source_credentials:
            return self.source_url
        return credentials.with_credentials(self.source_url, credentials.MASK)


# What the associated data of a device's sealed credentials names (jikimi.lib.credentials).
CREDENTIALS_PURPOSE = "inventory.Device.source_credentials"


class DeclaredTotal(models.Model):
    """A total the policy states (e.g. 광양시 고정형 2,417대); the groups it covers must add up to it (R6)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="declared_totals")
    # Identity across imports, so that a re-import updates the statement in place (and its history).
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 합계를 가리키는 이름")
    label = models.CharField("구분", max_length=200)
    count = models.PositiveIntegerField("대수")
    kind = models.CharField("고정형/이동형", max_length=10, choices=DeviceGroup.Kind.choices, blank=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)
    site = models.CharField("설치 위치", max_length=200, blank=True)
    legal_basis = models.CharField("설치 근거", max_length=40, blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "공표 합계"
        verbose_name_plural = "공표 합계"
        ordering = ["institution", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "key"], name="unique_declared_total_key")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.count}대"


class PolicyDocument(models.Model):
    """How this institution's 운영·관리방침 is written: its title, preamble, articles and dates.

    `sections` is the ordered list of the seed document's own sections. Each is either
    {"title": …, "generated": KEY} — its body is generated from the register (KEY one of
    `GENERATED_SECTIONS`) — or {"title": …, "body": "free text"} for text the institution wrote.
    """

    GENERATED_SECTIONS: dict[str, str] = {
        "labelling": "주요 개인정보 처리 표시(라벨링)",
        "fixed_purposes": "고정형 영상정보처리기기의 설치 근거 및 설치 목적 (법 제25조①)",
        "mobile_purposes": "이동형 영상정보처리기기의 설치 근거 및 설치 목적 (법 제25조의2①)",
        "counts_summary": "설치 대수, 설치 위치 및 촬영 범위 요약 (고정형/이동형 합계)",
        "operation_table": "설치 및 운영 현황 표 (부서·목적·대수·위치·촬영시간·고지방법·보관·관제·책임자)",
        "group_cards": "영상정보처리기기 운영현황 (기기 묶음마다 한 단락, 위치 목록 포함)",
        "managers": "관리책임자 및 접근권한자",
        "recording_retention": "촬영시간, 보관기간, 보관장소 및 처리방법",
        "processing_records": "개인영상정보 처리 기록·파기·분리 보관",
        "provision": "개인영상정보의 목적 외 이용 및 제3자 제공 (법 제18조②)",
        "provision_procedure": "요청 및 제공 절차 표",
        "outsourcing": "설치 및 관리 등의 위탁",
        "viewing_method_place": "개인영상정보의 확인 방법 및 장소",
        "subject_rights": "정보주체의 열람 등 요구에 대한 조치 (거부 사유, 10일)",
        "safety_measures": "안전성 확보조치 (기술적·관리적·물리적)",
        "signage": "안내판 설치",
        "privacy_officer": "개인정보 보호책임자 및 담당부서",
        "remedies": "권익침해 구제방법",
        "change_history": "방침 변경에 관한 사항 (공고일·시행일·변경 이력)",
        "request_form": "개인영상정보 열람·존재확인 청구서 (별지)",
    }

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="policy_document")
    title = models.CharField("제목", max_length=200, default="영상정보처리기기 운영·관리방침")
    kind = models.CharField(
        "형식",
        max_length=30,
        default="standalone",
        choices=[
            ("standalone", "독립 방침"),
            ("within_privacy_policy", "개인정보 처리방침 안의 조항"),
            ("guideline", "지침"),
        ],
        help_text="시행령 제25조②: 개인정보 처리방침 안에 둘 수 있음 (R5)",
    )
    article_style = models.CharField(
        "조문 형식",
        max_length=20,
        default="article",
        choices=[("article", "제N조"), ("numbered", "N."), ("heading", "제목만")],
    )
    preamble = models.TextField("머리말", blank=True)
    sections = models.JSONField("구성", default=list)
    change_notice_days = models.PositiveIntegerField(
        "사전 공지 일수", default=7, help_text="R7: 템플릿 관행 (경고만)"
    )
    first_enacted_on = models.DateField("최초 제정일", null=True, blank=True)
    announced_on = models.DateField("공고일", null=True, blank=True)
    effective_on = models.DateField("시행일", null=True, blank=True)
    content_department = models.CharField("콘텐츠 관리부서", max_length=100, blank=True)
    content_phone = models.CharField("담당전화", max_length=40, blank=True)
    privacy_officer = models.ForeignKey(
        Officer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="개인정보 보호책임자",
    )
    privacy_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="개인정보보호 담당부서",
    )
    privacy_contact = models.ForeignKey(
        Officer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="개인정보보호 담당자",
    )

    class Meta:
        verbose_name = "운영·관리방침 구성"
        verbose_name_plural = "운영·관리방침 구성"

    def __str__(self) -> str:
        return f"{self.institution.name} {self.title}"


class PolicyRevision(models.Model):
    """A past revision as the institution's own history lists it (최초 제정, 1차 개정, …)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="policy_revisions")
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 제·개정을 가리키는 이름")
    label = models.CharField("제·개정 회차", max_length=60)
    valid_from = models.DateField("적용 시작")
    valid_until = models.DateField("적용 끝", null=True, blank=True)
    note = models.CharField("비고", max_length=200, blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "방침 제·개정 이력"
        verbose_name_plural = "방침 제·개정 이력"
        ordering = ["institution", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "key"], name="unique_policy_revision_key")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.valid_from}~{self.valid_until or '현재'})"
