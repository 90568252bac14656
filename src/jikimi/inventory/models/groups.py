"""Device groups (the rows of the 설치·운영 현황 table) and their locations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models.organisation import Contractor, Department, Institution, Officer
from jikimi.rules.purposes import MOBILE_TYPE_LABELS, MobileType

# A location whose device count the published register does not give (Location.count is null).
COUNT_NOT_PUBLISHED = "대수 미공개"
# A device group whose department the published text does not give (DeviceGroup.department is null):
# what staff pages and the register's messages say instead; the policy prints nothing in its place.
DEPARTMENT_NOT_PUBLISHED = "관리부서 미공개"
# A site whose coordinates the institution has not published (Location.latitude/longitude are null).
COORDINATES_NOT_PUBLISHED = "좌표 미공개"
# WGS84 bounds of the Republic of Korea's sites, 마라도 (33.1°N) to 강원 고성 (38.6°N), 백령도 (124.6°E)
# to 독도 (131.9°E), with a margin: a coordinate outside is a typo (latitude and longitude swapped, a
# digit lost) or another country's, and the map would plot it hundreds of kilometres away.
KOREA_LATITUDE = (33.0, 39.0)
KOREA_LONGITUDE = (124.0, 132.0)


def _within(bounds: tuple[float, float], what: str, value: float) -> None:
    if not bounds[0] <= value <= bounds[1]:
        raise ValidationError(
            f"{what}는 대한민국 범위({bounds[0]:g}~{bounds[1]:g}) 안이어야 합니다 (적힌 값: {value}) "
            "— 위도와 경도가 바뀌지 않았는지 확인하세요",
            code="outside_korea",
        )


def validate_latitude(value: float) -> None:
    _within(KOREA_LATITUDE, "위도", value)


def validate_longitude(value: float) -> None:
    _within(KOREA_LONGITUDE, "경도", value)


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
    # Null: the published text gives no department for these devices (issue 16: "not published" is a
    # value, never a department made up). R36: such a group is scoped to the whole institution — only
    # an institution-wide grant or a grant naming the group itself reaches it, no department's grant
    # (jikimi.accounts.permissions.has_permission; audit entries about it have no department either).
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="device_groups",
        verbose_name="관리부서",
        null=True,
        blank=True,
    )
    kind = models.CharField("구분", max_length=10, choices=Kind.choices, default=Kind.FIXED)
    mobile_type = models.CharField("이동형 유형", max_length=12, choices=MOBILE_TYPE_CHOICES, blank=True)
    status = models.CharField("상태", max_length=12, choices=Status.choices, default=Status.OPERATING)
    # R1: codes of jikimi.rules.purposes.FixedPurpose (fixed) or MobilePurpose (mobile).
    # Blank: the institution states its bases once for all its groups (Institution.legal_bases); R1
    # checks that a group rests on some (jikimi.inventory.checks.group_bases).
    legal_bases = models.JSONField("설치 근거", default=list, blank=True)
    purpose = models.CharField(
        "설치 목적", max_length=200, help_text="공개 문서가 쓰는 말 (예: 범죄예방, 쓰레기 무단투기 방지)"
    )
    # R1 (법 제25조①1호): the law a 'law_permits' basis rests on. Null: the published text cites 1호 but
    # names no law (광양시) — "not published" is a value (issue 16), shown to the officer as to be
    # resolved; publishing the policy is refused until the law is recorded
    # (jikimi.inventory.checks.laws_not_published_of). "": none (needed only under 1호).
    # Two empty values on purpose, hence DJ001: "not published" and "none" are different facts.
    enabling_law = models.CharField(  # noqa: DJ001
        "근거 법령",
        max_length=200,
        blank=True,
        null=True,
        default="",
        help_text="'법령에서 허용' 근거일 때 그 법령",
    )
    classification_primary = models.CharField(
        "1차 분류", max_length=40, blank=True, help_text="오산시 지침 별표1"
    )
    classification_secondary = models.CharField("2차 분류", max_length=60, blank=True)
    # Null, blank: the published text does not give the group's count, site or storage place — "not
    # published" is a value, never a guessed number or place (issue 16, Fidelity; R6 checks totals).
    count = models.PositiveIntegerField(
        "설치 대수", null=True, blank=True, help_text="비우면 공개 문서에 대수가 없음(미공개)"
    )
    site = models.CharField(
        "설치 위치", max_length=200, blank=True, help_text="예: 금천구 관내 434개소, 시청 본관"
    )
    site_count = models.PositiveIntegerField("설치 개소", null=True, blank=True)
    coverage = models.CharField("촬영 범위", max_length=200, blank=True)
    # Blank is allowed so that the law's checks (jikimi.rules.register_checks, R4/R16) say what is missing.
    recording_hours = models.CharField(
        "촬영 시간", max_length=200, blank=True, help_text="예: 24시간, 평일 07:00~09:00, 17:00~20:00"
    )
    # Blank: the institution did not publish how it tells people (법 제25조④); no sign is assumed.
    notice_method = models.CharField("촬영사실 고지 방법", max_length=200, blank=True)
    retention = models.CharField(
        "보관 기간", max_length=60, blank=True, help_text="예: 30일, 3개월, 10일 ~ 60일, 준영구, 미보유"
    )
    # R16 (영 제25조①4호, 표준지침): why footage is kept beyond 30 days. Null: the published text states
    # such a retention but no reason — "not published" is a value (issue 16), shown to the officer as
    # to be resolved; publishing the policy is refused until the reason the institution adopted is
    # recorded (jikimi.inventory.checks.reasons_not_published_of). "": none (needed only beyond 30 days).
    # Two empty values on purpose, hence DJ001: "not published" and "none" are different facts.
    retention_reason = models.TextField("30일 초과 보관 사유", blank=True, null=True, default="")  # noqa: DJ001
    # The machine meaning of the published words above where they have none ("산불기간", "저장용량 범위
    # 내"): what the recorder and the retention sweep use (jikimi.inventory.device_terms). The policy
    # prints the published words only (issue 16).
    recording_schedule = models.CharField(
        "녹화 일정(기계용)",
        max_length=200,
        blank=True,
        help_text="촬영시간 문구를 기계가 읽을 수 없을 때 녹화기가 따를 일정 (예: 매일 09:00~18:00, 필요시)",
    )
    retention_days = models.PositiveIntegerField(
        "보관 일수(기계용)",
        null=True,
        blank=True,
        help_text="보관기간 문구를 기계가 읽을 수 없을 때 파기에 쓸 일수 (비우면 법의 기준 30일)",
    )
    storage_place = models.CharField("보관 장소", max_length=200, blank=True)
    processing_method = models.TextField("처리 방법", blank=True)
    monitoring_method = models.CharField("관제 방법", max_length=200, blank=True)
    monitoring_place = models.CharField("관제 장소", max_length=200, blank=True)
    # 오산시 지침 제12조③, 제19조②: outside the published recording hours (nights, weekends) the control
    # centre may watch live for public-interest purposes (방범 등) — only where the register says so.
    # Footage is still stored only inside the hours (R9); the wall shows such viewing as out of hours.
    off_hours_monitoring = models.BooleanField(
        "운영시간 외 공익 관제",
        default=False,
        help_text="야간·주말 등 촬영시간 외 실시간 관제 허용 (오산시 지침 제19조②)",
    )
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
    # The date the attachment states (a 현황 "2024. 12. 31. 기준"): the policy cites it with the attachment.
    attachment_date = models.DateField("별첨 기준일", null=True, blank=True)
    notes = models.TextField("비고", blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "설치·운영 현황"
        verbose_name_plural = "설치·운영 현황"
        ordering = ["institution", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["institution", "key"], name="unique_device_group_key")]

    def __str__(self) -> str:
        if self.count is None:
            return f"{self.name} ({COUNT_NOT_PUBLISHED})"
        return f"{self.name} ({self.count}대)"

    @property
    def choice_label(self) -> str:
        """How every select names it: groups of the same name (three "방범용") differ by department and
        institution, e.g. "방범용 — 교통정보과 (인천광역시)". Select the department and institution with it."""
        return f"{self.name} — {self.department_name or DEPARTMENT_NOT_PUBLISHED} ({self.institution.name})"

    @property
    def department_name(self) -> str:
        """The department's name; "" where the published text gives none (the field is null)."""
        return self.department.name if self.department is not None else ""

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
        "대수", null=True, blank=True, help_text="비우면 공개 문서에 이 위치의 대수가 없음(미공개)"
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
    # As DeviceGroup.recording_schedule / retention_days, for this location's own words.
    recording_schedule = models.CharField("녹화 일정(기계용)", max_length=200, blank=True)
    retention_days = models.PositiveIntegerField("보관 일수(기계용)", null=True, blank=True)
    storage_place = models.CharField(
        "보관 장소", max_length=200, blank=True, help_text="비우면 묶음의 보관 장소"
    )
    # Where the site is, as the institution publishes it (its 공공데이터 CCTV정보 or its own register):
    # WGS84 degrees, for the control centre's map of sites. Null: not published — never a guess (the
    # register states only what the institution states). Both or neither (Location.clean).
    latitude = models.FloatField(
        "위도",
        null=True,
        blank=True,
        validators=[validate_latitude],
        help_text="WGS84 위도(도) — 기관이 공개한 좌표만, 비우면 좌표 미공개",
    )
    longitude = models.FloatField(
        "경도",
        null=True,
        blank=True,
        validators=[validate_longitude],
        help_text="WGS84 경도(도) — 기관이 공개한 좌표만, 비우면 좌표 미공개",
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

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self) -> None:
        # A point needs both: half a coordinate cannot be plotted, and filling in the other half
        # would be inventing it.
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError(
                {missing: "위도와 경도는 함께 적거나 함께 비워 둡니다 (한쪽만 적을 수 없습니다)"}
            )
