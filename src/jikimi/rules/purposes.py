"""Legal bases for installing and operating video devices.

Fixed devices (고정형): 법 제25조① 1–6호. Mobile devices (이동형): 법 제25조의2① (its 1호 refers to
제15조① 1–7호; 2호 is "notice given and not refused"; 3호 is by 대통령령). R1.
The 오산시 지침 별표1 adds a two-level classification by purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FixedPurpose(StrEnum):
    """법 제25조① 각 호 (R1)."""

    LAW_PERMITS = "law_permits"  # 1호 법령에서 구체적으로 허용하고 있는 경우
    CRIME = "crime"  # 2호 범죄의 예방 및 수사
    FACILITY_SAFETY = "facility_safety"  # 3호 시설의 안전 및 관리, 화재 예방
    TRAFFIC_ENFORCEMENT = "traffic_enforcement"  # 4호 교통단속
    TRAFFIC_INFORMATION = "traffic_information"  # 5호 교통정보의 수집·분석 및 제공
    NON_STORING = "non_storing"  # 6호 촬영된 영상정보를 저장하지 아니하는 경우로서 대통령령으로 정하는 경우


FIXED_PURPOSE_LABELS: dict[FixedPurpose, str] = {
    FixedPurpose.LAW_PERMITS: "법령에서 구체적으로 허용하고 있는 경우",
    FixedPurpose.CRIME: "범죄의 예방 및 수사를 위하여 필요한 경우",
    FixedPurpose.FACILITY_SAFETY: "시설의 안전 및 관리, 화재 예방을 위하여 정당한 권한을 가진 자가 설치·운영하는 경우",
    FixedPurpose.TRAFFIC_ENFORCEMENT: "교통단속을 위하여 정당한 권한을 가진 자가 설치·운영하는 경우",
    FixedPurpose.TRAFFIC_INFORMATION: "교통정보의 수집·분석 및 제공을 위하여 정당한 권한을 가진 자가 설치·운영하는 경우",
    FixedPurpose.NON_STORING: "촬영된 영상정보를 저장하지 아니하는 경우로서 대통령령으로 정하는 경우",
}

FIXED_PURPOSE_ITEMS: dict[FixedPurpose, int] = {p: i for i, p in enumerate(FixedPurpose, start=1)}


class MobilePurpose(StrEnum):
    """법 제25조의2① 1호(제15조① 각 호) and 2호 (R44)."""

    CONSENT = "consent"  # 제15조①1호 정보주체의 동의
    LAW_OBLIGATION = "law_obligation"  # 2호 법률의 특별한 규정, 법령상 의무
    PUBLIC_DUTY = "public_duty"  # 3호 공공기관의 소관 업무 수행
    CONTRACT = "contract"  # 4호 계약의 체결·이행
    VITAL_INTEREST = "vital_interest"  # 5호 급박한 생명·신체·재산의 이익
    LEGITIMATE_INTEREST = "legitimate_interest"  # 6호 개인정보처리자의 정당한 이익
    PUBLIC_HEALTH = "public_health"  # 7호 공중위생 등 공공의 안전과 안녕
    NOTICE_NOT_REFUSED = "notice_not_refused"  # 제25조의2①2호 촬영 사실을 표시했으나 거부하지 않은 경우


MOBILE_PURPOSE_LABELS: dict[MobilePurpose, str] = {
    MobilePurpose.CONSENT: "정보주체의 동의를 받은 경우",
    MobilePurpose.LAW_OBLIGATION: "법률에 특별한 규정이 있거나 법령상 의무를 준수하기 위하여 불가피한 경우",
    MobilePurpose.PUBLIC_DUTY: "공공기관이 법령 등에서 정하는 소관 업무의 수행을 위하여 불가피한 경우",
    MobilePurpose.CONTRACT: "정보주체와 체결한 계약을 이행하거나 계약을 체결하는 과정에서 정보주체의 요청에 따른 조치를 이행하기 위하여 필요한 경우",
    MobilePurpose.VITAL_INTEREST: "명백히 정보주체 또는 제3자의 급박한 생명, 신체, 재산의 이익을 위하여 필요하다고 인정되는 경우",
    MobilePurpose.LEGITIMATE_INTEREST: "개인정보처리자의 정당한 이익을 달성하기 위하여 필요한 경우로서 명백하게 정보주체의 권리보다 우선하는 경우",
    MobilePurpose.PUBLIC_HEALTH: "공중위생 등 공공의 안전과 안녕을 위하여 긴급히 필요한 경우",
    MobilePurpose.NOTICE_NOT_REFUSED: "촬영 사실을 명확히 표시하여 정보주체가 촬영 사실을 알 수 있도록 하였음에도 불구하고 촬영 거부 의사를 밝히지 아니한 경우",
}


class MobileType(StrEnum):
    """시행령 제3조② (R43): mobile devices are inventoried by type."""

    WEARABLE = "wearable"  # 착용형
    HANDHELD = "handheld"  # 휴대형
    MOUNTED = "mounted"  # 부착·거치형


MOBILE_TYPE_LABELS: dict[MobileType, str] = {
    MobileType.WEARABLE: "착용형",
    MobileType.HANDHELD: "휴대형",
    MobileType.MOUNTED: "부착·거치형",
}


@dataclass(frozen=True)
class Classification:
    primary: str
    secondary: str


# 오산시 영상정보처리기기 설치 및 운영 지침 [별표 1] 설치목적에 따른 분류 기준표.
OSAN_CLASSIFICATION: dict[str, tuple[str, ...]] = {
    "사회안정": ("방범용(범죄예방)",),
    "환경개선": ("쓰레기투기 감시", "오염행위단속"),
    "시설관리": ("출입통제", "시설물관리", "주차관리", "공원관리"),
    "교통안전": ("교통정보수집", "과속위반단속", "주정차위반단속"),
    "특수지역": ("재난·화재감시용(산불·홍수 등)", "공항·항만관리", "지하철안전관리"),
    "문제차량": ("채납차량", "과태료차량", "수배차량"),
}


def classification_error(primary: str, secondary: str) -> str | None:
    """Why (primary, secondary) is not a row of 별표1, or None when it is."""
    if not primary and not secondary:
        return None
    if primary not in OSAN_CLASSIFICATION:
        return f"1차 분류 '{primary}'는 별표1에 없습니다 (가능: {', '.join(OSAN_CLASSIFICATION)})"
    if secondary not in OSAN_CLASSIFICATION[primary]:
        return f"2차 분류 '{secondary}'는 1차 분류 '{primary}'에 없습니다 (가능: {', '.join(OSAN_CLASSIFICATION[primary])})"
    return None
