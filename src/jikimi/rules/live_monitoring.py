"""Who may watch which camera live, and when (the control centre's wall). Pure: plain values in.

- 오산시 지침 제19조①: the centre watches its cameras live; ② outside the hours of a camera's purpose
  (nights, weekends) it may watch for public-interest purposes (방범 등) — jikimi lets it where the
  register says so (DeviceGroup.off_hours_monitoring), and shows such viewing as out of hours.
- R47 (행안부 규정 제11조, 오산시 지침 제16조③): police officers seconded to the centre watch the
  방범 (crime-prevention) cameras only.
"""

from __future__ import annotations

import enum

# 오산시 지침 [별표 1]: 사회안정 / 방범용(범죄예방); registers without the classification say it in
# their published purpose ("방범 및 시설물관리", "범죄예방").
CRIME_PREVENTION_PRIMARY = "사회안정"
CRIME_PREVENTION_WORDS = ("방범", "범죄예방", "범죄 예방")


def is_crime_prevention(
    purpose: str, classification_primary: str = "", classification_secondary: str = ""
) -> bool:
    """Whether a device group serves crime prevention (방범), by its 별표1 class or its published purpose."""
    if classification_primary == CRIME_PREVENTION_PRIMARY or "방범" in classification_secondary:
        return True
    return any(word in purpose for word in CRIME_PREVENTION_WORDS)


class LiveHours(enum.StrEnum):
    IN_HOURS = "in_hours"  # inside the group's published recording hours
    OFF_HOURS = "off_hours"  # outside them, allowed by the register (제19조②)
    CLOSED = "closed"  # outside them, not allowed


LIVE_HOURS_LABELS: dict[LiveHours, str] = {
    LiveHours.IN_HOURS: "운영시간 내 관제",
    LiveHours.OFF_HOURS: "운영시간 외 공익 관제 (오산시 지침 제19조②)",
    LiveHours.CLOSED: "운영시간 외 — 대장에 운영시간 외 관제 허용이 없어 볼 수 없습니다",
}


def live_hours(inside_recording_hours: bool, off_hours_allowed: bool) -> LiveHours:
    if inside_recording_hours:
        return LiveHours.IN_HOURS
    return LiveHours.OFF_HOURS if off_hours_allowed else LiveHours.CLOSED
