"""Every event's details read as Korean "항목: 값" lines, never as a raw dict (R40: the monthly review
is done by people reading the log, in Korean, in Seoul time)."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import jikimi
from jikimi.audit.display import EVENT_DISPLAYS, KEY_LABELS, detail_lines, details_text, filter_text
from jikimi.audit.events import AuditEvent

E = AuditEvent
AT = "2026-11-22T23:59:00Z"  # 2026-11-23 08:59:00 in Seoul
TERM = {
    "device": 7,
    "name": "정문 1번",
    "location": "정문",
    "retention": ["30일", "14일"],
    "recording_hours": ["상시", "평일 07:00~09:00"],
    "footage_days": 12,
    "due_days": 2,
}
HOLD_END = {"type": "파기", "key_id": "hold-3", "segments": 4, "destruction": 9}
OUTAGE = {"outage": 3, "recorder": "녹화기1", "start": AT, "end": AT, "seconds": 60.0, "reason": "전원 차단"}

# Details as the actions write them (jikimi/*/actions), one representative per event.
SAMPLES: dict[AuditEvent, tuple[str, dict[str, Any]]] = {
    E.ACCOUNTS_CREATE_USER: ("", {"username": "alice", "institution": "incheon", "department": "교통행정과"}),
    E.ACCOUNTS_UPDATE_USER: (
        "accounts.User",
        {"name": ["김앨리스", "김엘리스"], "is_active": [False, True], "unlocked": True},
    ),
    E.ACCOUNTS_DEACTIVATE_USER: ("", {}),
    E.ACCOUNTS_RESET_PASSWORD: ("", {}),
    E.ACCOUNTS_CHANGE_PASSWORD: ("", {}),
    E.ACCOUNTS_UNLOCK_USER: ("", {"locked_until": "2026-11-22T23:59:00+00:00"}),
    E.ACCOUNTS_LOGIN: ("", {}),
    E.ACCOUNTS_LOGIN_FAILED: ("", {"cause": "wrong_password", "consecutive_failures": 3}),
    E.ACCOUNTS_LOCKED: ("", {"locked_until": AT, "minutes": 30}),
    E.ACCOUNTS_LOGOUT: ("", {}),
    E.ACCOUNTS_ADDRESS_BLOCKED: ("", {"address": "10.0.0.9", "blocked_until": AT, "minutes": 15}),
    E.ACCOUNTS_SECOND_FACTOR_ENROLLED: ("", {"device": "otp_totp.totpdevice/3", "recovery_codes": 10}),
    E.ACCOUNTS_SECOND_FACTOR_VERIFIED: ("", {"method": "recovery_code"}),
    E.ACCOUNTS_SECOND_FACTOR_FAILED: ("", {"cause": "wrong_code"}),
    E.ACCOUNTS_RECOVERY_CODE_USED: ("", {"recovery_codes_left": 9}),
    E.ACCOUNTS_SECOND_FACTOR_RESET: ("", {"authenticator_apps": 1, "recovery_devices": 1}),
    E.ACCOUNTS_ADD_COURSE: (
        "",
        {"course": "영상정보 보호 교육", "roles": ["관제요원", "수탁자"], "validity_months": 12},
    ),
    E.ACCOUNTS_RECORD_TRAINING: (
        "",
        {
            "course": "영상정보 보호 교육",
            "username": "alice",
            "completed_on": "2026-03-02",
            "evidence": "수료증 제12호",
        },
    ),
    E.ACCOUNTS_RECORD_CONTRACT: (
        "",
        {
            "contractor_name": "㈜영창티엠에스",
            "task": "통합관제센터 관제(모니터링)",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "clauses_missing": ["손해배상 등 책임에 관한 사항"],
        },
    ),
    E.ACCOUNTS_UPDATE_CONTRACT: ("accounts.Contract", {"period_end": ["2024-12-31", "2025-12-31"]}),
    E.ACCOUNTS_ASSIGN_CONTRACT_STAFF: ("", {"contractor_name": "㈜영창티엠에스", "username": "alice"}),
    E.ACCOUNTS_RELEASE_CONTRACT_STAFF: ("", {"contractor_name": "㈜영창티엠에스", "username": "alice"}),
    E.ACCOUNTS_INSPECT_CONTRACTOR: (
        "",
        {
            "contractor_name": "㈜영창티엠에스",
            "inspected_on": "2026-05-04",
            "findings": "접근 기록 이상 없음",
        },
    ),
    E.ACCOUNTS_ALERT_CONTRACT_END: (
        "",
        {
            "contractor_name": "㈜영창티엠에스",
            "period_end": "2024-12-31",
            "days_left": 30,
            "recipients": ["alice"],
        },
    ),
    E.ACCOUNTS_GRANT_ROLE: (
        "",
        {
            "grant": 4,
            "role": "auditor",
            "institution": "incheon",
            "departments": ["총무과"],
            "device_groups": [],
        },
    ),
    E.ACCOUNTS_REVOKE_ROLE: (
        "",
        {
            "grant": 4,
            "role": "officer",
            "institution": "incheon",
            "departments": [],
            "device_groups": ["정문"],
        },
    ),
    E.AUDIT_VIEW_LOG: (
        "",
        {
            "filter": {"action": "accounts.login_failed", "date_from": "2026-11-01"},
            "page": 1,
            "shown": [40, 1],
        },
    ),
    E.AUDIT_VERIFY: (
        "",
        {
            "count": 12,
            "ok": False,
            "problem": {"sequence": 3, "kind": "modified", "message": "항목 #3의 내용이 바뀌었습니다"},
            "last_checkpoint": {"sequence": 2, "anchored_at": AT, "kind": "periodic"},
            "archived_through": 0,
        },
    ),
    E.AUDIT_ARCHIVE: (
        "",
        {
            "before": "2024-11-01",
            "first_sequence": 1,
            "last_sequence": 900,
            "count": 900,
            "file": "/var/audit/보관.jsonl",
            "sha256": "ab12",
            "checkpoint": {"sequence": 900, "anchored_at": AT},
        },
    ),
    E.AUDIT_EXPORT_LOG: (
        "",
        {"filter": {"actor": "정감사 (auditor)", "include_views": "예"}, "count": 3, "format": "xlsx"},
    ),
    E.AUDIT_SIGN_REVIEW: (
        "",
        {
            "month": "2026-11",
            "covers": "기관 전체",
            "downloads": 1,
            "after_hours": 2,
            "outliers": ["김앨리스 (alice)"],
        },
    ),
    E.INVENTORY_IMPORT_REGISTER: (
        "",
        {
            "file": "인천.yaml",
            "sha256": "ab12",
            "replaced": True,
            "counts": {"departments": 2, "devices": 10},
            "warnings": ["합계가 다릅니다"],
            "moved_devices": 1,
            "term_changes": [
                {
                    "device_group": "정문",
                    "location": "정문",
                    "devices": ["정문 1번"],
                    "retention": ["30일", "14일"],
                    "recording_hours": ["상시", "상시"],
                }
            ],
            "rescopes": [
                {"device_group": "정문", "department": ["총무과", "교통행정과"], "devices": ["정문 1번"]}
            ],
            "changes": {"기기 묶음 정문 설치 대수": [35, 36]},
        },
    ),
    E.INVENTORY_UPDATE_DEVICE_GROUP: (
        "inventory.DeviceGroup",
        {"changes": {"retention": ["30일", "14일"]}, "warnings": [], "term_changes": [TERM]},
    ),
    E.INVENTORY_DEVICE_TERMS_CHANGED: ("inventory.Device", TERM),
    E.INVENTORY_FILL_SITE_COORDINATES: (
        "inventory.Institution",
        {
            "file": "cctv.csv",
            "sha256": "ab12",
            "rows": 3,
            "filled": ["버스전용차로 / 시청 정문: 위도 37.4563, 경도 126.7052 (2행)"],
            "unchanged": 0,
            "unmatched": 1,
            "ambiguous": [],
            "conflicts": ["cctv.csv:4: 시청 후문에 이미 좌표가 있어 바꾸지 않았습니다"],
            "bad_lines": 0,
        },
    ),
    E.INVENTORY_DEVICE_GROUP_RESCOPED: (
        "",
        {"device_group": "정문", "department": ["총무과", "교통행정과"], "devices": ["정문 1번"]},
    ),
    E.PUBLISHING_PUBLISH_POLICY: (
        "",
        {
            "institution": "incheon",
            "number": 3,
            "announced_on": "2026-11-01",
            "effective_on": "2026-11-08",
            "sha256": "ab12",
            "warnings": [],
            "previous": 2,
            "changed_sections": ["영상정보의 보관기간", "부칙"],
        },
    ),
    E.PUBLISHING_WITHDRAW_POLICY: (
        "",
        {
            "institution": "incheon",
            "number": 3,
            "announced_on": "2026-11-01",
            "effective_on": "2026-11-08",
            "sha256": "ab12",
        },
    ),
    E.PUBLISHING_ADOPT_SECTION: (
        "inventory.PolicyDocument",
        {
            "institution": "incheon",
            "item": 7,
            "title": "개인영상정보의 안전성 확보조치",
            "body": "영상정보는 암호화하여 보관합니다.",
            "adopted_on": "2026-11-01",
        },
    ),
    E.INVENTORY_SET_PTZ_CAMERA: (
        "inventory.PtzCamera",
        {"device": 7, "onvif_address": "http://127.0.0.1:8080/onvif/device_service", "profile_token": ""},
    ),
    E.INVENTORY_ADD_DEMO_PTZ_VIEWS: (
        "inventory.Location",
        {
            "location": "공원",
            "ptz_presets": ["데모용 문구: 입구 방향 (팬 +0.100, 틸트 -0.200, 줌 0.000)"],
            "privacy_zones": ["데모용 문구: 건너편 주택 창문 (팬 +0.40~+0.70, 틸트 +0.00~+0.50)"],
            "reason": "데모",
        },
    ),
    E.INVENTORY_ADD_PTZ_PRESET: (
        "inventory.PtzPreset",
        {
            "section": "PTZ 승인 프리셋",
            "device_group": "방범용",
            "location": "공원",
            "changes": {"key": [None, "gate"], "name": [None, "정문"], "pan": [None, 0.1]},
            "warnings": [],
        },
    ),
    E.INVENTORY_CHANGE_PTZ_PRESET: (
        "inventory.PtzPreset",
        {
            "section": "PTZ 승인 프리셋",
            "device_group": "방범용",
            "location": "공원",
            "changes": {"tolerance": [0.02, 0.05]},
            "warnings": [],
        },
    ),
    E.INVENTORY_REMOVE_PTZ_PRESET: (
        "inventory.PtzPreset",
        {
            "section": "PTZ 승인 프리셋",
            "device_group": "방범용",
            "location": "공원",
            "changes": {"name": ["정문", None]},
            "warnings": [],
        },
    ),
    E.INVENTORY_ADD_PRIVACY_ZONE: (
        "inventory.PrivacyZone",
        {
            "section": "사생활 보호 구역",
            "device_group": "방범용",
            "location": "공원",
            "changes": {"name": [None, "건너편 아파트 창문"], "pan_min": [None, 0.4], "pan_max": [None, 0.7]},
            "warnings": [],
        },
    ),
    E.INVENTORY_CHANGE_PRIVACY_ZONE: (
        "inventory.PrivacyZone",
        {
            "section": "사생활 보호 구역",
            "device_group": "방범용",
            "location": "공원",
            "changes": {"tilt_max": [0.5, 0.6]},
            "warnings": [],
        },
    ),
    E.INVENTORY_REMOVE_PRIVACY_ZONE: (
        "inventory.PrivacyZone",
        {
            "section": "사생활 보호 구역",
            "device_group": "방범용",
            "location": "공원",
            "changes": {"zoom_min": [0.2, None]},
            "warnings": [],
        },
    ),
    E.INVENTORY_ADD_REGISTER_ENTRY: (
        "inventory.Officer",
        {"section": "담당자", "key": "k1", "changes": {"name": [None, "김담당"]}, "warnings": []},
    ),
    E.INVENTORY_CHANGE_REGISTER_ENTRY: (
        "inventory.Institution",
        {"section": "기관 정보", "key": "k1", "changes": {"name": ["인천시", "인천광역시"]}, "warnings": []},
    ),
    E.INVENTORY_REMOVE_REGISTER_ENTRY: (
        "inventory.Contractor",
        {"section": "위탁", "key": "k2", "changes": {"name": ["(주)관제", None]}, "warnings": []},
    ),
    E.VAULT_ADD_DEVICE: (
        "",
        {
            "device_group": "정문",
            "name": "정문 1번",
            "location": "gate",
            "location_name": "정문",
            "source": True,
        },
    ),
    E.VAULT_MOVE_DEVICE: (
        "",
        {
            "device_group": ["정문", "후문"],
            "location": ["gate", "back"],
            "location_name": ["정문", "후문"],
            "department": ["총무과", "교통행정과"],
            "term_changes": [TERM],
        },
    ),
    E.VAULT_DEVICE_STATE: ("inventory.Device", {"from": "idle", "to": "recording", "detail": ""}),
    E.VAULT_DEVICE_HEALTH_WARNING: ("", {"warning": "음성이 켜져 있습니다"}),
    E.VAULT_RECORDING_GAP: ("", OUTAGE),
    E.VAULT_INGEST_FILE: (
        "",
        {
            "source": "중앙로.mp4",
            "segments": 3,
            "start": AT,
            "end": AT,
            "bytes": 123456,
            "audio_dropped": True,
            "recording_hours": "상시",
            "outside_hours": [{"start": AT, "end": AT}],
        },
    ),
    E.VAULT_VIEW_FOOTAGE: ("", {"viewing": 5, "device": 7, "start": AT, "end": AT}),
    E.VAULT_EXISTENCE_CHECK: (
        "",
        {"device": 7, "start": AT, "end": AT, "via": "api", "footage_seconds": 3600},
    ),
    E.VAULT_PLACE_HOLD: (
        "",
        {
            "device": 7,
            "start": AT,
            "end": AT,
            "requester": "인천경찰서",
            "ends_on": "2027-01-01",
            "case_reference": "2026-123",
            "segments": 4,
        },
    ),
    E.VAULT_RELEASE_HOLD: ("", HOLD_END),
    E.VAULT_EXTEND_HOLD: ("", {"device": 7, "ends_on": "2027-02-01", "previous_ends_on": "2027-01-01"}),
    E.VAULT_END_HOLD_AT_END_DATE: ("", HOLD_END),
    E.VAULT_END_HOLD_FOR_CASE: ("", HOLD_END),
    E.VAULT_START_RECORDING: ("", {"device_group": "정문", "device": None, "start": AT}),
    E.VAULT_STOP_RECORDING: ("", {"device_group": "정문", "device": 7, "start": AT, "end": AT}),
    E.VAULT_DESTROY_DAY_KEY: (
        "",
        {
            "type": "파기",
            "device": 7,
            "day": "2026-10-01",
            "files": {"prefix": "7/2026-10-01", "count": 96},
            "destroyed_at": AT,
            "officer": "시스템 작업 파기",
            "method": "데이터 키 삭제",
            "deadline": "2026-11-05",
            "overdue": False,
            "destruction": 9,
        },
    ),
    E.VAULT_DESTROY_SEGMENTS: (
        "",
        {
            "type": "파기",
            "device": 7,
            "day": "2026-11-20",
            "start": AT,
            "end": AT,
            "files": {"count": 2, "sha256": "ab12"},
            "kept": 94,
            "key_id": "k1",
            "destroyed_at": AT,
            "officer": "박운영",
            "method": "구간 파기",
            "destruction": 12,
        },
    ),
    E.VAULT_RECORD_DESTROYED_FILES: (
        "",
        {
            "type": "파기",
            "destruction": 9,
            "files": {"prefix": "7/", "count": 96, "sha256": "ab12"},
            "stored_bytes": 1024,
        },
    ),
    E.VAULT_RETENTION_CLOCK_REFUSED: ("", {"clock": AT, "counting_day": "2026-11-23", "keys": ["k1", "k2"]}),
    E.VAULT_RETENTION_CLOCK_CONFIRMED: (
        "",
        {"clock": AT, "trusted": True, "counting_day": "2026-11-23", "overridden": ""},
    ),
    E.VAULT_RECORDER_DOWN: ("", OUTAGE),
    E.VAULT_RECORDER_TAKE_CAMERA: ("", {"recorder": "rec-2", "from_recorder": "rec-1", "taken_at": AT}),
    E.VAULT_RECORDER_HANDBACK: ("", {"recorder": "rec-1", "from_recorder": "rec-2", "footage_from": AT}),
    E.VAULT_RECORDER_RELEASE_CAMERA: ("", {"recorder": "rec-1"}),
    E.VAULT_FOOTAGE_DAMAGED: (
        "",
        {"segment": 11, "object": "7/2026-10-01/0001.seg", "start": AT, "end": AT, "problem": "해시 불일치"},
    ),
    E.VAULT_RAISE_ALERT: (
        "",
        {"kind": "recorder_down", "institution": 1, "device": None, "message": "녹화기 중지"},
    ),
    E.VAULT_ACKNOWLEDGE_ALERT: ("", {"kind": "footage_damaged", "raised_at": AT}),
    E.DISCLOSURE_FILE_REQUEST: (
        "disclosure.SubjectRequest",
        {
            "receipt_number": "2026-00012",
            "kind": "copy",
            "channel": "online",
            "subject_is_requester": True,
            "start": AT,
            "end": AT,
            "locations": ["시청 정문 앞"],
            "place_text": "",
            "attachments": 2,
            "holds": 1,
            "due_on": "2026-12-03",
        },
    ),
    E.DISCLOSURE_VIEW_REQUEST: ("disclosure.SubjectRequest", {"devices": 2}),
    E.DISCLOSURE_VIEW_ATTACHMENT: (
        "disclosure.SubjectRequest",
        {"receipt_number": "2026-00012", "attachment": 3, "attachment_kind": "id_card", "size": 48213},
    ),
    E.DISCLOSURE_VERIFY_IDENTITY: (
        "disclosure.SubjectRequest",
        {"method": "proxy_letter", "document": "위임장, 주민등록증", "proxy": True},
    ),
    E.DISCLOSURE_CHECK_FOOTAGE: ("disclosure.SubjectRequest", {}),
    E.DISCLOSURE_POSTPONE: (
        "disclosure.SubjectRequest",
        {
            "postponement": 1,
            "due_on": "2026-12-14",
            "previous_due_on": "2026-12-03",
            "late": False,
            "letter_sha256": "ab12",
        },
    ),
    E.DISCLOSURE_DECIDE: (
        "disclosure.SubjectRequest",
        {
            "decision": 1,
            "outcome": "refusal",
            "grounds": ["개인정보 보호법 제35조제4항제1호"],
            "limited": "",
            "viewing_at": None,
            "viewing_place": "",
            "destructions": [12, 13],
            "letter_sha256": "ab12",
        },
    ),
    E.DISCLOSURE_RECORD_FEE: (
        "disclosure.SubjectRequest",
        {
            "decision": 1,
            "fee_amount": 0,
            "fee_status": "waived",
            "fee_payment": "revenue_stamp",
            "fee_cause_institution": True,
        },
    ),
    E.DISCLOSURE_REMIND: (
        "disclosure.SubjectRequest",
        {"due_on": "2026-12-03", "days_left": 1, "recipients": ["alice", "auditor"]},
    ),
    E.DISCLOSURE_ESCALATE: (
        "disclosure.SubjectRequest",
        {"due_on": "2026-12-03", "days_left": -2, "recipients": ["alice"]},
    ),
    E.DISCLOSURE_START_MASKING: (
        "disclosure.SubjectRequest",
        {"job": 3, "device": 7, "start": AT, "end": AT, "stalled_since": AT},
    ),
    E.DISCLOSURE_RECOVER_MASKING: (
        "disclosure.SubjectRequest",
        {
            "job": 3,
            "worker": "worker-2 (PID 4242)",
            "attempt": 1,
            "max_attempts": 3,
            "lease_expired_at": AT,
            "recovery": "requeued",
        },
    ),
    E.DISCLOSURE_ORDER_PACKAGE: (
        "disclosure.ProvisionCase",
        {"package_job": 4, "package_kind": "provision", "job": None, "original": False},
    ),
    E.DISCLOSURE_RECOVER_PACKAGE: (
        "disclosure.ProvisionCase",
        {
            "package_job": 4,
            "worker": "worker-2 (PID 4242)",
            "attempt": 1,
            "max_attempts": 3,
            "lease_expired_at": AT,
            "queued_at": AT,
            "recovery": "reenqueued",
        },
    ),
    E.DISCLOSURE_WITHDRAW_PACKAGE: (
        "disclosure.SubjectRequest",
        {
            "package_job": 4,
            "package_kind": "copy",
            "delivery": 7,
            "file": "사본-2026-0001.zip",
            "sha256": "ab12",
            "downloads": 1,
            "expires_at": AT,
        },
    ),
    E.DISCLOSURE_WITHDRAW_PACKAGE_REFUSED: (
        "disclosure.ProvisionCase",
        {
            "package_job": 6,
            "package_kind": "provision",
            "package_state": "ready",
            "requested_reason": "경찰서에 암호를 잘못 보냄",
            "handed_over_at": AT,
        },
    ),
    E.DISCLOSURE_DESTROY_EXPIRED_PACKAGE: (
        "disclosure.ProvisionCase",
        {
            "package_job": 5,
            "package_kind": "provision",
            "case_number": "제공-2026-0007",
            "delivery": 9,
            "file": "제공-2026-0007.zip",
            "sha256": "cd34",
            "downloads": 2,
            "expires_at": AT,
            "handed_over_at": AT,
            "file_missing": False,
        },
    ),
    E.DISCLOSURE_REVIEW_MASKS: (
        "disclosure.SubjectRequest",
        {
            "job": 3,
            "correction": "add_region",
            "region": {"start_frame": 0, "end_frame": 10, "box": [10, 10, 50, 40]},
        },
    ),
    E.DISCLOSURE_APPROVE_RELEASE: (
        "disclosure.SubjectRequest",
        {
            "job": 3,
            "device": 7,
            "subject_track": 2,
            "original_sha256": "3f9a" * 16,
            "derivative_sha256": "9c1d" * 16,
        },
    ),
    E.DISCLOSURE_DOWNLOAD_COPY: (
        "disclosure.SubjectRequest",
        {"delivery": 4, "job": 3, "sha256": "3f9a" * 16, "size": 1048576},
    ),
    E.DISCLOSURE_VIEW_ONLINE: ("disclosure.SubjectRequest", {"delivery": 5, "job": 3, "sha256": "3f9a" * 16}),
    E.DISCLOSURE_CLOSE: (
        "disclosure.SubjectRequest",
        {"previous_state": "decided"},
    ),
    E.DISCLOSURE_WITHDRAW: (
        "disclosure.SubjectRequest",
        {"previous_state": "received"},
    ),
    E.DISCLOSURE_RESOLVE_PLACE: (
        "disclosure.SubjectRequest",
        {
            "receipt_number": "2026-00012",
            "place_text": "시청 후문 주차장 입구",
            "locations": ["시청 정문 앞", "중앙공원 입구"],
            "holds": 2,
        },
    ),
    E.VAULT_EXPORT_FOOTAGE: (
        "",
        {
            "device": 7,
            "start": AT,
            "end": AT,
            "case_reference": "2026-0001",
            "segments": 3,
            "seconds": 180.0,
            "sha256": "3f9a" * 16,
        },
    ),
    E.DISCLOSURE_VIEW_MASKING_PREVIEW: (
        "disclosure.SubjectRequest",
        {"job": 3, "device": 7, "start": AT, "end": AT},
    ),
    E.DISCLOSURE_PREPARE_COPY: (
        "disclosure.SubjectRequest",
        {"delivery": 4, "job": 3, "kind": "archive", "sha256": "3f9a" * 16, "expires_at": AT},
    ),
    E.DISCLOSURE_FILE_PROVISION: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "requesting_body": "오산경찰서",
            "channel": "paper",
            "legal_ground": "7",
            "urgent": False,
            "original_requested": False,
            "devices": ["정문 1번"],
            "holds": 1,
        },
    ),
    E.DISCLOSURE_VIEW_PROVISION: (
        "disclosure.ProvisionCase",
        {"case_number": "2026-P0001", "attachment": 3, "attachment_kind": "letter"},
    ),
    E.DISCLOSURE_REVIEW_PROVISION: (
        "disclosure.ProvisionCase",
        {"case_number": "2026-P0001", "mask_third_parties": True},
    ),
    E.DISCLOSURE_APPROVE_PROVISION: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "legal_ground": "7",
            "approval_kind": "privacy_officer",
            "original_approved": False,
        },
    ),
    E.DISCLOSURE_REFUSE_PROVISION: (
        "disclosure.ProvisionCase",
        {"case_number": "2026-P0001", "legal_ground": "7", "holds_ended": 1},
    ),
    E.DISCLOSURE_PROVIDE_FOOTAGE: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "delivery_kind": "package",
            "delivery": 2,
            "original": False,
            "files": 2,
            "sha256s": ["3f9a" * 16, "9c1d" * 16],
            "receiver": "인천중부경찰서 형사과 경위 이수사",
            "destroy_by": "2027-05-31",
        },
    ),
    E.DISCLOSURE_SIGN_RECEIPT: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "sign_method": "on_screen",
            "receiver": "이수사",
            "signature_sha256": "3f9a" * 16,
            "receipt_sha256": "9c1d" * 16,
        },
    ),
    E.DISCLOSURE_REPORT_DESTRUCTION: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "destroyed_on": "2026-12-20",
            "destroy_by": "2026-12-31",
            "destruction_method": "복원 불가능한 방법으로 영구 삭제",
            "report_channel": "portal",
            "attachment": 4,
            "sha256": "ab12",
        },
    ),
    E.DISCLOSURE_NOTIFY_SUBJECT: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "subject_notice": "notified",
            "notified_on": "2026-12-10",
            "notice_method": "등기우편",
        },
    ),
    E.DISCLOSURE_PUBLISH_PROVISION: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "publish_by": "2026-12-31",
            "published_late": False,
            "published_purpose": "교통사고 처리",
            "published_items": "영상정보(CCTV 녹화영상)",
        },
    ),
    E.DISCLOSURE_CLOSE_PROVISION: (
        "disclosure.ProvisionCase",
        {"case_number": "2026-P0001", "previous_state": "provided"},
    ),
    E.DISCLOSURE_APPROVE_LEDGER_ENTRY: ("disclosure.LedgerEntry", {"entry_number": 12}),
    E.DISCLOSURE_CORRECT_LEDGER_ENTRY: (
        "disclosure.LedgerEntry",
        {"corrected_number": 12, "changes": {"purpose": ["교통사고 확인", "교통사고 경위 확인"]}},
    ),
    E.DISCLOSURE_EXPORT_LEDGER: ("", {"format": "xlsx", "rows": 40}),
    E.DISCLOSURE_REMIND_DESTRUCTION: (
        "disclosure.ProvisionCase",
        {
            "case_number": "2026-P0001",
            "destroy_by": "2026-12-31",
            "days_left": 3,
            "recipients": ["alice", "auditor"],
        },
    ),
    E.DISCLOSURE_REMIND_PUBLICATION: (
        "disclosure.ProvisionCase",
        {"case_number": "2026-P0001", "publish_by": "2026-12-31", "days_left": -1, "recipients": ["alice"]},
    ),
    E.DISCLOSURE_ADD_REQUESTING_BODY: (
        "disclosure.RequestingBody",
        {"requesting_body": "오산경찰서", "body_kind": "police"},
    ),
    E.DISCLOSURE_CREATE_EXTERNAL_ACCOUNT: (
        "disclosure.ExternalRequester",
        {
            "username": "police-kim",
            "officer_body": "인천중부경찰서",
            "body_added": True,
            "officer_department": "형사과",
            "officer_position": "경위",
        },
    ),
    E.DISCLOSURE_ADD_REQUESTING_BODY: (
        "disclosure.RequestingBody",
        {"requesting_body": "오산경찰서", "body_kind": "police"},
    ),
    E.CONTROL_PLAN_SHIFT: (
        "control.Shift",
        {
            "shift_kind": "night",
            "start": AT,
            "end": AT,
            "members": ["김관제 (관제요원)", "박경위 (파견 경찰관)"],
        },
    ),
    E.CONTROL_HAND_OVER: (
        "control.Handover",
        {"shift": "주간 2026-12-07 09:00", "received_by": "이야간 (night1)", "open_matters": True},
    ),
    E.CONTROL_SECURITY_CHECK: (
        "control.SecurityCheck",
        {
            "checked_person": "김관제 (op1)",
            "confirmed": ["USB 등 저장매체를 반출하지 않음"],
            "findings": "개인 휴대전화 소지",
            "all_clear": False,
        },
    ),
    E.CONTROL_REQUEST_VISIT: (
        "control.Visit",
        {
            "visitor": "홍길동",
            "organisation": "오산시의회",
            "purpose": "관제센터 견학",
            "visit_on": "2026-12-08",
            "host": "센터장",
        },
    ),
    E.CONTROL_APPROVE_VISIT: ("control.Visit", {"visitor": "홍길동", "visit_on": "2026-12-08"}),
    E.CONTROL_REFUSE_VISIT: ("control.Visit", {"visitor": "홍길동", "visit_on": "2026-12-08"}),
    E.CONTROL_VISITOR_ENTERED: (
        "control.Visit",
        {"visitor": "홍길동", "badge": "V-07", "escort": "김관제 (op1)"},
    ),
    E.CONTROL_VISITOR_LEFT: (
        "control.Visit",
        {"visitor": "홍길동", "confirmed": ["출입증 반납"], "findings": "", "all_clear": True},
    ),
    E.CONTROL_IMPORT_DOOR_LOG: (
        "control.DoorLogImport",
        {
            "file": "출입기록.csv",
            "sha256": "ab12",
            "rows": 12,
            "matched": 2,
            "staff_entries": 9,
            "unapproved": ["성명미상 2026-12-07 03:10"],
        },
    ),
    E.CONTROL_APPOINT_MEMBER: (
        "control.CommitteeMember",
        {
            "name": "최위원",
            "membership": "appointed",
            "office": "member",
            "term_starts_on": "2027-01-01",
            "term_ends_on": "2028-12-31",
        },
    ),
    E.CONTROL_ADD_TERM: (
        "control.CommitteeMember",
        {"name": "최위원", "term_starts_on": "2029-01-01", "term_ends_on": "2030-12-31", "renewal": True},
    ),
    E.CONTROL_RECORD_MEETING: (
        "control.Meeting",
        {"title": "2026년 제2차 운영위원회", "held_on": "2026-12-01", "attendees": ["최위원", "오시장"]},
    ),
    E.CONTROL_ADD_AGENDA_ITEM: (
        "control.AgendaItem",
        {
            "meeting": "2026년 제2차 운영위원회 (2026-12-01)",
            "topic": "out_of_purpose",
            "title": "경찰 제공 심의",
        },
    ),
    E.CONTROL_RECORD_DECISION: (
        "control.Decision",
        {"agenda_item": "경찰 제공 심의", "resolution": "adopted", "provisions": ["2026-0003"]},
    ),
    E.CONTROL_WATCH_LIVE: (
        "",
        {"live_viewing": 3, "device": 7, "layout": 4, "replay": False, "live_hours": "off_hours"},
    ),
    E.CONTROL_SAVE_WALL_LAYOUT: (
        "control.WallLayout",
        {"layout_name": "기본", "layout": 4, "tiles": [7, 8, None, None]},
    ),
    E.CONTROL_LOG_INCIDENT: (
        "control.Incident",
        {
            "incident_number": "2026-0001",
            "incident_kind": "crime",
            "device": 7,
            "seen_at": AT,
            "hold": 3,
            "start": AT,
            "end": AT,
            "notified": [4, 5],
        },
    ),
    E.CONTROL_READ_INCIDENT_NOTICE: ("control.Incident", {"incident_number": "2026-0001", "sent_at": AT}),
    E.CONTROL_REPORT_INCIDENT: (
        "control.Incident",
        {
            "incident_number": "2026-0001",
            "notified_body": "112",
            "report_receiver": "112지령실 경위 홍길동",
            "reported_at": AT,
        },
    ),
    E.CONTROL_FOLLOW_UP_INCIDENT: (
        "control.Incident",
        {"incident_number": "2026-0001", "note": "지구대 출동"},
    ),
    E.CONTROL_CLOSE_INCIDENT: (
        "control.Incident",
        {"incident_number": "2026-0001", "hold_decision": "keep", "hold": 3, "ends_on": "2027-03-31"},
    ),
    E.CONTROL_OPEN_TICKET: (
        "control.MaintenanceTicket",
        {"ticket": 2, "fault": "camera_down", "device": 7, "recorder": "", "fault_since": AT},
    ),
    E.CONTROL_CLOSE_TICKET: (
        "control.MaintenanceTicket",
        {
            "ticket": 2,
            "fault": "camera_down",
            "device": 7,
            "outage": 3,
            "recovered": True,
            "repair": "포트 교체",
        },
    ),
    E.CONTROL_RECORD_INSPECTION: (
        "control.InspectionCheck",
        {"device": None, "checked_on": "2026-11-23", "items": "화각, 초점", "inspection_result": "normal"},
    ),
    E.CONTROL_EXPORT_INSPECTIONS: (
        "",
        {"format": "xlsx", "date_from": "2026-11-01", "date_to": "2026-11-30", "rows": 12},
    ),
    E.CONTROL_START_SELF_INSPECTION: (
        "control.SelfInspection",
        {"inspection_year": 2026, "auto_items": 10, "nonconforming_items": ["안내판", "교육 이수"]},
    ),
    E.CONTROL_ANSWER_SELF_INSPECTION: (
        "control.SelfInspectionItem",
        {
            "inspection_year": 2026,
            "check_item": "안내판",
            "verdict": "nonconforming",
            "proposed_verdict": "conforming",
            "verdict_remark": "정문 안내판 훼손",
        },
    ),
    E.CONTROL_RECORD_SELF_INSPECTION_FINDING: (
        "control.SelfInspectionFinding",
        {
            "inspection_year": 2026,
            "check_item": "안내판",
            "finding": "정문 안내판 훼손",
            "follow_up": "안내판 교체",
            "follow_up_due": "2027-01-31",
        },
    ),
    E.CONTROL_COMPLETE_SELF_INSPECTION: (
        "control.SelfInspection",
        {
            "inspection_year": 2026,
            "nonconforming_items": ["안내판"],
            "finding_count": 1,
            "summary_opinion": "대체로 적합",
        },
    ),
    E.CONTROL_EXPORT_SELF_INSPECTION: ("control.SelfInspection", {"inspection_year": 2026, "format": "xlsx"}),
    E.CONTROL_MOVE_PTZ: (
        "control.PtzMove",
        {
            "ptz_move": 3,
            "device": 7,
            "move_kind": "position",
            "preset_name": "",
            "requested_position": "팬 +0.500, 틸트 +0.200, 줌 0.300",
            "from_position": "팬 +0.100, 틸트 -0.200, 줌 0.000",
            "to_position": "팬 +0.500, 틸트 +0.200, 줌 0.300",
            "matched_preset": "",
            "privacy_zones_viewed": ["건너편 아파트 창문"],
            "ptz_error": "",
        },
    ),
    E.CONTROL_PTZ_ALERT: (
        "control.PtzMove",
        {
            "ptz_move": 3,
            "device": 7,
            "to_position": "팬 +0.500, 틸트 +0.200, 줌 0.300",
            "ptz_alert": "승인된 프리셋을 벗어났습니다",
        },
    ),
    E.CONTROL_CLOSE_PTZ_ALERT: (
        "control.PtzMove",
        {
            "ptz_move": 3,
            "device": 7,
            "ptz_alert": "승인된 프리셋을 벗어났습니다",
            "alert_note": "정문 프리셋으로 복귀",
        },
    ),
}

# A key or a code left in English: a run of lowercase ASCII letters (and _), not part of a file name,
# hash or address the action stored as it is.
ENGLISH = re.compile(r"(?<![\w./-])[a-z][a-z_]{2,}(?![\w./-])")
STORED_AS_IS = {"ab12", "alice", "incheon", "auditor", "gate", "back", "k1", "k2", "xlsx", "http"}


@pytest.mark.parametrize("event", list(AuditEvent), ids=lambda event: event.value)
def test_R40_every_event_declares_how_its_details_read(event):
    assert event in EVENT_DISPLAYS, f"{event.value}: jikimi.audit.display.EVENT_DISPLAYS에 선언하십시오"
    for key in EVENT_DISPLAYS[event].keys:
        assert re.search(r"[가-힣]", KEY_LABELS.get(key, "")), (
            f"{event.value}: '{key}'의 한글 이름이 없습니다"
        )
    assert event in SAMPLES, f"{event.value}: add its representative details to SAMPLES"


@pytest.mark.django_db
@pytest.mark.parametrize("event", list(AuditEvent), ids=lambda event: event.value)
def test_R40_every_events_details_read_as_korean_lines(event):
    target_type, details = SAMPLES[event]
    lines = detail_lines(event.value, details, target_type)
    assert len(lines) == len(details)
    text = details_text(event.value, details, target_type)
    assert "{" not in text and "[" not in text and "'" not in text, text
    leaks = {word for word in ENGLISH.findall(text) if word not in STORED_AS_IS}
    assert not leaks, f"{event.value}: {leaks} in {text}"
    for key in details:
        assert f"{key}:" not in text and f"{key} " not in text.replace("gate", "")


def test_R40_codes_changes_and_times_read_as_a_person_says_them():
    assert details_text("accounts.login_failed", {"cause": "wrong_password", "consecutive_failures": 3}) == (
        "원인: 비밀번호 틀림\n연속 실패 횟수: 3"
    )
    moved = details_text("vault.move_device", {"location_name": ["정문", "후문"]})
    assert moved == "위치 이름: 정문 → 후문"
    ingest = details_text(
        "vault.ingest_file", {"start": datetime(2026, 11, 22, 23, 59, tzinfo=UTC).isoformat()}
    )
    assert ingest == "시작: 2026-11-23 08:59:00"
    viewed = details_text("audit.view_log", {"filter": {"action": "accounts.login_failed"}, "shown": [40, 1]})
    assert viewed == "조건: 행위 로그인 실패\n표시한 순번: #1 ~ #40"
    assert filter_text({"action": "vault", "include_views": "예"}) == "행위 영상 보관, 열람 기록 포함 예"


@pytest.mark.django_db
def test_R40_codes_of_the_apps_above_read_as_their_models_choices():
    # Read through Django's app registry: the audit app imports none of the apps above it.
    assert details_text("accounts.grant_role", {"role": "auditor"}) == "역할: 감사자"
    assert "성명: 김앨리스 → 김엘리스" in details_text(
        "accounts.update_user", {"name": ["김앨리스", "김엘리스"]}, "accounts.User"
    )


def test_a_retired_event_or_key_is_still_shown_whole():
    assert details_text("inventory.admin_change", {"보기": 1}) == "보기: 1"


def _literal_detail_keys():
    """Keys of the dict literals passed as details= to record()/Entry() in the production code."""
    source = Path(jikimi.__file__).parent
    for path in source.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "details" and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            yield f"{path.relative_to(source)}:{node.lineno}", key.value


def test_R40_every_detail_an_action_writes_has_a_korean_label():
    missing = sorted({f"{where} '{key}'" for where, key in _literal_detail_keys() if key not in KEY_LABELS})
    assert not missing, f"jikimi.audit.display.KEY_LABELS에 한글 이름을 더하십시오: {missing}"
