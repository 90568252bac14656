"""The yearly self-inspection of CCTV operation (R8): the checklist, and how an item reads its figures.

- 표준 개인정보 보호지침 제52조 (as the 오산시 지침 제26조 cites it): the institution inspects its own
  installation and operation of 영상정보처리기기 every year and reports it [R: the deadline "다음 해 3월
  31일" is not verified — the year is the calendar year inspected, the report date the officer's].
- 오산시 지침 제34조: 설치현황 (별지 1호서식) and 관리·운영 실태 are checked periodically.

Each item says what is checked and where the law asks it. An item is either filled from the system's
own records (`AUTO`: the caller counts, `verdict` judges) or answered by the privacy officer (`OFFICER`).
Either way the officer's answer is what the report states: an auto-filled verdict is a proposal he may
overrule with a remark (a figure can be right and the practice still wrong, or the reverse).

Pure: plain numbers in, plain values out; no Django, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Answer(StrEnum):
    CONFORMING = "conforming"
    NONCONFORMING = "nonconforming"
    NOT_APPLICABLE = "not_applicable"


ANSWER_LABELS: dict[Answer, str] = {
    Answer.CONFORMING: "적합",
    Answer.NONCONFORMING: "부적합",
    Answer.NOT_APPLICABLE: "해당없음",
}


class Source(StrEnum):
    AUTO = "auto"  # counted from jikimi's own records of the year
    OFFICER = "officer"  # answered by the privacy officer


SOURCE_LABELS: dict[Source, str] = {Source.AUTO: "시스템 자동 점검", Source.OFFICER: "책임자 확인"}


@dataclass(frozen=True)
class Figure:
    """One number an auto-filled item shows (e.g. "안내판 항목이 빠진 기기 묶음")."""

    key: str
    label: str


@dataclass(frozen=True)
class CheckItem:
    code: str
    title: str  # a short Korean name (the audit log and the report's index show it)
    area: str  # the report's section
    question: str  # what is checked, as the checklist asks it
    basis: str  # where the law asks it
    source: Source
    figures: tuple[Figure, ...] = ()
    # AUTO only: the figure that says whether the item applies at all (0: 해당없음), and the figures
    # that are faults (any above 0: 부적합).
    applies: str = ""
    faults: tuple[str, ...] = ()


def _f(key: str, label: str) -> Figure:
    return Figure(key, label)


CHECKLIST: tuple[CheckItem, ...] = (
    # 1. 설치·운영의 적법성
    CheckItem(
        "register",
        "설치 목적·장소와 대장",
        "설치·운영의 적법성",
        "설치 목적이 법 제25조①각 호에 해당하고 설치 장소가 적법하며(목욕실·화장실 등 금지), 설치·운영 현황이 "
        "대장에 빠짐없이 기록되어 있는가",
        "개인정보 보호법 제25조①②, 시행령 제25조①; 오산시 지침 제34조 (R1, R2, R6, R16)",
        Source.AUTO,
        (
            _f("groups", "운영 중인 기기 묶음"),
            _f("devices", "등록된 기기"),
            _f("register_errors", "대장 점검에서 나온 오류"),
        ),
        applies="groups",
        faults=("register_errors",),
    ),
    CheckItem(
        "opinions",
        "설치 전 의견 수렴",
        "설치·운영의 적법성",
        "설치하거나 목적을 추가하기 전에 행정예고·설명회·설문 등으로 관계 전문가와 이해관계인의 의견을 들었는가",
        "개인정보 보호법 제25조③, 시행령 제23조① (R3)",
        Source.OFFICER,
    ),
    CheckItem(
        "audio_ptz",
        "녹음 금지·임의 조작 금지",
        "설치·운영의 적법성",
        "녹음 기능을 쓰지 않고, 설치 목적과 다른 곳을 비추거나 임의로 조작하지 않았는가",
        "개인정보 보호법 제25조⑤ (R13, R14)",
        Source.OFFICER,
    ),
    # 2. 정보주체에 대한 고지
    CheckItem(
        "signs",
        "안내판",
        "정보주체에 대한 고지",
        "안내판에 설치 목적·장소, 촬영 범위·시간, 관리책임자 연락처(위탁 시 수탁자)가 모두 적혀 있는가",
        "개인정보 보호법 제25조④, 시행령 제24조, 제26조② (R9, R34)",
        Source.AUTO,
        (
            _f("groups", "운영 중인 고정형 기기 묶음"),
            _f("without_notice", "고지 방법이 기록되지 않은 묶음"),
            _f("incomplete_signs", "안내판 필수 항목이 빠진 묶음"),
        ),
        applies="groups",
        faults=("without_notice", "incomplete_signs"),
    ),
    CheckItem(
        "policy",
        "운영·관리방침 공개",
        "정보주체에 대한 고지",
        "영상정보처리기기 운영·관리방침을 정하여 홈페이지에 계속 공개하고 있는가",
        "개인정보 보호법 제25조⑦, 시행령 제25조 (R4, R5)",
        Source.AUTO,
        (
            _f("versions_in_force", "연말 기준 시행 중인 방침"),
            _f("published_in_year", "그 해에 공개한 방침 판"),
            _f("missing", "연말에 시행 중인 방침 없음"),
        ),
        faults=("missing",),
    ),
    # 3. 보관 및 파기
    CheckItem(
        "retention",
        "보관기간과 파기",
        "보관 및 파기",
        "보관기간이 지난 영상을 지체 없이(5일 이내) 복구할 수 없는 방법으로 파기하고 파기 기록을 남겼는가",
        "개인정보 보호법 제21조, 시행령 제16조; 표준 개인정보 보호지침 (R16, R17, R19)",
        Source.AUTO,
        (
            _f("sweeps", "보관기간 점검 실행(완료)"),
            _f("sweeps_refused", "보관기간 점검 거부(시계 불신 등)"),
            _f("destructions", "파기 기록"),
            _f("overdue", "파기 기한을 넘긴 파기"),
        ),
        applies="sweeps",
        faults=("overdue", "sweeps_refused"),
    ),
    # 4. 열람 등 요구와 제3자 제공
    CheckItem(
        "requests",
        "열람 등 요구 처리",
        "열람 등 요구와 제3자 제공",
        "정보주체의 열람·존재확인·삭제 요구를 10일 이내에 처리하고 관리대장에 기록했는가",
        "개인정보 보호법 제35조③④, 제36조, 시행령 제41조 (R22, R24, R26)",
        Source.AUTO,
        (
            _f("received", "접수한 열람 등 요구"),
            _f("on_time", "기한 안에 결정"),
            _f("late", "기한을 넘겨 결정"),
            _f("open_overdue", "기한이 지났는데 결정되지 않음"),
        ),
        applies="received",
        faults=("late", "open_overdue"),
    ),
    CheckItem(
        "provisions",
        "목적 외 이용·제3자 제공",
        "열람 등 요구와 제3자 제공",
        "목적 외 이용·제3자 제공을 법 제18조② 근거와 승인으로 하고, 대장에 기록하고 30일 안에 공개하고, "
        "받은 자의 파기를 확인했는가",
        "개인정보 보호법 제18조②④⑤, 시행령 제15조 (R29–R32)",
        Source.AUTO,
        (
            _f("received", "접수한 제3자 제공 요청"),
            _f("provided", "제공한 건"),
            _f("publication_late", "공개 기한(30일)을 넘긴 건"),
            _f("destruction_unconfirmed", "파기 기한이 지났는데 파기 통보가 없는 건"),
        ),
        applies="received",
        faults=("publication_late", "destruction_unconfirmed"),
    ),
    # 5. 안전성 확보조치
    CheckItem(
        "access_reviews",
        "접속기록 월간 점검",
        "안전성 확보조치",
        "접속기록을 월 1회 이상 점검했는가 (그 해의 지난 달마다 점검 확인이 있는가)",
        "개인정보의 안전성 확보조치 기준 제8조② (R40)",
        Source.AUTO,
        (
            _f("months", "점검해야 할 달"),
            _f("reviewed", "점검을 확인한 달"),
            _f("missing", "점검하지 않은 달"),
        ),
        applies="months",
        faults=("missing",),
    ),
    CheckItem(
        "safety_measures",
        "접근권한·기술적 보호조치",
        "안전성 확보조치",
        "접근권한을 최소한으로 부여·변경·말소하고 그 기록을 3년 보관하며, 외부 접속 인증·암호화 등 "
        "기술적 조치를 하고 있는가",
        "개인정보의 안전성 확보조치 기준 제5조–제7조, 제10조 (R36–R38, R42)",
        Source.OFFICER,
    ),
    CheckItem(
        "control_room",
        "관제실 출입 통제",
        "안전성 확보조치",
        "관제실·서버실 출입을 통제하고 방문자의 출입(승인, 입·퇴실, 보안검색)을 기록했는가",
        "오산시 지침 제22조, 제31조①; 표준 개인정보 보호지침 안전성 조치 (R41)",
        Source.AUTO,
        (
            _f("visits", "방문 신청"),
            _f("entered", "입실한 방문"),
            _f("without_exit", "퇴실 기록이 없는 방문"),
            _f("entered_unapproved", "승인 없이 입실한 방문"),
        ),
        applies="visits",
        faults=("without_exit", "entered_unapproved"),
    ),
    # 6. 교육과 위탁
    CheckItem(
        "training",
        "교육 이수",
        "교육과 위탁",
        "영상을 볼 수 있는 계정의 사용자(수탁자 직원 포함)가 필수 교육을 이수했는가 (연말 기준)",
        "오산시 지침 제28조, 제25조④ (R48)",
        Source.AUTO,
        (
            _f("footage_accounts", "교육 대상인 영상 열람 계정"),
            _f("trained", "이수(유효)"),
            _f("untrained", "미이수·만료"),
        ),
        applies="footage_accounts",
        faults=("untrained",),
    ),
    CheckItem(
        "contracts",
        "위탁 계약과 수탁자 점검",
        "교육과 위탁",
        "위탁 계약서에 시행령 제26조①의 다섯 가지(목적·범위, 재위탁 제한, 안전조치, 관리 현황 점검, 손해배상)가 "
        "있고, 수탁자를 점검했는가",
        "개인정보 보호법 제26조, 시행령 제26조; 오산시 지침 제25조 (R33–R35)",
        Source.AUTO,
        (
            _f("contracts", "그 해에 유효했던 위탁 계약"),
            _f("missing_clauses", "필수 조항이 빠진 계약"),
            _f("not_inspected", "그 해에 수탁자 점검 기록이 없는 계약"),
        ),
        applies="contracts",
        faults=("missing_clauses", "not_inspected"),
    ),
    CheckItem(
        "committee",
        "운영위원회 심의",
        "교육과 위탁",
        "영상정보처리기기 운영위원회가 내부규정, 목적 외 이용·제공 등을 심의했는가",
        "오산시 지침 제24조",
        Source.OFFICER,
    ),
)

BY_CODE: dict[str, CheckItem] = {item.code: item for item in CHECKLIST}
AREAS: tuple[str, ...] = tuple(dict.fromkeys(item.area for item in CHECKLIST))


def verdict(item: CheckItem, figures: Mapping[str, int]) -> Answer | None:
    """The proposed answer of an auto-filled item from its figures (None: the officer answers).

    해당없음 when the figure that makes it apply is 0 (no contract, no visitor that year), 부적합 when any
    fault figure is above 0, 적합 otherwise. A figure missing from `figures` is a caller's error."""
    if item.source is not Source.AUTO:
        return None
    if item.applies and figures[item.applies] == 0:
        return Answer.NOT_APPLICABLE
    if any(figures[key] > 0 for key in item.faults):
        return Answer.NONCONFORMING
    return Answer.CONFORMING


def needs_remark(answer: Answer) -> bool:
    """부적합 says what is wrong, 해당없음 why the item does not apply: both in a remark."""
    return answer is not Answer.CONFORMING


def completion_problems(
    answers: Mapping[str, Answer | None], remarks: Mapping[str, str], findings: Mapping[str, int]
) -> list[str]:
    """Why the inspection cannot be completed yet, per item ('' list: it can).

    Every item answered; 부적합 and 해당없음 with a remark; every 부적합 with at least one finding and its
    follow-up (제52조: the inspection ends in measures, not only in a list)."""
    problems = []
    for item in CHECKLIST:
        answer = answers.get(item.code)
        if answer is None:
            problems.append(f"'{item.question[:30]}…': 답하지 않았습니다")
            continue
        if needs_remark(answer) and not remarks.get(item.code, "").strip():
            problems.append(f"'{item.question[:30]}…': {ANSWER_LABELS[answer]}의 사유를 적지 않았습니다")
        if answer is Answer.NONCONFORMING and findings.get(item.code, 0) == 0:
            problems.append(
                f"'{item.question[:30]}…': 부적합 항목의 지적 사항과 후속 조치를 기록하지 않았습니다"
            )
    return problems
