"""How an entry's details read on the auditor's page and in the export: Korean "항목: 값" lines.

Details are stored as JSON with English keys, codes and times in UTC (Django's encoder:
"2026-11-22T23:59:00Z"); shown raw, the auditor read `{"cause": "wrong_password"}` and an upload
recorded at 08:59 KST as 23:59 of the day before, while the monthly review (R40) compares the log with
pages that all speak Korean in Seoul time. Storage stays as it is (the hash chain covers the stored
text); only the reading changes:

- every event declares the details it records, in the order they are shown (`EVENT_DISPLAYS`; a test
  checks every AuditEvent has one and every key a Korean label);
- keys read as Korean labels (`KEY_LABELS`); the fields of a changed record read as the target model's
  own field names (its verbose_name, looked up in Django's app registry: audit imports no app above it);
- codes read as their labels (`VALUE_LABELS`, or the choices of the model field that holds them);
- moments in Asia/Seoul, yes/no in Korean, [before, after] as "before → after", nested records inline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from jikimi.audit.events import APP_LABELS, AuditEvent, label_of
from jikimi.lib.clock import SEOUL

_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


@dataclass(frozen=True)
class EventDisplay:
    """How one event's details read."""

    keys: tuple[str, ...] = ()  # the details the event records, in the order they are shown
    fields_changed: bool = False  # the details are the target's changed fields, each [before, after]


@dataclass(frozen=True)
class DetailLine:
    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


_E = AuditEvent
_TERM_CHANGE = ("device", "name", "location", "retention", "recording_hours", "footage_days", "due_days")
_PTZ_VIEW = ("section", "device_group", "location", "changes", "warnings")
_OUTAGE = ("outage", "recorder", "start", "end", "seconds", "reason")

EVENT_DISPLAYS: dict[AuditEvent, EventDisplay] = {
    _E.ACCOUNTS_CREATE_USER: EventDisplay(("username", "institution", "department")),
    _E.ACCOUNTS_UPDATE_USER: EventDisplay(fields_changed=True),
    _E.ACCOUNTS_DEACTIVATE_USER: EventDisplay(),
    _E.ACCOUNTS_RESET_PASSWORD: EventDisplay(),
    _E.ACCOUNTS_CHANGE_PASSWORD: EventDisplay(),
    _E.ACCOUNTS_UNLOCK_USER: EventDisplay(("locked_until",)),
    _E.ACCOUNTS_LOGIN: EventDisplay(),
    _E.ACCOUNTS_LOGIN_FAILED: EventDisplay(("cause", "consecutive_failures", "locked_until")),
    _E.ACCOUNTS_LOCKED: EventDisplay(("locked_until", "minutes")),
    _E.ACCOUNTS_LOGOUT: EventDisplay(),
    _E.ACCOUNTS_ADDRESS_BLOCKED: EventDisplay(("address", "blocked_until", "minutes")),
    _E.ACCOUNTS_SECOND_FACTOR_ENROLLED: EventDisplay(("device", "recovery_codes")),
    _E.ACCOUNTS_SECOND_FACTOR_VERIFIED: EventDisplay(("method",)),
    _E.ACCOUNTS_SECOND_FACTOR_FAILED: EventDisplay(("cause",)),
    _E.ACCOUNTS_RECOVERY_CODE_USED: EventDisplay(("recovery_codes_left",)),
    _E.ACCOUNTS_SECOND_FACTOR_RESET: EventDisplay(("authenticator_apps", "recovery_devices")),
    _E.ACCOUNTS_GRANT_ROLE: EventDisplay(("grant", "role", "institution", "departments", "device_groups")),
    _E.ACCOUNTS_REVOKE_ROLE: EventDisplay(("grant", "role", "institution", "departments", "device_groups")),
    _E.ACCOUNTS_ADD_COURSE: EventDisplay(("course", "roles", "validity_months")),
    _E.ACCOUNTS_RECORD_TRAINING: EventDisplay(("course", "username", "completed_on", "evidence")),
    _E.ACCOUNTS_RECORD_CONTRACT: EventDisplay(
        ("contractor_name", "task", "period_start", "period_end", "clauses_missing")
    ),
    _E.ACCOUNTS_UPDATE_CONTRACT: EventDisplay(fields_changed=True),
    _E.ACCOUNTS_ASSIGN_CONTRACT_STAFF: EventDisplay(("contractor_name", "username")),
    _E.ACCOUNTS_RELEASE_CONTRACT_STAFF: EventDisplay(("contractor_name", "username")),
    _E.ACCOUNTS_INSPECT_CONTRACTOR: EventDisplay(("contractor_name", "inspected_on", "findings")),
    _E.ACCOUNTS_ALERT_CONTRACT_END: EventDisplay(
        ("contractor_name", "period_end", "days_left", "recipients")
    ),
    _E.AUDIT_VIEW_LOG: EventDisplay(("via", "filter", "page", "shown", "month", "query", "entry")),
    _E.AUDIT_VERIFY: EventDisplay(("count", "ok", "problem", "last_checkpoint", "archived_through")),
    _E.AUDIT_ARCHIVE: EventDisplay(
        ("before", "first_sequence", "last_sequence", "count", "file", "sha256", "checkpoint")
    ),
    _E.AUDIT_EXPORT_LOG: EventDisplay(("filter", "count", "format")),
    _E.AUDIT_SIGN_REVIEW: EventDisplay(("month", "covers", "downloads", "after_hours", "outliers")),
    _E.INVENTORY_IMPORT_REGISTER: EventDisplay(
        (
            "file",
            "sha256",
            "replaced",
            "counts",
            "warnings",
            "moved_devices",
            "term_changes",
            "rescopes",
            "changes",
        )
    ),
    _E.INVENTORY_UPDATE_DEVICE_GROUP: EventDisplay(("changes", "warnings", "term_changes")),
    _E.INVENTORY_DEVICE_TERMS_CHANGED: EventDisplay(("device_group", "devices", *_TERM_CHANGE)),
    _E.INVENTORY_DEVICE_GROUP_RESCOPED: EventDisplay(("device_group", "department", "devices")),
    _E.INVENTORY_ADD_REGISTER_ENTRY: EventDisplay(("section", "key", "changes", "warnings")),
    _E.INVENTORY_CHANGE_REGISTER_ENTRY: EventDisplay(("section", "key", "changes", "warnings")),
    _E.INVENTORY_REMOVE_REGISTER_ENTRY: EventDisplay(("section", "key", "changes", "warnings")),
    _E.INVENTORY_FILL_SITE_COORDINATES: EventDisplay(
        ("file", "sha256", "rows", "filled", "unchanged", "unmatched", "ambiguous", "conflicts", "bad_lines")
    ),
    _E.INVENTORY_SET_PTZ_CAMERA: EventDisplay(("device", "onvif_address", "profile_token")),
    _E.INVENTORY_ADD_DEMO_PTZ_VIEWS: EventDisplay(("location", "ptz_presets", "privacy_zones", "reason")),
    _E.INVENTORY_ADD_PTZ_PRESET: EventDisplay(_PTZ_VIEW),
    _E.INVENTORY_CHANGE_PTZ_PRESET: EventDisplay(_PTZ_VIEW),
    _E.INVENTORY_REMOVE_PTZ_PRESET: EventDisplay(_PTZ_VIEW),
    _E.INVENTORY_ADD_PRIVACY_ZONE: EventDisplay(_PTZ_VIEW),
    _E.INVENTORY_CHANGE_PRIVACY_ZONE: EventDisplay(_PTZ_VIEW),
    _E.INVENTORY_REMOVE_PRIVACY_ZONE: EventDisplay(_PTZ_VIEW),
    _E.PUBLISHING_PUBLISH_POLICY: EventDisplay(
        (
            "institution",
            "number",
            "announced_on",
            "effective_on",
            "sha256",
            "warnings",
            "previous",
            "changed_sections",
        )
    ),
    _E.PUBLISHING_WITHDRAW_POLICY: EventDisplay(
        ("institution", "number", "announced_on", "effective_on", "sha256")
    ),
    _E.PUBLISHING_ADOPT_SECTION: EventDisplay(("institution", "item", "title", "body", "adopted_on")),
    _E.VAULT_ADD_DEVICE: EventDisplay(("device_group", "name", "location", "location_name", "source")),
    _E.VAULT_MOVE_DEVICE: EventDisplay(
        ("device_group", "location", "location_name", "department", "term_changes")
    ),
    _E.VAULT_DEVICE_STATE: EventDisplay(("from", "to", "detail")),
    _E.VAULT_DEVICE_HEALTH_WARNING: EventDisplay(("warning",)),
    _E.VAULT_RECORDING_GAP: EventDisplay(_OUTAGE),
    _E.VAULT_INGEST_FILE: EventDisplay(
        ("source", "segments", "start", "end", "bytes", "audio_dropped", "recording_hours", "outside_hours")
    ),
    _E.VAULT_VIEW_FOOTAGE: EventDisplay(("viewing", "device", "start", "end")),
    _E.VAULT_EXISTENCE_CHECK: EventDisplay(("device", "start", "end", "via", "footage_seconds")),
    _E.VAULT_PLACE_HOLD: EventDisplay(
        ("device", "start", "end", "requester", "ends_on", "case_reference", "segments")
    ),
    _E.VAULT_RELEASE_HOLD: EventDisplay(("type", "key_id", "segments", "destruction")),
    _E.VAULT_EXTEND_HOLD: EventDisplay(("device", "ends_on", "previous_ends_on")),
    _E.VAULT_END_HOLD_AT_END_DATE: EventDisplay(("type", "key_id", "segments", "destruction")),
    _E.VAULT_END_HOLD_FOR_CASE: EventDisplay(("type", "key_id", "segments", "destruction")),
    _E.VAULT_START_RECORDING: EventDisplay(("device_group", "device", "start")),
    _E.VAULT_STOP_RECORDING: EventDisplay(("device_group", "device", "start", "end")),
    _E.VAULT_DESTROY_DAY_KEY: EventDisplay(
        (
            "type",
            "device",
            "day",
            "files",
            "destroyed_at",
            "officer",
            "method",
            "deadline",
            "overdue",
            "destruction",
        )
    ),
    _E.VAULT_DESTROY_SEGMENTS: EventDisplay(
        (
            "type",
            "device",
            "day",
            "start",
            "end",
            "files",
            "kept",
            "key_id",
            "destroyed_at",
            "officer",
            "method",
            "destruction",
        )
    ),
    _E.VAULT_RECORD_DESTROYED_FILES: EventDisplay(("type", "destruction", "files", "stored_bytes")),
    _E.VAULT_RETENTION_CLOCK_REFUSED: EventDisplay(("clock", "counting_day", "keys")),
    _E.VAULT_RETENTION_CLOCK_CONFIRMED: EventDisplay(("clock", "trusted", "counting_day", "overridden")),
    _E.VAULT_RECORDER_DOWN: EventDisplay(_OUTAGE),
    _E.VAULT_RECORDER_TAKE_CAMERA: EventDisplay(("recorder", "from_recorder", "taken_at")),
    _E.VAULT_RECORDER_HANDBACK: EventDisplay(("recorder", "from_recorder", "footage_from")),
    _E.VAULT_RECORDER_RELEASE_CAMERA: EventDisplay(("recorder",)),
    _E.VAULT_FOOTAGE_DAMAGED: EventDisplay(("segment", "object", "start", "end", "problem")),
    _E.VAULT_RAISE_ALERT: EventDisplay(("kind", "institution", "device", "message")),
    _E.VAULT_ACKNOWLEDGE_ALERT: EventDisplay(("kind", "raised_at")),
    _E.VAULT_EXPORT_FOOTAGE: EventDisplay(
        ("device", "start", "end", "case_reference", "segments", "seconds", "sha256")
    ),
    # disclosure: each action fills in the keys it records
    _E.DISCLOSURE_FILE_REQUEST: EventDisplay(
        (
            "receipt_number",
            "kind",
            "channel",
            "subject_is_requester",
            "start",
            "end",
            "locations",
            "place_text",
            "attachments",
            "holds",
            "due_on",
        )
    ),
    _E.DISCLOSURE_VIEW_REQUEST: EventDisplay(("devices",)),
    _E.DISCLOSURE_VIEW_ATTACHMENT: EventDisplay(("receipt_number", "attachment", "attachment_kind", "size")),
    _E.DISCLOSURE_VERIFY_IDENTITY: EventDisplay(("method", "document", "proxy")),
    _E.DISCLOSURE_CHECK_FOOTAGE: EventDisplay(),
    _E.DISCLOSURE_POSTPONE: EventDisplay(
        ("postponement", "due_on", "previous_due_on", "late", "letter_sha256")
    ),
    _E.DISCLOSURE_DECIDE: EventDisplay(
        (
            "decision",
            "outcome",
            "grounds",
            "limited",
            "viewing_at",
            "viewing_place",
            "destructions",
            "letter_sha256",
        )
    ),
    _E.DISCLOSURE_RECORD_FEE: EventDisplay(
        ("decision", "fee_amount", "fee_status", "fee_payment", "fee_cause_institution")
    ),
    _E.DISCLOSURE_REMIND: EventDisplay(("due_on", "days_left", "recipients")),
    _E.DISCLOSURE_ESCALATE: EventDisplay(("due_on", "days_left", "recipients")),
    _E.DISCLOSURE_START_MASKING: EventDisplay(("job", "device", "start", "end", "stalled_since")),
    _E.DISCLOSURE_RECOVER_MASKING: EventDisplay(
        ("job", "recovery", "worker", "attempt", "max_attempts", "lease_expired_at", "queued_at")
    ),
    _E.DISCLOSURE_ORDER_PACKAGE: EventDisplay(("package_job", "package_kind", "job", "original")),
    _E.DISCLOSURE_RECOVER_PACKAGE: EventDisplay(
        ("package_job", "recovery", "worker", "attempt", "max_attempts", "lease_expired_at", "queued_at")
    ),
    _E.DISCLOSURE_WITHDRAW_PACKAGE: EventDisplay(
        ("package_job", "package_kind", "delivery", "file", "sha256", "downloads", "expires_at")
    ),
    _E.DISCLOSURE_WITHDRAW_PACKAGE_REFUSED: EventDisplay(
        ("package_job", "package_kind", "package_state", "requested_reason", "handed_over_at")
    ),
    _E.DISCLOSURE_DESTROY_EXPIRED_PACKAGE: EventDisplay(
        (
            "package_job",
            "package_kind",
            "case_number",
            "delivery",
            "file",
            "sha256",
            "downloads",
            "expires_at",
            "handed_over_at",
            "file_missing",
        )
    ),
    _E.DISCLOSURE_REVIEW_MASKS: EventDisplay(("job", "correction", "track", "region", "overrides")),
    _E.DISCLOSURE_APPROVE_RELEASE: EventDisplay(
        ("job", "device", "subject_track", "original_sha256", "derivative_sha256")
    ),
    _E.DISCLOSURE_DOWNLOAD_COPY: EventDisplay(("delivery", "job", "sha256", "size")),
    _E.DISCLOSURE_VIEW_ONLINE: EventDisplay(("delivery", "job", "sha256")),
    _E.DISCLOSURE_CLOSE: EventDisplay(("previous_state",)),
    _E.DISCLOSURE_WITHDRAW: EventDisplay(("previous_state",)),
    _E.DISCLOSURE_RESOLVE_PLACE: EventDisplay(("receipt_number", "place_text", "locations", "holds")),
    _E.DISCLOSURE_VIEW_MASKING_PREVIEW: EventDisplay(("job", "device", "start", "end")),
    _E.DISCLOSURE_FILE_PROVISION: EventDisplay(
        (
            "case_number",
            "requesting_body",
            "channel",
            "legal_ground",
            "urgent",
            "original_requested",
            "devices",
            "holds",
        )
    ),
    _E.DISCLOSURE_VIEW_PROVISION: EventDisplay(("case_number", "devices", "attachment", "attachment_kind")),
    _E.DISCLOSURE_REVIEW_PROVISION: EventDisplay(("case_number", "mask_third_parties")),
    _E.DISCLOSURE_APPROVE_PROVISION: EventDisplay(
        ("case_number", "legal_ground", "approval_kind", "original_approved")
    ),
    _E.DISCLOSURE_REFUSE_PROVISION: EventDisplay(("case_number", "legal_ground", "holds_ended")),
    _E.DISCLOSURE_PREPARE_COPY: EventDisplay(
        ("delivery", "job", "kind", "original", "files", "sha256", "expires_at")
    ),
    _E.DISCLOSURE_PROVIDE_FOOTAGE: EventDisplay(
        (
            "case_number",
            "delivery_kind",
            "delivery",
            "original",
            "files",
            "sha256s",
            "receiver",
            "destroy_by",
        )
    ),
    _E.DISCLOSURE_SIGN_RECEIPT: EventDisplay(
        ("case_number", "sign_method", "receiver", "attachment", "signature_sha256", "receipt_sha256")
    ),
    _E.DISCLOSURE_REPORT_DESTRUCTION: EventDisplay(
        (
            "case_number",
            "destroyed_on",
            "destroy_by",
            "destruction_method",
            "report_channel",
            "attachment",
            "sha256",
        )
    ),
    _E.DISCLOSURE_NOTIFY_SUBJECT: EventDisplay(
        ("case_number", "subject_notice", "notified_on", "notice_method")
    ),
    _E.DISCLOSURE_PUBLISH_PROVISION: EventDisplay(
        ("case_number", "publish_by", "published_late", "published_purpose", "published_items")
    ),
    _E.DISCLOSURE_CLOSE_PROVISION: EventDisplay(("case_number", "previous_state")),
    _E.DISCLOSURE_APPROVE_LEDGER_ENTRY: EventDisplay(("entry_number",)),
    # The target is the corrected entry; the correcting entry is written from this audit entry.
    _E.DISCLOSURE_CORRECT_LEDGER_ENTRY: EventDisplay(("corrected_number", "changes")),
    _E.DISCLOSURE_EXPORT_LEDGER: EventDisplay(("format", "rows")),
    _E.DISCLOSURE_REMIND_DESTRUCTION: EventDisplay(("case_number", "destroy_by", "days_left", "recipients")),
    _E.DISCLOSURE_REMIND_PUBLICATION: EventDisplay(("case_number", "publish_by", "days_left", "recipients")),
    _E.DISCLOSURE_ADD_REQUESTING_BODY: EventDisplay(("requesting_body", "body_kind")),
    _E.DISCLOSURE_CREATE_EXTERNAL_ACCOUNT: EventDisplay(
        ("username", "officer_body", "body_added", "officer_department", "officer_position")
    ),
    _E.CONTROL_PLAN_SHIFT: EventDisplay(("shift_kind", "start", "end", "members")),
    _E.CONTROL_HAND_OVER: EventDisplay(("shift", "received_by", "open_matters")),
    _E.CONTROL_SECURITY_CHECK: EventDisplay(("checked_person", "confirmed", "findings", "all_clear")),
    _E.CONTROL_REQUEST_VISIT: EventDisplay(("visitor", "organisation", "purpose", "visit_on", "host")),
    _E.CONTROL_APPROVE_VISIT: EventDisplay(("visitor", "visit_on")),
    _E.CONTROL_REFUSE_VISIT: EventDisplay(("visitor", "visit_on")),
    _E.CONTROL_VISITOR_ENTERED: EventDisplay(("visitor", "badge", "escort")),
    _E.CONTROL_VISITOR_LEFT: EventDisplay(("visitor", "confirmed", "findings", "all_clear")),
    _E.CONTROL_IMPORT_DOOR_LOG: EventDisplay(
        ("file", "sha256", "rows", "matched", "staff_entries", "unapproved")
    ),
    _E.CONTROL_APPOINT_MEMBER: EventDisplay(
        ("name", "membership", "office", "term_starts_on", "term_ends_on")
    ),
    _E.CONTROL_ADD_TERM: EventDisplay(("name", "term_starts_on", "term_ends_on", "renewal")),
    _E.CONTROL_RECORD_MEETING: EventDisplay(("title", "held_on", "attendees")),
    _E.CONTROL_ADD_AGENDA_ITEM: EventDisplay(("meeting", "topic", "title")),
    _E.CONTROL_RECORD_DECISION: EventDisplay(("agenda_item", "resolution", "provisions")),
    _E.CONTROL_WATCH_LIVE: EventDisplay(("live_viewing", "device", "layout", "replay", "live_hours")),
    _E.CONTROL_SAVE_WALL_LAYOUT: EventDisplay(("layout_name", "layout", "tiles")),
    # control (오산시 지침 제21조③, 제27조, 제31조④)
    _E.CONTROL_LOG_INCIDENT: EventDisplay(
        ("incident_number", "incident_kind", "device", "seen_at", "hold", "start", "end", "notified")
    ),
    _E.CONTROL_READ_INCIDENT_NOTICE: EventDisplay(("incident_number", "sent_at")),
    _E.CONTROL_REPORT_INCIDENT: EventDisplay(
        ("incident_number", "notified_body", "report_receiver", "reported_at")
    ),
    _E.CONTROL_FOLLOW_UP_INCIDENT: EventDisplay(("incident_number", "note")),
    _E.CONTROL_CLOSE_INCIDENT: EventDisplay(("incident_number", "hold_decision", "hold", "ends_on")),
    _E.CONTROL_OPEN_TICKET: EventDisplay(("ticket", "fault", "device", "recorder", "fault_since")),
    _E.CONTROL_CLOSE_TICKET: EventDisplay(("ticket", "fault", "device", "outage", "recovered", "repair")),
    _E.CONTROL_RECORD_INSPECTION: EventDisplay(("device", "checked_on", "items", "inspection_result")),
    _E.CONTROL_EXPORT_INSPECTIONS: EventDisplay(("format", "date_from", "date_to", "rows")),
    # control: the yearly self-inspection (R8)
    _E.CONTROL_START_SELF_INSPECTION: EventDisplay(("inspection_year", "auto_items", "nonconforming_items")),
    _E.CONTROL_ANSWER_SELF_INSPECTION: EventDisplay(
        ("inspection_year", "check_item", "verdict", "proposed_verdict", "verdict_remark")
    ),
    _E.CONTROL_RECORD_SELF_INSPECTION_FINDING: EventDisplay(
        ("inspection_year", "check_item", "finding", "follow_up", "follow_up_due")
    ),
    _E.CONTROL_COMPLETE_SELF_INSPECTION: EventDisplay(
        ("inspection_year", "nonconforming_items", "finding_count", "summary_opinion")
    ),
    _E.CONTROL_EXPORT_SELF_INSPECTION: EventDisplay(("inspection_year", "format")),
    _E.CONTROL_MOVE_PTZ: EventDisplay(
        (
            "ptz_move",
            "device",
            "move_kind",
            "preset_name",
            "requested_position",
            "from_position",
            "to_position",
            "matched_preset",
            "privacy_zones_viewed",
            "ptz_error",
        )
    ),
    _E.CONTROL_PTZ_ALERT: EventDisplay(("ptz_move", "device", "to_position", "ptz_alert")),
    _E.CONTROL_CLOSE_PTZ_ALERT: EventDisplay(("ptz_move", "device", "ptz_alert", "alert_note")),
}

KEY_LABELS: dict[str, str] = {
    # training and outsourcing contracts (jikimi.accounts; 오산시 지침 제25조, 제28조)
    "course": "교육 과정",
    "roles": "이수 대상 역할",
    "validity_months": "유효기간(개월)",
    "completed_on": "이수일",
    "evidence": "증빙",
    "contractor_name": "수탁자",
    "task": "위탁업무",
    "period_start": "위탁기간 시작",
    "period_end": "위탁기간 끝",
    "clauses_missing": "기록되지 않은 필수 사항",
    "inspected_on": "점검일",
    # the control centre: shifts, the controlled room, the operating committee (오산시 지침 제21조–제24조)
    "shift_kind": "근무 구분",
    "members": "근무자",
    "shift": "근무조",
    "received_by": "인수자",
    "open_matters": "미결 사항 있음",
    "checked_person": "검색 대상",
    "confirmed": "확인 항목",
    "findings": "점검 결과·특이 사항",
    "all_clear": "이상 없음(전 항목 확인)",
    "visitor": "방문자",
    "organisation": "소속",
    "purpose": "방문 목적",
    "visit_on": "방문일",
    "host": "방문 대상",
    "badge": "출입증 번호",
    "escort": "동행자",
    "matched": "승인된 방문과 맞춘 건수",
    "staff_entries": "근무자 출입 건수",
    "unapproved": "승인 없는 출입",
    "membership": "위원 구분",
    "office": "직책",
    "term_starts_on": "임기 시작",
    "term_ends_on": "임기 끝",
    "renewal": "연임",
    "held_on": "개최일",
    "attendees": "참석 위원",
    "meeting": "회의",
    "topic": "안건 구분",
    "agenda_item": "안건",
    "resolution": "의결 결과",
    "provisions": "심의한 제3자 제공",
    # the control centre (jikimi.control): incidents, camera health
    "incident_number": "관제 사건 번호",
    "incident_kind": "사건 구분",
    "seen_at": "발견 시각",
    "hold": "분리 보관 번호",
    "notified": "통보받은 상황실 경찰",
    "sent_at": "통보 시각",
    "notified_body": "통보 기관",
    "report_receiver": "접수자",
    "reported_at": "통보 시각",
    "note": "내용",
    "hold_decision": "분리 보관 결정",
    # the recorder fleet (jikimi.vault.actions.leases; issue 18)
    "taken_by": "인계받은 녹화기",
    "ticket": "유지보수 번호",
    "fault": "장애 구분",
    "fault_since": "장애 시작",
    "recovered": "자동 복구 확인",
    "repair": "수리 내용",
    "checked_on": "점검일",
    "items": "점검 항목",
    "inspection_result": "점검 결과",
    # provisions and the 관리대장 (jikimi.disclosure)
    "case_number": "사건번호",
    "entry_number": "관리대장 번호",
    "corrected_number": "정정 대상 번호",
    "rows": "행 수",
    # what follows a provision: destruction, notice to the data subject, publication (issue 14)
    "destroyed_on": "파기 일자",
    "destroy_by": "파기 기한",
    "destruction_method": "파기 방법",
    "report_channel": "파기 통보 경로",
    "subject_notice": "정보주체 통지",
    "notified_on": "통지 일자",
    "notice_method": "통지 방법",
    "publish_by": "공개 기한",
    "published_late": "공개 기한 지나 공개",
    "published_purpose": "공개한 목적",
    "published_items": "공개한 항목",
    "delivery_kind": "제공 방법",
    "original": "원본 제공",
    "sha256s": "제공 파일 해시(SHA-256)",
    "receiver": "인수자",
    "sign_method": "서명 방법",
    "signature_sha256": "서명 이미지 해시(SHA-256)",
    "receipt_sha256": "인수증 해시(SHA-256)",
    "requesting_body": "요청 기관",
    "legal_ground": "제공 근거(개인정보 보호법 제18조제2항)",
    "urgent": "긴급",
    "original_requested": "원본 요청",
    "original_approved": "원본 제공 승인",
    "approval_kind": "승인 구분",
    "mask_third_parties": "제3자 마스킹",
    "holds_ended": "종료한 보존 조치 수",
    "body_kind": "기관 구분",
    # the portal's external accounts
    "officer_body": "소속 요청 기관",
    "body_added": "요청 기관 새로 등록",
    "officer_department": "담당자 소속 부서",
    "officer_position": "담당자 직급",
    # people and logins
    "username": "아이디",
    "institution": "기관",
    "department": "부서",
    "departments": "부서",
    "locked_until": "잠금 해제 시각",
    "cause": "원인",
    "consecutive_failures": "연속 실패 횟수",
    "minutes": "차단 시간(분)",
    "address": "접속지",
    "blocked_until": "차단 해제 시각",
    "recovery_codes": "복구 코드 수",
    "recovery_codes_left": "남은 복구 코드 수",
    "authenticator_apps": "인증 앱 수",
    "recovery_devices": "복구 코드 묶음 수",
    "method": "방법",
    "grant": "부여 번호",
    "role": "역할",
    "device_groups": "기기 묶음",
    "unlocked": "잠금 해제",
    # the log itself
    "via": "경로",
    "filter": "조건",
    "page": "쪽",
    "shown": "표시한 순번",
    "month": "점검 월",
    "query": "조회 조건",
    "entry": "항목 번호",
    "count": "건수",
    "ok": "이상 없음",
    "problem": "이상 내용",
    "last_checkpoint": "마지막 외부 고정점",
    "archived_through": "보관 이전된 마지막 순번",
    "before": "기준일(이전분)",
    "first_sequence": "첫 순번",
    "last_sequence": "마지막 순번",
    "sequence": "순번",
    "anchored_at": "고정 시각",
    "checkpoint": "고정점",
    "message": "내용",
    "format": "형식",
    "covers": "점검 범위",
    "downloads": "내려받기 건수",
    "handed_over_at": "인계 시각",
    "file_missing": "보관 파일이 이미 없었음",
    "after_hours": "근무시간 외 열람 건수",
    "outliers": "열람량 이상자",
    "actor": "행위자",
    "action": "행위",
    "target": "대상",
    "target_type": "대상 유형",
    "date_from": "시작일",
    "date_to": "종료일",
    "include_views": "열람 기록 포함",
    # the register
    "file": "파일",
    "sha256": "해시(SHA-256)",
    # sites' coordinates from the 공공데이터 CCTV정보 file (issue 17)
    "filled": "좌표를 채운 설치 위치",
    "unchanged": "이미 같은 좌표인 위치 수",
    "unmatched": "일치하는 위치가 없는 줄 수",
    "ambiguous": "여러 위치와 일치한 줄",
    "conflicts": "충돌(바꾸지 않음)",
    "bad_lines": "좌표를 읽을 수 없는 줄 수",
    "replaced": "기존 대장 교체",
    "counts": "건수",
    "warnings": "경고",
    "moved_devices": "이동한 기기 수",
    "term_changes": "보관기간·촬영시간 변경",
    "rescopes": "관리부서 변경",
    "changes": "변경 내용",
    "section": "대장 항목",
    "previous": "이전 판",
    "changed_sections": "바뀐 장",
    "key": "식별자",
    "devices": "기기",
    "device_group": "기기 묶음",
    "location": "위치",
    "location_name": "위치 이름",
    "locations": "위치 목록",
    "retention": "보관기간",
    "recording_hours": "촬영시간",
    "footage_days": "보관 중인 영상 일수",
    "due_days": "곧 파기될 영상 일수",
    "officers": "담당자",
    "contractors": "위탁",
    "declared_totals": "공표 합계",
    "number": "판 번호",
    "announced_on": "공고일",
    "effective_on": "시행일",
    # a section of the policy's own text (the register file's policy.sections)
    "body": "본문",
    "title": "제목",
    "item": "시행령 제25조① 항목(호)",
    "adopted_on": "채택일",
    "generated": "생성 항목",
    "position": "순서",
    # devices and footage
    "name": "이름",
    "source": "원본",
    "from": "이전 상태",
    "to": "바뀐 상태",
    "detail": "세부",
    "warning": "경고",
    "outage": "중단 기록 번호",
    "recorder": "녹화기",
    "from_recorder": "이전 녹화기",
    "taken_at": "인수 시각",
    "footage_from": "영상 시작 시각",
    "start": "시작",
    "end": "끝",
    "seconds": "길이(초)",
    "reason": "사유",
    "segments": "조각 수",
    "bytes": "크기(바이트)",
    "audio_dropped": "음성 제거",
    "outside_hours": "촬영시간 밖이라 버린 구간",
    "viewing": "열람 번호",
    # the live wall (jikimi.control)
    "live_viewing": "실시간 관제 번호",
    "layout": "화면 분할 수",
    "layout_name": "화면 배치 이름",
    "tiles": "화면별 기기 번호",
    "replay": "최근 영상 다시 보기",
    "live_hours": "관제 시간 구분",
    "device": "기기 번호",
    "footage_seconds": "찾은 영상 길이(초)",
    "requester": "요청자",
    "ends_on": "보존 종료일",
    "previous_ends_on": "이전 보존 종료일",
    "case_reference": "사건 번호",
    "type": "구분",
    "key_id": "키 번호",
    "destruction": "파기 기록 번호",
    "day": "영상 날짜",
    "files": "파일",
    "prefix": "경로",
    "destroyed_at": "파기 시각",
    "officer": "처리자",
    "deadline": "파기 기한",
    "overdue": "기한 넘김",
    "stored_bytes": "저장 크기(바이트)",
    "clock": "서버 시계",
    "counting_day": "기준일",
    "keys": "키",
    "trusted": "시계 신뢰",
    "overridden": "확인 사유",
    "segment": "조각 번호",
    "object": "저장 객체",
    "kind": "종류",
    "raised_at": "발생 시각",
    "clock_behind": "시계 되돌림",
    "behind_seconds": "뒤처진 시간(초)",
    # requests (disclosure)
    "document": "확인한 서류",
    "proxy": "대리 청구",
    "due_on": "처리 기한",
    "previous_due_on": "이전 처리 기한",
    "late": "기한 지나 연장",
    "days_left": "남은 날(일)",
    "recipients": "받는 사람",
    "previous_state": "이전 상태",
    "stalled_since": "멈춘 작업의 마지막 진행 시각",
    "worker": "작업 워커",
    "attempt": "시도 차수",
    "max_attempts": "최대 시도 횟수",
    "lease_expired_at": "작업 점유 만료 시각",
    "recovery": "복구 결과",
    "queued_at": "대기열 등록 시각",
    "package_job": "제공 파일 작업",
    "package_state": "제공 파일 작업 상태",
    "requested_reason": "요청한 회수 사유",
    "package_kind": "제공 파일 종류",
    # citizens' requests (disclosure)
    "receipt_number": "접수번호",
    "channel": "접수 경로",
    "subject_is_requester": "본인 청구",
    "place_text": "설치장소 (직접 입력)",
    "attachments": "첨부서류 수",
    "holds": "분리 보관 수",
    "attachment": "첨부서류 번호",
    "attachment_kind": "첨부서류 종류",
    "size": "크기(바이트)",
    "kept": "남긴 조각 수(새 키로 다시 암호화)",
    # requests: decisions, letters and fees (disclosure)
    "decision": "결정 번호",
    "outcome": "결정 내용",
    "grounds": "거부·제한 근거",
    "limited": "제한하는 내용",
    "viewing_at": "열람 일시",
    "viewing_place": "열람 장소",
    "destructions": "파기 기록 번호",
    "letter_sha256": "통지서 해시(SHA-256)",
    "letter": "통지서(결정 번호 또는 연장 번호)",
    "postponement": "연장 번호",
    "fee_amount": "수수료(원)",
    "fee_status": "수수료 상태",
    "fee_payment": "납부 방법",
    "fee_cause_institution": "기관 사유로 수수료 없음",
    # the masked copy of a request (R25, R42)
    "job": "마스킹 작업 번호",
    "correction": "검토 내용",
    "track": "추적 번호",
    "region": "수동 영역",
    "start_frame": "시작 프레임",
    "end_frame": "끝 프레임",
    "box": "사각형(좌, 상, 우, 하)",
    "overrides": "반영할 수정",
    "subject_track": "정보주체 추적 번호",
    "manual_regions": "수동 영역",
    "dropped_tracks": "제외한 추적",
    "original_sha256": "원본 해시(SHA-256)",
    "derivative_sha256": "마스킹본 해시(SHA-256)",
    "delivery": "제공 번호",
    "expires_at": "제공 기한",
    # the yearly self-inspection (R8)
    "inspection_year": "점검 연도",
    "auto_items": "자동 점검 항목 수",
    "nonconforming_items": "부적합 항목",
    "check_item": "점검 항목",
    "verdict": "판정",
    "proposed_verdict": "자동 판정",
    "verdict_remark": "비고",
    "finding": "지적 사항",
    "follow_up": "후속 조치",
    "follow_up_due": "조치 기한",
    "finding_count": "지적 사항 수",
    "summary_opinion": "종합 의견",
    # pan/tilt/zoom (R14; jikimi.control.actions.ptz, jikimi.inventory.actions.ptz)
    "ptz_move": "PTZ 조작 번호",
    "move_kind": "조작 방법",
    "preset_name": "요청한 프리셋",
    "requested_position": "요청한 화각",
    "from_position": "이동 전 화각",
    "to_position": "이동 후 화각",
    "matched_preset": "일치한 승인 프리셋",
    "privacy_zones_viewed": "비춘 사생활 보호 구역",
    "ptz_error": "조작 실패 사유",
    "ptz_alert": "경보 내용",
    "alert_note": "경보 확인 내용",
    "onvif_address": "ONVIF 주소",
    "profile_token": "미디어 프로필",
    "ptz_presets": "PTZ 승인 프리셋",
    "privacy_zones": "사생활 보호 구역",
}

# Codes the actions store, as a person reads them (the key they are stored under → code → label).
VALUE_LABELS: dict[str, dict[str, str]] = {
    # jikimi.rules.live_monitoring.LiveHours (audit imports no app above it: the words are repeated)
    "live_hours": {
        "in_hours": "운영시간 내 관제",
        "off_hours": "운영시간 외 공익 관제 (오산시 지침 제19조②)",
    },
    "recovery": {
        "requeued": "다른 작업 워커에 다시 맡김",
        "failed": "시도 횟수를 다 써 실패 처리",
        "reenqueued": "대기열에서 사라진 작업을 다시 넣음",
    },
    "report_channel": {"portal": "제공받은 기관의 온라인 통보", "staff": "직원이 파기 확인서(스캔) 등록"},
    "cause": {
        "wrong_password": "비밀번호 틀림",
        "unknown_user": "없는 아이디",
        "locked": "잠긴 계정",
        "inactive": "비활성 계정",
        "address_blocked": "접속지 차단 중",
        "no_device": "등록된 인증 수단 없음",
        "device_throttled": "인증 코드 연속 오류로 입력 제한",
        "wrong_code": "인증 코드 틀림",
        "wrong_recovery_code": "복구 코드 틀림",
        "wrong_code_at_enrolment": "등록 중 인증 코드 틀림",
        "not_external": "외부 기관 담당자 계정이 아님(제공 요청 포털)",
        "contract": "수탁자 계정: 유효한 위탁 계약 없음",
    },
    "method": {"totp": "인증 앱", "recovery_code": "복구 코드"},
    "sign_method": {"on_screen": "화면 서명", "scan": "종이 서명 스캔"},
    "via": {
        "page": "화면",
        "api": "API",
        "admin": "관리 화면",
        "review": "월간 점검 화면",
        "status_link": "청구인 상태 확인 링크",
    },
    "format": {"xlsx": "엑셀(xlsx)"},
    # jikimi.control.models.PtzMove.Kind (repeated: audit imports no app above it)
    "move_kind": {
        "preset": "승인 프리셋으로 이동",
        "position": "좌표 지정 이동",
        "nudge": "연속 이동(조이스틱)",
        "observed": "jikimi 밖의 조작(점검에서 발견)",
    },
    "correction": {
        "subject": "정보주체 지정(가리지 않음)",
        "no_subject": "정보주체 지정 취소",
        "drop": "오검출 제외",
        "restore": "다시 가림",
        "add_region": "수동 영역 추가",
        "remove_region": "수동 영역 삭제",
        "rerender": "다시 렌더링",
    },
    "kind": {
        "periodic": "정기",
        "archive": "보관 이전",
        "modified": "내용 변조",
        "deleted": "삭제",
        "truncated": "뒷부분 잘림",
        "inserted": "끼워 넣음",
        "reordered": "순서 바뀜",
        "time": "시각 역행",
        "head": "체인 머리 없음",
        "checkpoint": "고정점 서명 불일치",
        "unreadable": "고정점 읽기 실패",
        "rewritten": "고정점 이후 재작성",
    },
}

# Codes whose labels are the choices of a model field: (event, key) → (model label, field name). Read
# through Django's app registry, so the audit app imports none of the apps above it.
VALUE_CHOICES: dict[tuple[AuditEvent, str], tuple[str, str]] = {
    (_E.ACCOUNTS_GRANT_ROLE, "role"): ("accounts.RoleGrant", "role"),
    (_E.ACCOUNTS_REVOKE_ROLE, "role"): ("accounts.RoleGrant", "role"),
    (_E.VAULT_DEVICE_STATE, "from"): ("inventory.Device", "status"),
    (_E.VAULT_DEVICE_STATE, "to"): ("inventory.Device", "status"),
    (_E.VAULT_RAISE_ALERT, "kind"): ("vault.VaultAlert", "kind"),
    (_E.VAULT_ACKNOWLEDGE_ALERT, "kind"): ("vault.VaultAlert", "kind"),
    (_E.DISCLOSURE_VERIFY_IDENTITY, "method"): ("disclosure.IdentityCheck", "method"),
    (_E.DISCLOSURE_CLOSE, "previous_state"): ("disclosure.SubjectRequest", "state"),
    (_E.DISCLOSURE_WITHDRAW, "previous_state"): ("disclosure.SubjectRequest", "state"),
    (_E.DISCLOSURE_FILE_REQUEST, "kind"): ("disclosure.SubjectRequest", "kind"),
    (_E.DISCLOSURE_FILE_REQUEST, "channel"): ("disclosure.SubjectRequest", "channel"),
    (_E.DISCLOSURE_VIEW_ATTACHMENT, "attachment_kind"): ("disclosure.RequestAttachment", "kind"),
    (_E.DISCLOSURE_DECIDE, "outcome"): ("disclosure.Decision", "outcome"),
    (_E.DISCLOSURE_RECORD_FEE, "fee_status"): ("disclosure.Decision", "fee_status"),
    (_E.DISCLOSURE_RECORD_FEE, "fee_payment"): ("disclosure.Decision", "fee_payment"),
    (_E.DISCLOSURE_PREPARE_COPY, "kind"): ("disclosure.CopyDelivery", "kind"),
    (_E.DISCLOSURE_ORDER_PACKAGE, "package_kind"): ("disclosure.PackageJob", "kind"),
    (_E.DISCLOSURE_WITHDRAW_PACKAGE, "package_kind"): ("disclosure.PackageJob", "kind"),
    (_E.DISCLOSURE_DESTROY_EXPIRED_PACKAGE, "package_kind"): ("disclosure.PackageJob", "kind"),
    (_E.DISCLOSURE_WITHDRAW_PACKAGE_REFUSED, "package_kind"): ("disclosure.PackageJob", "kind"),
    (_E.DISCLOSURE_WITHDRAW_PACKAGE_REFUSED, "package_state"): ("disclosure.PackageJob", "state"),
    (_E.DISCLOSURE_CLOSE_PROVISION, "previous_state"): ("disclosure.ProvisionCase", "state"),
    (_E.DISCLOSURE_NOTIFY_SUBJECT, "subject_notice"): ("disclosure.ProvisionCase", "subject_notice"),
    (_E.DISCLOSURE_PROVIDE_FOOTAGE, "delivery_kind"): ("disclosure.ProvisionCase", "delivery"),
    (_E.DISCLOSURE_FILE_PROVISION, "channel"): ("disclosure.ProvisionCase", "channel"),
    (_E.DISCLOSURE_FILE_PROVISION, "legal_ground"): ("disclosure.ProvisionCase", "legal_ground"),
    (_E.DISCLOSURE_APPROVE_PROVISION, "legal_ground"): ("disclosure.ProvisionCase", "legal_ground"),
    (_E.DISCLOSURE_APPROVE_PROVISION, "approval_kind"): ("disclosure.ProvisionCase", "approval_kind"),
    (_E.DISCLOSURE_REFUSE_PROVISION, "legal_ground"): ("disclosure.ProvisionCase", "legal_ground"),
    (_E.DISCLOSURE_VIEW_PROVISION, "attachment_kind"): ("disclosure.ProvisionAttachment", "kind"),
    (_E.DISCLOSURE_ADD_REQUESTING_BODY, "body_kind"): ("disclosure.RequestingBody", "kind"),
    (_E.CONTROL_PLAN_SHIFT, "shift_kind"): ("control.Shift", "kind"),
    (_E.CONTROL_APPOINT_MEMBER, "membership"): ("control.CommitteeMember", "kind"),
    (_E.CONTROL_APPOINT_MEMBER, "office"): ("control.CommitteeMember", "office"),
    (_E.CONTROL_ADD_AGENDA_ITEM, "topic"): ("control.AgendaItem", "topic"),
    (_E.CONTROL_RECORD_DECISION, "resolution"): ("control.Decision", "outcome"),
    (_E.CONTROL_LOG_INCIDENT, "incident_kind"): ("control.Incident", "kind"),
    (_E.CONTROL_REPORT_INCIDENT, "notified_body"): ("control.Incident", "report_channel"),
    (_E.CONTROL_CLOSE_INCIDENT, "hold_decision"): ("control.Incident", "hold_decision"),
    (_E.CONTROL_OPEN_TICKET, "fault"): ("control.MaintenanceTicket", "fault"),
    (_E.CONTROL_CLOSE_TICKET, "fault"): ("control.MaintenanceTicket", "fault"),
    (_E.CONTROL_RECORD_INSPECTION, "inspection_result"): ("control.InspectionCheck", "result"),
    (_E.CONTROL_ANSWER_SELF_INSPECTION, "verdict"): ("control.SelfInspectionItem", "answer"),
    (_E.CONTROL_ANSWER_SELF_INSPECTION, "proposed_verdict"): ("control.SelfInspectionItem", "proposed"),
}

# Keys whose value, when a list of two, is [before, after].
PAIR_KEYS = frozenset(
    {"retention", "recording_hours", "department", "device_group", "location", "location_name"}
)


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


# The keys of a section of the policy's own text (the register file's policy.sections[]), which the
# audit entries about the policy document hold beside its fields.
POLICY_SECTION_LABELS = {
    "covers": "다루는 방침 항목",
    "choices": "청구서 선택 항목",
    "example_period": "기록기간 예시",
    "example_place": "설치장소 예시",
    "policy_name": "청구서에 적힌 방침 이름",
}


def _field_label(model_label: str, name: str) -> str:
    if model_label == "inventory.PolicyDocument" and name in POLICY_SECTION_LABELS:
        return POLICY_SECTION_LABELS[name]
    model = _model(model_label) if model_label else None
    if model is not None:
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
        else:
            # A field without a verbose_name of its own (a foreign key such as `department`) is named
            # by Django in English: the log's own Korean name reads better.
            if label != name.replace("_", " ") or name not in KEY_LABELS:
                return label
    return KEY_LABELS.get(name, name)


def _choice_label(model_label: str, field: str, code: str) -> str | None:
    model = _model(model_label)
    if model is None:
        return None
    try:
        choices = dict(model._meta.get_field(field).flatchoices)
    except FieldDoesNotExist:
        return None
    found = choices.get(code)
    return None if found is None else str(found)


def _moment(value: str) -> str:
    return f"{datetime.fromisoformat(value).astimezone(SEOUL):%Y-%m-%d %H:%M:%S}"


def _scalar(key: str, value: Any, event: AuditEvent | None) -> str:
    if value is None or value == "":
        return "없음"
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, int | float):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    text = str(value)
    if _MOMENT.fullmatch(text):
        return _moment(text)
    if key == "action":
        return APP_LABELS.get(text) or label_of(text)
    if key in ("generated", "covers"):
        # What a section of the policy is generated from, as the register page names it.
        document = _model("inventory.PolicyDocument")
        found = getattr(document, "GENERATED_SECTIONS", {}).get(text)
        if found is not None:
            return str(found)
    if event is not None and (event, key) in VALUE_CHOICES:
        found = _choice_label(*VALUE_CHOICES[(event, key)], text)
        if found is not None:
            return found
    return VALUE_LABELS.get(key, {}).get(text, text)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _value(key: str, value: Any, event: AuditEvent | None, *, pair: bool = False) -> str:
    if isinstance(value, dict):
        return _record(value, event)
    if isinstance(value, list):
        if pair and len(value) == 2:
            return f"{_value(key, value[0], event)} → {_value(key, value[1], event)}"
        if key == "shown" and len(value) == 2:
            return f"#{value[1]} ~ #{value[0]}"
        if not value:
            return "없음"
        if all(_is_scalar(item) for item in value):
            return ", ".join(_scalar(key, item, event) for item in value)
        return "; ".join(_value(key, item, event) for item in value)
    return _scalar(key, value, event)


_FIRST_KEYS = {"start": 0, "end": 1}


def _record(details: dict[str, Any], event: AuditEvent | None, model_label: str = "") -> str:
    """A nested record on one line: "라벨 값, 라벨 값" (a changed field reads "이전 → 이후")."""
    if not details:
        return "없음"
    parts = []
    # A period reads from its start to its end; other keys in a fixed order.
    for key in sorted(details, key=lambda name: (_FIRST_KEYS.get(name, len(_FIRST_KEYS)), name)):
        label = _field_label(model_label, key) if model_label else KEY_LABELS.get(key, key)
        pair = bool(model_label) or key in PAIR_KEYS
        parts.append(f"{label} {_value(key, details[key], event, pair=pair)}")
    return ", ".join(parts)


def detail_lines(action: str, details: dict[str, Any], target_type: str = "") -> list[DetailLine]:
    """The details of an entry as "항목: 값" lines, in the order its event declares them."""
    if not details:
        return []
    try:
        event: AuditEvent | None = AuditEvent(action)
    except ValueError:
        event = None
    shape = EVENT_DISPLAYS.get(event, EventDisplay()) if event is not None else EventDisplay()
    known = [key for key in shape.keys if key in details]
    rest = sorted(key for key in details if key not in shape.keys)
    lines = []
    for key in [*known, *rest]:
        value = details[key]
        if shape.fields_changed and key != "clock_behind":
            lines.append(DetailLine(_field_label(target_type, key), _value(key, value, event, pair=True)))
        elif key == "changes" and isinstance(value, dict):
            lines.append(DetailLine(KEY_LABELS["changes"], _record(value, event, target_type or "-")))
        else:
            label = KEY_LABELS.get(key, key)
            lines.append(DetailLine(label, _value(key, value, event, pair=key in PAIR_KEYS)))
    return lines


def details_text(action: str, details: dict[str, Any], target_type: str = "") -> str:
    """The lines of `detail_lines` joined, one a line (the export's 세부 column)."""
    return "\n".join(str(line) for line in detail_lines(action, details, target_type))


def filter_text(described: dict[str, str]) -> str:
    """A filter as recorded (EntryFilterForm.described) as one Korean line: "행위 로그인 실패, 시작일 …"."""
    return _record(described, None) if described else ""
