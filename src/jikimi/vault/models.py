"""The vault's index: encrypted segments, their day keys, legal holds and destructions.

Ciphertext lives in the footage store (jikimi.engine.footage.storage); the database holds what is
needed to find it and — through the wrapped day keys — to read it. Destroying footage is deleting a
wrapped key (DESIGN "Keys and destruction", R17); the ciphertext objects are collected after.

Day boundary: a day key covers one calendar day in Asia/Seoul (the institution's day, the day the
retention period counts in: "30일" means 30 local days), i.e. from 00:00 KST (15:00 UTC the day before)
to the next 00:00 KST (jikimi.lib.clock.day_bounds). Times are stored in UTC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models import Device, DeviceGroup
from jikimi.lib.intervals import format_interval

if TYPE_CHECKING:
    _Binary = models.BinaryField[Any, Any]
else:
    _Binary = models.BinaryField


class Sha256Field(_Binary):
    """A SHA-256 digest stored as its 32 bytes and read as its 64 hex digits (what the engine reports
    and the code compares): half the bytes of the hex text in a row of the city-scale segment index."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else bytes(value).hex()

    def to_python(self, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return bytes(value).hex()

    def get_prep_value(self, value: Any) -> bytes | None:
        if value is None:
            return None
        if isinstance(value, str):
            digest = bytes.fromhex(value)
            if len(digest) != 32:
                raise ValueError(f"not a SHA-256 digest: {value!r}")
            return digest
        return bytes(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return None if value is None else connection.Database.Binary(value)

    def value_to_string(self, obj: models.Model) -> str:
        return str(self.value_from_object(obj) or "")


class DayKey(models.Model):
    """The data key of one device and one Asia/Seoul day, stored only wrapped by the master key."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="day_keys")
    day = models.DateField("날짜 (Asia/Seoul)")
    key_id = models.CharField("키 식별자", max_length=255, unique=True)
    # Nulled on destruction (crypto-shredding, R17): without it the day's ciphertext is noise.
    wrapped_key = models.BinaryField("감싼 데이터 키", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField("파기 시각", null=True, blank=True)
    # The segments indexed under the key, counted as they are indexed (in the same transaction, under
    # the key's row lock), so that the destruction's record states the count without reading a day's
    # index entries: at 10-s segments 20.9 M for a day of 광양시 (bench/vault, issue 18).
    segment_count = models.PositiveIntegerField("조각 수", default=0)

    class Meta:
        verbose_name = "일별 데이터 키"
        verbose_name_plural = "일별 데이터 키"
        ordering = ["device", "day"]
        constraints = [models.UniqueConstraint(fields=["device", "day"], name="unique_day_key")]

    def __str__(self) -> str:
        return self.key_id

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device.audit_scope()


class Segment(models.Model):
    """One encrypted segment in the store. Indexed only after the store reported it durable.

    A city's month is some 626 million rows (issue 18), so the row is kept lean (bench/vault/README.md):
    the digests are stored as bytes, the location only where it is not the configured store's URL for
    the object name, and no index is kept that a query does not use. One object is never indexed twice:
    its name is `object_name(prefix, device, day, start)` plus a random tag, and a device's segment
    starts are unique (the recorder and the file ingest never store the same moment twice — R41).
    """

    # Queries by device go through the (device, start) constraint's index: no index on device alone.
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="segments", db_index=False)
    day_key = models.ForeignKey(DayKey, on_delete=models.PROTECT, related_name="segments")
    start = models.DateTimeField("시작 (UTC)")
    end = models.DateTimeField("끝 (UTC)")
    frames = models.PositiveIntegerField("프레임 수", default=0)
    plaintext_bytes = models.BigIntegerField("평문 크기")
    plaintext_sha256 = Sha256Field("평문 SHA-256")
    stored_bytes = models.BigIntegerField("저장 크기")
    ciphertext_sha256 = Sha256Field("암호문 SHA-256")
    object_name = models.CharField("저장 객체", max_length=512)
    # Empty when it is the configured store's location of object_name (keyring.segment_location).
    location = models.CharField("저장 위치", max_length=1000, blank=True)
    had_audio = models.BooleanField("원본에 음성 있었음 (제거됨)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # R41: a segment whose stored object is gone or fails its integrity check is not footage any more;
    # the existence check says "손상" for it instead (actions.damage.record_damage).
    damaged_at = models.DateTimeField("손상 확인 시각", null=True, blank=True)
    damage = models.CharField("손상 내용", max_length=500, blank=True)

    class Meta:
        verbose_name = "영상 조각"
        verbose_name_plural = "영상 조각"
        ordering = ["device", "start"]
        constraints = [
            # The existence check's index, and the guarantee that no moment (so no object) is indexed twice.
            # On PostgreSQL it also carries what the check reads — INCLUDE (end, day_key_id, damaged_at),
            # made by migration 0012 since Django would drop the whole constraint on SQLite — so the check
            # is answered from the index alone, however a fleet's writes scattered a camera's rows over
            # the table (bench/vault --city: a camera's hour of 10-s segments lies on 360 table pages).
            models.UniqueConstraint(fields=["device", "start"], name="vault_segment_device_start"),
        ]
        indexes = [
            # The retention sweep's clock check reads the newest footage's end (R17): one index step.
            models.Index(fields=["end"], name="vault_segment_end"),
        ]

    def __str__(self) -> str:
        return self.object_name

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device.audit_scope()


class RecordingOutage(models.Model):
    """An interval a live camera should have been recorded and was not, and why (the recorder's gap).

    The existence check names these "카메라 장애" (or "녹화기 중지" when the recorder process itself was
    down) rather than a bare "녹화되지 않음"; an outage still going on is the device's own state
    (reconnecting / failed since status_changed_at) or its recorder's stale heartbeat.
    """

    class Cause(models.TextChoices):
        CAMERA = "camera", "카메라 장애"
        RECORDER = "recorder", "녹화기 중지"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="outages")
    start = models.DateTimeField("시작 (UTC)")
    end = models.DateTimeField("끝 (UTC)")
    reason = models.CharField("사유", max_length=300)
    cause = models.CharField("원인", max_length=10, choices=Cause.choices, default=Cause.CAMERA)
    recorded_at = models.DateTimeField("기록 시각", auto_now_add=True)

    class Meta:
        verbose_name = "녹화 중단"
        verbose_name_plural = "녹화 중단"
        ordering = ["device", "start"]
        indexes = [models.Index(fields=["device", "start"], name="vault_outage_device_start")]

    def __str__(self) -> str:
        return f"{self.device.name} {format_interval(self.start, self.end, seconds=False)} {self.reason}"

    @property
    def shown_reason(self) -> str:
        """The reason as staff read it: outages written before the recorder's words were put in Korean
        (issue 12) still hold them, e.g. "cannot connect to rtsp://…"."""
        from jikimi.vault.staff_messages import recording_reason

        return recording_reason(self.reason)

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device.audit_scope()


class RecordingTrigger(models.Model):
    """A recording window of an event-driven schedule (강우시에만, 필요시: R9), opened and closed by an
    officer or an external signal, each with its reason. For one device, or (device empty) for every
    device of the group whose recording hours are event-driven. Open while `end` is empty.
    """

    device_group = models.ForeignKey(
        DeviceGroup, on_delete=models.PROTECT, related_name="recording_triggers", verbose_name="기기 묶음"
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="recording_triggers"
    )
    start = models.DateTimeField("촬영 시작 (UTC)")
    end = models.DateTimeField("촬영 종료 (UTC)", null=True, blank=True)
    start_reason = models.CharField("시작 사유", max_length=300)
    stop_reason = models.CharField("종료 사유", max_length=300, blank=True)
    started_by = models.CharField("시작한 사람·신호", max_length=200)
    stopped_by = models.CharField("종료한 사람·신호", max_length=200, blank=True)

    class Meta:
        verbose_name = "조건부 촬영"
        verbose_name_plural = "조건부 촬영"
        ordering = ["device_group", "start"]
        indexes = [models.Index(fields=["device_group", "start"], name="vault_trigger_group_start")]

    def __str__(self) -> str:
        return f"{self.device_group.name} {self.start:%Y-%m-%d %H:%M} {self.start_reason}"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device_group.audit_scope()


class LegalHold(models.Model):
    """법 제21조③ (R18): footage another law requires keeping, kept apart under its own key."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="holds")
    start = models.DateTimeField("시작 (UTC)")
    end = models.DateTimeField("끝 (UTC)")
    basis = models.CharField("보존 근거", max_length=300)
    requester = models.CharField("요청자", max_length=200)
    # The hold ends on this day: the daily retention sweep ends it (actions.holds.end_due_holds).
    ends_on = models.DateField("보존 종료일")
    # A hold placed for a case (수사·재판, a request) ends when the case ends (end_holds_for_case).
    case_reference = models.CharField(
        "사건·요청 번호", max_length=100, blank=True, help_text="예: 수사협조 요청 공문 번호"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placed_at = models.DateTimeField("설정 시각", auto_now_add=True)
    key_id = models.CharField("보존 키 식별자", max_length=255, unique=True)
    # Nulled when the hold is released (its copies are then destroyed with it).
    wrapped_key = models.BinaryField("감싼 보존 키", null=True, blank=True)
    released_at = models.DateTimeField("해제 시각", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_reason = models.CharField("해제 사유", max_length=300, blank=True)

    class Meta:
        verbose_name = "분리 보관"
        verbose_name_plural = "분리 보관"
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["case_reference"], name="vault_hold_case_reference")]

    def __str__(self) -> str:
        return f"{self.device.name} {self.basis}"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device.audit_scope()

    @property
    def active(self) -> bool:
        return self.released_at is None


class HeldSegment(models.Model):
    """A held copy of a segment, re-encrypted under its hold's key and stored apart (R18)."""

    hold = models.ForeignKey(LegalHold, on_delete=models.PROTECT, related_name="copies")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("원본 날짜 (Asia/Seoul)")
    start = models.DateTimeField("시작 (UTC)")
    end = models.DateTimeField("끝 (UTC)")
    source_object = models.CharField("원본 객체", max_length=512)
    object_name = models.CharField("저장 객체", max_length=512, unique=True)
    location = models.CharField("저장 위치", max_length=1000)
    stored_bytes = models.BigIntegerField("저장 크기")
    plaintext_sha256 = models.CharField("평문 SHA-256", max_length=64)

    class Meta:
        verbose_name = "분리 보관 조각"
        verbose_name_plural = "분리 보관 조각"
        ordering = ["hold", "start"]
        constraints = [
            models.UniqueConstraint(fields=["hold", "source_object"], name="unique_held_copy"),
        ]

    def __str__(self) -> str:
        return self.object_name


class Destruction(models.Model):
    """R19: one destruction — 파일명, 파기일시, 담당자 — and how (crypto-shredding, then deletion)."""

    class Kind(models.TextChoices):
        DAY_KEY = "day_key", "보관기간 만료 (일별 키 파기)"
        HOLD = "hold", "분리 보관 해제 (보존 키 파기)"
        # 법 제36조 (R24): a data subject's deletion request; the rest of the day re-encrypted, its old key destroyed.
        SEGMENTS = "segments", "삭제 청구 (구간 파기)"

    kind = models.CharField("구분", max_length=10, choices=Kind.choices)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="destructions")
    day_key = models.OneToOneField(
        DayKey, on_delete=models.PROTECT, null=True, blank=True, related_name="destruction"
    )
    hold = models.OneToOneField(
        LegalHold, on_delete=models.PROTECT, null=True, blank=True, related_name="destruction"
    )
    key_id = models.CharField("파기한 키", max_length=255)
    covers_start = models.DateTimeField("영상 시작 (UTC)")
    covers_end = models.DateTimeField("영상 끝 (UTC)")
    retention = models.CharField("보관기간", max_length=60, blank=True)
    expiry = models.DateField("만료일", null=True, blank=True)
    deadline = models.DateField("파기 기한", null=True, blank=True)
    overdue = models.BooleanField("기한 경과", default=False)
    segments = models.PositiveIntegerField("조각 수", default=0)
    stored_bytes = models.BigIntegerField("저장 크기", default=0)
    object_names = models.JSONField("파일명", default=list)
    method = models.CharField("파기 방법", max_length=200)
    destroyed_at = models.DateTimeField("파기일시")
    actor_label = models.CharField("담당자", max_length=200)
    ciphertext_deleted_at = models.DateTimeField("암호문 삭제 완료", null=True, blank=True)

    class Meta:
        verbose_name = "파기 기록"
        verbose_name_plural = "파기 기록"
        ordering = ["-destroyed_at", "id"]

    def __str__(self) -> str:
        return f"{self.key_id} 파기 ({self.destroyed_at:%Y-%m-%d})"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device.audit_scope()


class Viewing(models.Model):
    """One viewing of recorded footage: who, when, from where, which device and range, why (R41)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="viewings")
    start = models.DateTimeField("시작 (UTC)")
    end = models.DateTimeField("끝 (UTC)")
    purpose = models.CharField("열람 목적", max_length=300)
    client_address = models.CharField("접속지", max_length=100, blank=True)
    opened_at = models.DateTimeField("열람 시각", auto_now_add=True)
    expires_at = models.DateTimeField("열람 가능 시한")

    class Meta:
        verbose_name = "영상 열람"
        verbose_name_plural = "영상 열람"
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.device.name} {self.purpose}"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return self.device.audit_scope()


class RecorderHeartbeat(models.Model):
    """One `jikimi record` process, and the last moment it said it was alive (R41: the existence check
    must not call a device "녹화 중" when nothing is recording it).

    The process beats every few seconds (vault.recording); a heartbeat older than
    settings.JIKIMI_RECORDER_STALE_SECONDS means the recorder was killed or hung: its devices read
    "녹화 안 됨: 녹화기 중지", and the dead interval is written as an outage (actions.liveness).
    """

    name = models.CharField("녹화기 식별자", max_length=64, unique=True)
    host = models.CharField("호스트", max_length=200)
    pid = models.PositiveIntegerField("프로세스 번호")
    started_at = models.DateTimeField("시작 시각")
    beat_at = models.DateTimeField("마지막 신호 시각")
    stopped_at = models.DateTimeField("정상 종료 시각", null=True, blank=True)
    # Set when the dead interval of a recorder that stopped beating was written as outages.
    down_recorded_at = models.DateTimeField("중지 기록 시각", null=True, blank=True)
    devices = models.JSONField("녹화 중인 기기 번호", default=list)
    # The node's health for the control centre (vault.queries.fleet_health), written with each beat.
    capacity = models.PositiveIntegerField("최대 카메라 수", null=True, blank=True)
    cpu_percent = models.FloatField("CPU 사용률 (%, 한 코어 기준)", null=True, blank=True)
    backlog = models.PositiveIntegerField("저장 대기 조각 수", default=0)
    store_latency_ms = models.FloatField("조각 저장 시간 (ms, 최근 평균)", null=True, blank=True)
    # The footage store's free space above its reserve (None: the store cannot tell, e.g. S3).
    store_free_bytes = models.BigIntegerField("저장소 여유 공간 (바이트)", null=True, blank=True)
    # Per device it records ("12": StreamStats.as_dict()): the last segment's frame rate, bitrate and
    # clock drift with the camera's baseline (오산시 지침 제27조; control.health_queries reads them).
    streams = models.JSONField("카메라별 영상 수치", default=dict)

    class Meta:
        verbose_name = "녹화기 신호"
        verbose_name_plural = "녹화기 신호"
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class CameraLease(models.Model):
    """Which recorder node records a device, and until when (vault.actions.leases).

    Many `jikimi record` nodes share the register's cameras; a device is recorded by exactly one node
    at a time — the one named here while `expires_at` is in the future (R41: one minute, one footage;
    and a dead node's cameras must not go unrecorded). A node renews its leases with its heartbeat; a
    lease that expired (its node was killed or hung) or was released is free for another node.
    """

    device = models.OneToOneField(Device, on_delete=models.CASCADE, related_name="recorder_lease")
    node = models.CharField("녹화기 식별자", max_length=64, blank=True)  # RecorderHeartbeat.name
    acquired_at = models.DateTimeField("받은 시각", null=True, blank=True)
    renewed_at = models.DateTimeField("마지막 갱신 시각", null=True, blank=True)
    expires_at = models.DateTimeField("만료 시각", null=True, blank=True)  # empty: free
    released_at = models.DateTimeField("넘겨준 시각", null=True, blank=True)
    previous_node = models.CharField("이전 녹화기", max_length=64, blank=True)
    # Where the previous node's footage ended: the takeover's gap, written as an outage at the new
    # node's first segment (and cleared then).
    gap_from = models.DateTimeField("교대 공백 시작", null=True, blank=True)
    # A hand-back (vault.actions.leases): the node above its share offers the lease and keeps recording;
    # a short node claims the offer, records too, and the lease passes to it with its first segment —
    # no gap, no minute twice. An offer nobody completes lapses after two lease lengths.
    offered_at = models.DateTimeField("넘겨주기 제안 시각", null=True, blank=True)
    offer_taker = models.CharField("넘겨받을 녹화기", max_length=64, blank=True)
    offer_claimed_at = models.DateTimeField("넘겨받기 시작 시각", null=True, blank=True)
    # Where the giver's footage ends, fixed by the taker's first segment: the giver stores nothing past
    # it while the hand-back completes, so the taker never chases an advancing end.
    handover_at = models.DateTimeField("넘겨주기 시점", null=True, blank=True)

    class Meta:
        verbose_name = "카메라 녹화 임대"
        verbose_name_plural = "카메라 녹화 임대"
        indexes = [models.Index(fields=["node"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.device_id} → {self.node or '없음'}"


class RetentionSweep(models.Model):
    """One run of the retention sweep: when, and whether it trusted the clock (R17).

    A completed run is one of the vault's traces of time the next run checks the clock against.
    """

    ran_at = models.DateTimeField("실행 시각")
    completed = models.BooleanField("파기 단계 수행", default=False)
    refused = models.CharField("거부 사유", max_length=500, blank=True)
    confirmed_reason = models.CharField("시계 확인 사유", max_length=300, blank=True)

    class Meta:
        verbose_name = "보관기간 점검 실행"
        verbose_name_plural = "보관기간 점검 실행"
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'완료' if self.completed else '거부'}"


class VaultAlert(models.Model):
    """Something an officer must see and act on: a clock the sweep would not trust, a recorder that
    stopped, footage found damaged. Listed for the officers in scope, e-mailed to the institution's
    privacy officers and operating heads (actions.alerts), acknowledged by an audited action."""

    class Kind(models.TextChoices):
        CLOCK_JUMP = "clock_jump", "시계 이상으로 파기 보류"
        RECORDER_DOWN = "recorder_down", "녹화기 중지"
        FOOTAGE_DAMAGED = "footage_damaged", "영상 손상"

    kind = models.CharField("종류", max_length=20, choices=Kind.choices)
    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="vault_alerts", verbose_name="기관"
    )
    device_group = models.ForeignKey(
        DeviceGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="기기 묶음",
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts", verbose_name="기기"
    )
    message = models.TextField("내용")
    raised_at = models.DateTimeField("발생 시각")
    mailed_to = models.JSONField("알린 주소", default=list)
    acknowledged_at = models.DateTimeField("확인 시각", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement = models.CharField("확인 내용", max_length=300, blank=True)

    class Meta:
        verbose_name = "경보"
        verbose_name_plural = "경보"
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["institution", "acknowledged_at"], name="vault_alert_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None
