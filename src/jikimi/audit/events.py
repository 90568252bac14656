"""Every event the audit log records, declared once with its Korean label (DESIGN: "audit event types").

Actions name their event by member (`AuditEvent.VAULT_ADD_DEVICE`), never by a bare string, and
`jikimi.audit.actions.record` refuses a name that is not declared here: a typo fails in the tests, not
in an audit. The audit page filters by these events and shows their labels; the monthly review of the
log (안전성 확보조치 기준 제8조②, R40) counts them (`jikimi.audit.queries.event_counts`).

A value is 'app.intent_name' (at most 80 characters, checked by the tests); it is what the log
stores, so a declared value is never renamed. To add an event, add one line to its app's block (an
app's first event also adds the app's line to APP_LABELS).
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.TextChoices):
    # accounts: personal accounts, logins and role grants (R36, R37)
    ACCOUNTS_CREATE_USER = "accounts.create_user", "계정 생성"
    ACCOUNTS_UPDATE_USER = "accounts.update_user", "계정 정보 변경"
    ACCOUNTS_DEACTIVATE_USER = "accounts.deactivate_user", "계정 비활성화"
    ACCOUNTS_RESET_PASSWORD = "accounts.reset_password", "비밀번호 초기화"
    ACCOUNTS_CHANGE_PASSWORD = "accounts.change_password", "비밀번호 변경"
    ACCOUNTS_UNLOCK_USER = "accounts.unlock_user", "계정 잠금 해제"
    ACCOUNTS_LOGIN = "accounts.login", "로그인"
    ACCOUNTS_LOGIN_FAILED = "accounts.login_failed", "로그인 실패"
    ACCOUNTS_LOCKED = "accounts.locked", "계정 잠김(연속 로그인 실패)"
    ACCOUNTS_LOGOUT = "accounts.logout", "로그아웃"
    ACCOUNTS_ADDRESS_BLOCKED = "accounts.address_blocked", "접속지 로그인 차단(연속 실패)"
    ACCOUNTS_SECOND_FACTOR_ENROLLED = "accounts.second_factor_enrolled", "2단계 인증 등록"
    ACCOUNTS_SECOND_FACTOR_VERIFIED = "accounts.second_factor_verified", "2단계 인증 통과"
    ACCOUNTS_SECOND_FACTOR_FAILED = "accounts.second_factor_failed", "2단계 인증 실패"
    ACCOUNTS_RECOVERY_CODE_USED = "accounts.recovery_code_used", "복구 코드 사용"
    ACCOUNTS_SECOND_FACTOR_RESET = "accounts.second_factor_reset", "2단계 인증 초기화"
    ACCOUNTS_GRANT_ROLE = "accounts.grant_role", "역할 부여"
    ACCOUNTS_REVOKE_ROLE = "accounts.revoke_role", "역할 회수"
    # training (오산시 지침 제28조, R48) and outsourcing contracts (시행령 제26조, R33–R35)
    ACCOUNTS_ADD_COURSE = "accounts.add_course", "교육 과정 등록"
    ACCOUNTS_RECORD_TRAINING = "accounts.record_training", "교육 이수 기록"
    ACCOUNTS_RECORD_CONTRACT = "accounts.record_contract", "위탁 계약 등록"
    ACCOUNTS_UPDATE_CONTRACT = "accounts.update_contract", "위탁 계약 수정"
    ACCOUNTS_ASSIGN_CONTRACT_STAFF = "accounts.assign_contract_staff", "수탁자 직원 등록"
    ACCOUNTS_RELEASE_CONTRACT_STAFF = "accounts.release_contract_staff", "수탁자 직원 해제"
    ACCOUNTS_INSPECT_CONTRACTOR = "accounts.inspect_contractor", "수탁자 점검 기록"
    ACCOUNTS_ALERT_CONTRACT_END = "accounts.alert_contract_end", "위탁 계약 종료 임박 알림"

    # audit: reading and verifying the log itself (R40)
    AUDIT_VIEW_LOG = "audit.view_log", "감사 기록 열람"
    AUDIT_VERIFY = "audit.verify", "감사 기록 검증"
    AUDIT_ARCHIVE = "audit.archive", "감사 기록 보관 이전(보존기간 경과분)"
    AUDIT_EXPORT_LOG = "audit.export_log", "감사 기록 내려받기(엑셀)"
    AUDIT_SIGN_REVIEW = "audit.sign_review", "월간 접속기록 점검 확인"

    # inventory: the legal register
    INVENTORY_IMPORT_REGISTER = "inventory.import_register", "설치·운영 현황 대장 가져오기"
    INVENTORY_UPDATE_DEVICE_GROUP = "inventory.update_device_group", "설치·운영 현황 수정"
    INVENTORY_DEVICE_TERMS_CHANGED = (
        "inventory.device_terms_changed",
        "대장 변경에 따른 기기 보관기간·촬영시간 변경",
    )
    INVENTORY_DEVICE_GROUP_RESCOPED = (
        "inventory.device_group_rescoped",
        "기기 묶음 관리부서 변경(영상 열람 범위 변경)",
    )
    INVENTORY_ADD_REGISTER_ENTRY = "inventory.add_register_entry", "설치·운영 현황 대장 항목 추가"
    INVENTORY_CHANGE_REGISTER_ENTRY = "inventory.change_register_entry", "설치·운영 현황 대장 항목 수정"
    INVENTORY_REMOVE_REGISTER_ENTRY = "inventory.remove_register_entry", "설치·운영 현황 대장 항목 삭제"
    # issue 17: sites' coordinates from the institution's 공공데이터포털 "CCTV정보" file (the map of sites)
    INVENTORY_FILL_SITE_COORDINATES = (
        "inventory.fill_site_coordinates",
        "설치 위치 좌표 채우기(공공데이터 CCTV정보)",
    )
    # R14: where a pan/tilt/zoom camera's ONVIF service answers (its presets are in the register file)
    INVENTORY_SET_PTZ_CAMERA = "inventory.set_ptz_camera", "PTZ 카메라 ONVIF 주소 등록"
    # R14: the demo's own presets and privacy zones where its seed register states none (make run)
    INVENTORY_ADD_DEMO_PTZ_VIEWS = "inventory.add_demo_ptz_views", "데모용 PTZ 프리셋·사생활 보호 구역 기록"
    # R14: a location's approved presets and privacy zones changed in the register's pages, one at a time
    INVENTORY_ADD_PTZ_PRESET = "inventory.add_ptz_preset", "PTZ 승인 프리셋 추가"
    INVENTORY_CHANGE_PTZ_PRESET = "inventory.change_ptz_preset", "PTZ 승인 프리셋 수정"
    INVENTORY_REMOVE_PTZ_PRESET = "inventory.remove_ptz_preset", "PTZ 승인 프리셋 삭제"
    INVENTORY_ADD_PRIVACY_ZONE = "inventory.add_privacy_zone", "PTZ 사생활 보호 구역 추가"
    INVENTORY_CHANGE_PRIVACY_ZONE = "inventory.change_privacy_zone", "PTZ 사생활 보호 구역 수정"
    INVENTORY_REMOVE_PRIVACY_ZONE = "inventory.remove_privacy_zone", "PTZ 사생활 보호 구역 삭제"

    # publishing: the published policy (R5)
    PUBLISHING_PUBLISH_POLICY = "publishing.publish_policy", "운영·관리방침 공개"
    PUBLISHING_WITHDRAW_POLICY = "publishing.withdraw_policy", "운영·관리방침 공고 버전 철회"
    PUBLISHING_ADOPT_SECTION = "publishing.adopt_section", "운영·관리방침 빠진 항목의 문구 채택"

    # vault: devices, footage, holds and destruction (R17–R19, R41)
    VAULT_ADD_DEVICE = "vault.add_device", "기기 등록"
    VAULT_MOVE_DEVICE = "vault.move_device", "기기 설치 위치 이동"
    VAULT_DEVICE_STATE = "vault.device_state", "기기 녹화 상태 변경"
    VAULT_DEVICE_HEALTH_WARNING = "vault.device_health_warning", "기기 이상 경고"
    VAULT_RECORDING_GAP = "vault.recording_gap", "녹화 중단 구간"
    VAULT_INGEST_FILE = "vault.ingest_file", "영상 파일 등록"
    VAULT_VIEW_FOOTAGE = "vault.view_footage", "영상 열람"
    VAULT_EXISTENCE_CHECK = "vault.existence_check", "영상 존재확인"
    VAULT_PLACE_HOLD = "vault.place_hold", "분리 보관 설정"
    VAULT_RELEASE_HOLD = "vault.release_hold", "분리 보관 해제"
    VAULT_EXTEND_HOLD = "vault.extend_hold", "분리 보관 연장"
    VAULT_END_HOLD_AT_END_DATE = "vault.end_hold_at_end_date", "보존 종료일 도래로 분리 보관 종료"
    VAULT_END_HOLD_FOR_CASE = "vault.end_hold_for_case", "사건 종료로 분리 보관 종료"
    VAULT_START_RECORDING = "vault.start_recording", "조건부 촬영 시작"
    VAULT_STOP_RECORDING = "vault.stop_recording", "조건부 촬영 종료"
    VAULT_DESTROY_DAY_KEY = "vault.destroy_day_key", "영상 파기(보관기간 만료)"
    VAULT_DESTROY_SEGMENTS = "vault.destroy_segments", "영상 파기(삭제 청구)"
    VAULT_RECORD_DESTROYED_FILES = "vault.record_destroyed_files", "파기한 파일 목록 기록"
    VAULT_RETENTION_CLOCK_REFUSED = "vault.retention_clock_refused", "시계 이상으로 파기 보류"
    VAULT_RETENTION_CLOCK_CONFIRMED = "vault.retention_clock_confirmed", "파기 전 시계 확인"
    VAULT_RECORDER_DOWN = "vault.recorder_down", "녹화기 중지 구간"
    VAULT_RECORDER_TAKE_CAMERA = "vault.recorder_take_camera", "녹화기 카메라 인수"
    VAULT_RECORDER_HANDBACK = "vault.recorder_handback", "녹화기 카메라 인계"
    VAULT_RECORDER_RELEASE_CAMERA = "vault.recorder_release_camera", "녹화기 카메라 반납"
    VAULT_FOOTAGE_DAMAGED = "vault.footage_damaged", "영상 손상 확인"
    VAULT_RAISE_ALERT = "vault.raise_alert", "경보 발생"
    VAULT_ACKNOWLEDGE_ALERT = "vault.acknowledge_alert", "경보 확인"
    VAULT_EXPORT_FOOTAGE = "vault.export_footage", "영상 반출(마스킹·제공용)"

    # disclosure: data subjects' requests — 열람·존재확인·삭제 청구 (R20–R28, R41, R42)
    DISCLOSURE_FILE_REQUEST = "disclosure.file_request", "청구 접수"
    DISCLOSURE_VIEW_REQUEST = "disclosure.view_request", "청구서 열람"
    DISCLOSURE_VIEW_ATTACHMENT = "disclosure.view_attachment", "청구 첨부서류 열람"
    DISCLOSURE_VERIFY_IDENTITY = "disclosure.verify_identity", "본인 확인"
    DISCLOSURE_CHECK_FOOTAGE = "disclosure.check_footage", "청구 대상 영상 존재확인"
    DISCLOSURE_POSTPONE = "disclosure.postpone", "처리 기한 연장"
    DISCLOSURE_DECIDE = "disclosure.decide", "청구 결정"
    DISCLOSURE_RECORD_FEE = "disclosure.record_fee", "수수료 납부·면제"
    DISCLOSURE_REMIND = "disclosure.remind", "처리 기한 임박 알림"
    DISCLOSURE_ESCALATE = "disclosure.escalate", "처리 기한 경과 보고"
    DISCLOSURE_START_MASKING = "disclosure.start_masking", "마스킹 작업 시작"
    # issue 18: a worker died mid-render; the job is queued for another (or failed after the last attempt)
    DISCLOSURE_RECOVER_MASKING = "disclosure.recover_masking", "마스킹 작업 복구(작업 워커 중단)"
    DISCLOSURE_ORDER_PACKAGE = "disclosure.order_package", "제공 파일 만들기 요청(작업 대기열)"
    DISCLOSURE_RECOVER_PACKAGE = (
        "disclosure.recover_package",
        "제공 파일 작업 복구(작업 워커 중단·대기열 유실)",
    )
    # A ready package withdrawn by the officer (lost password, wrong recipient): file destroyed, link closed.
    DISCLOSURE_WITHDRAW_PACKAGE = "disclosure.withdraw_package", "제공 파일 회수(파일 파기·링크 닫음)"
    # A withdrawal its package's state refused (handed over: R49; already withdrawn; not made yet): R40.
    DISCLOSURE_WITHDRAW_PACKAGE_REFUSED = "disclosure.withdraw_package_refused", "제공 파일 회수 거부"
    # A package whose download link expired: its stored file destroyed by the sweep (R17, R19).
    DISCLOSURE_DESTROY_EXPIRED_PACKAGE = (
        "disclosure.destroy_expired_package",
        "제공 파일 보관 기간 끝 파기",
    )
    DISCLOSURE_REVIEW_MASKS = "disclosure.review_masks", "마스킹 검토·수정"
    DISCLOSURE_APPROVE_RELEASE = "disclosure.approve_release", "공개본 승인"
    DISCLOSURE_VIEW_MASKING_PREVIEW = "disclosure.view_masking_preview", "마스킹 검토 영상 열람"
    DISCLOSURE_PREPARE_COPY = "disclosure.prepare_copy", "사본 제공 준비(암호화 파일·온라인 열람)"
    DISCLOSURE_DOWNLOAD_COPY = "disclosure.download_copy", "사본 내려받기"
    DISCLOSURE_VIEW_ONLINE = "disclosure.view_online", "온라인 열람"
    DISCLOSURE_CLOSE = "disclosure.close", "청구 종결"
    DISCLOSURE_WITHDRAW = "disclosure.withdraw", "청구 취하"
    DISCLOSURE_RESOLVE_PLACE = "disclosure.resolve_place", "직접 입력한 설치장소 지정"

    # disclosure: provision to police, courts and other bodies (R29–R32, R49) and the 관리대장 (R26, R30)
    DISCLOSURE_FILE_PROVISION = "disclosure.file_provision", "제3자 제공 요청 접수"
    DISCLOSURE_VIEW_PROVISION = "disclosure.view_provision", "제3자 제공 요청 열람"
    DISCLOSURE_REVIEW_PROVISION = "disclosure.review_provision", "제3자 제공 검토"
    DISCLOSURE_APPROVE_PROVISION = "disclosure.approve_provision", "제3자 제공 승인"
    DISCLOSURE_REFUSE_PROVISION = "disclosure.refuse_provision", "제3자 제공 거부"
    DISCLOSURE_PROVIDE_FOOTAGE = "disclosure.provide_footage", "영상 제공(인계)"
    DISCLOSURE_SIGN_RECEIPT = "disclosure.sign_receipt", "영상정보 인수증 서명"
    DISCLOSURE_REPORT_DESTRUCTION = "disclosure.report_destruction", "제공받은 자의 파기 통보"
    DISCLOSURE_NOTIFY_SUBJECT = "disclosure.notify_subject", "정보주체 통지 기록"
    DISCLOSURE_PUBLISH_PROVISION = "disclosure.publish_provision", "목적 외 이용·제3자 제공 공개"
    DISCLOSURE_CLOSE_PROVISION = "disclosure.close_provision", "제3자 제공 종결"
    DISCLOSURE_APPROVE_LEDGER_ENTRY = "disclosure.approve_ledger_entry", "관리대장 결재"
    DISCLOSURE_CORRECT_LEDGER_ENTRY = "disclosure.correct_ledger_entry", "관리대장 정정"
    DISCLOSURE_EXPORT_LEDGER = "disclosure.export_ledger", "관리대장 내려받기"
    DISCLOSURE_REMIND_DESTRUCTION = "disclosure.remind_destruction", "제공 영상 파기 기한 알림"
    DISCLOSURE_REMIND_PUBLICATION = "disclosure.remind_publication", "제3자 제공 공개 기한 알림"
    DISCLOSURE_ADD_REQUESTING_BODY = "disclosure.add_requesting_body", "제공 요청 기관 등록"
    # the requesting bodies' portal: an investigating body's officer's account (성동구·남해군 style)
    DISCLOSURE_CREATE_EXTERNAL_ACCOUNT = "disclosure.create_external_account", "외부 기관 담당자 계정 등록"

    # control: the control centre's shifts, controlled room and operating committee (오산시 지침 제21조,
    # 제22조, 제24조, 제31조①; R41)
    CONTROL_PLAN_SHIFT = "control.plan_shift", "관제 근무조 편성"
    CONTROL_HAND_OVER = "control.hand_over", "관제 근무 인계"
    CONTROL_SECURITY_CHECK = "control.security_check", "근무 교대 보안검색"
    CONTROL_REQUEST_VISIT = "control.request_visit", "관제센터 방문 신청"
    CONTROL_APPROVE_VISIT = "control.approve_visit", "관제센터 방문 승인"
    CONTROL_REFUSE_VISIT = "control.refuse_visit", "관제센터 방문 거부"
    CONTROL_VISITOR_ENTERED = "control.visitor_entered", "방문자 입실"
    CONTROL_VISITOR_LEFT = "control.visitor_left", "방문자 퇴실·보안검색"
    CONTROL_IMPORT_DOOR_LOG = "control.import_door_log", "출입통제기록 가져오기"
    CONTROL_APPOINT_MEMBER = "control.appoint_member", "운영위원 위촉·지정"
    CONTROL_ADD_TERM = "control.add_term", "운영위원 임기 추가(연임 등)"
    CONTROL_RECORD_MEETING = "control.record_meeting", "운영위원회 회의 기록"
    CONTROL_ADD_AGENDA_ITEM = "control.add_agenda_item", "운영위원회 안건 등록"
    CONTROL_RECORD_DECISION = "control.record_decision", "운영위원회 의결 기록"
    # the live wall (오산시 지침 제12조, 제19조; R41)
    CONTROL_WATCH_LIVE = "control.watch_live", "실시간 관제 영상 열람"
    CONTROL_SAVE_WALL_LAYOUT = "control.save_wall_layout", "관제 화면 배치 저장"
    # control: incidents seen in the control centre (오산시 지침 제21조③)
    CONTROL_LOG_INCIDENT = "control.log_incident", "관제 사건 기록(경찰 보고)"
    CONTROL_READ_INCIDENT_NOTICE = "control.read_incident_notice", "사건 통보 확인(상황실 경찰)"
    CONTROL_REPORT_INCIDENT = "control.report_incident", "사건 유관기관 통보(112·재난상황실)"
    CONTROL_FOLLOW_UP_INCIDENT = "control.follow_up_incident", "사건 후속 조치 기록"
    CONTROL_CLOSE_INCIDENT = "control.close_incident", "관제 사건 종결"
    # control: camera health, maintenance and the check of normal operation (제27조, 제31조④)
    CONTROL_OPEN_TICKET = "control.open_ticket", "유지보수 접수(장애 발생)"
    CONTROL_CLOSE_TICKET = "control.close_ticket", "유지보수 종결(복구·수리)"
    CONTROL_RECORD_INSPECTION = "control.record_inspection", "정상작동 점검 기록"
    CONTROL_EXPORT_INSPECTIONS = "control.export_inspections", "정상작동 점검 기록 내려받기"
    # control: the yearly self-inspection (표준 개인정보 보호지침 제52조, 오산시 지침 제26조; R8)
    CONTROL_START_SELF_INSPECTION = "control.start_self_inspection", "자체 점검 시작(자동 점검 수치 기록)"
    CONTROL_ANSWER_SELF_INSPECTION = "control.answer_self_inspection", "자체 점검 항목 판정"
    CONTROL_RECORD_SELF_INSPECTION_FINDING = (
        "control.record_self_inspection_finding",
        "자체 점검 지적 사항·후속 조치 기록",
    )
    CONTROL_COMPLETE_SELF_INSPECTION = "control.complete_self_inspection", "자체 점검 완료(잠금)"
    CONTROL_EXPORT_SELF_INSPECTION = "control.export_self_inspection", "자체 점검 결과 보고서 내려받기"
    # control: pan/tilt/zoom (R14; 오산시 지침 제18조①, 제29조①)
    CONTROL_MOVE_PTZ = "control.move_ptz", "PTZ 카메라 조작(회전·확대)"
    CONTROL_PTZ_ALERT = "control.ptz_alert", "PTZ 승인 범위 이탈 경보"
    CONTROL_CLOSE_PTZ_ALERT = "control.close_ptz_alert", "PTZ 경보 확인"


# The apps as the audit page groups their events, in the order of the declarations above.
APP_LABELS: dict[str, str] = {
    "accounts": "계정·권한",
    "audit": "감사 기록",
    "inventory": "설치·운영 현황",
    "publishing": "운영·관리방침",
    "vault": "영상 보관",
    "disclosure": "열람 등 청구",
    "control": "통합관제센터",
}


# What the monthly review of the log (안전성 확보조치 기준 제8조②, R40) looks at: the downloads and
# exports of personal data, each with its reason, and the viewings of personal video (after hours,
# and how many per person). An event added later that downloads or views personal data joins here.
DOWNLOAD_EVENTS: frozenset[AuditEvent] = frozenset(
    {AuditEvent.AUDIT_EXPORT_LOG, AuditEvent.VAULT_EXPORT_FOOTAGE, AuditEvent.DISCLOSURE_DOWNLOAD_COPY}
)
VIEWING_EVENTS: frozenset[AuditEvent] = frozenset(
    {
        AuditEvent.VAULT_VIEW_FOOTAGE,
        AuditEvent.VAULT_EXISTENCE_CHECK,
        AuditEvent.DISCLOSURE_VIEW_MASKING_PREVIEW,
        AuditEvent.CONTROL_WATCH_LIVE,
    }
)


def app_of(event: AuditEvent) -> str:
    return event.value.split(".", 1)[0]


def label_of(action: str) -> str:
    """The Korean label of a stored action name; a retired name (no longer declared) is shown as stored."""
    try:
        return str(AuditEvent(action).label)
    except ValueError:
        return action
