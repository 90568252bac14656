"""Who must be trained, who is, and whose footage access is suspended for it (오산시 지침 제28조,
제25조④; R48).

A course is required of the holders of its roles in its institution. An account holding a role that
sees footage (jikimi.accounts.permissions.FOOTAGE_PERMISSIONS) gets no footage permission while one of
its required courses is missing or lapsed: not activated before the first completion, suspended when it
lapses — a contractor's staff included (제25조④). jikimi.accounts.permissions asks `footage_refusal`.

Below jikimi.accounts.permissions in the imports: the caller says which roles see footage.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from jikimi.accounts.models import Course, Role, RoleGrant, TrainingCompletion, User
from jikimi.rules.people_duties import (
    TRAINING_STATE_LABELS,
    TrainingState,
    training_counts,
    training_state,
    training_valid_until,
)


@dataclass(frozen=True)
class CourseStatus:
    """One required course of one person, on a given day."""

    course: Course
    state: TrainingState
    completed_on: date | None
    valid_until: date | None

    @property
    def label(self) -> str:
        return TRAINING_STATE_LABELS[self.state]

    @property
    def counts(self) -> bool:
        return training_counts(self.state)

    def describe(self) -> str:
        if self.state == TrainingState.EXPIRED and self.valid_until is not None:
            return f"'{self.course.name}'({self.label}, {self.valid_until:%Y-%m-%d}까지 유효했음)"
        return f"'{self.course.name}'({self.label})"


def _held_roles(user: Any) -> set[tuple[str, int]]:
    """(role, institution id) of the user's active grants."""
    return set(
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list("role", "institution_id")
    )


def statuses(user: Any, today: date) -> list[CourseStatus]:
    """Every course required of `user` (by the roles he holds, in their institutions) and its state."""
    held = _held_roles(user)
    if not held:
        return []
    courses = [
        course
        for course in Course.objects.filter(institution_id__in={i for _, i in held})
        if any((role, course.institution_id) in held for role in course.roles)
    ]
    latest: dict[int, date] = {}
    for course_id, completed_on in TrainingCompletion.objects.filter(
        user=user, course__in=courses, completed_on__lte=today
    ).values_list("course_id", "completed_on"):
        latest[course_id] = max(completed_on, latest.get(course_id, completed_on))
    result = []
    for course in courses:
        done = latest.get(course.pk)
        result.append(
            CourseStatus(
                course,
                training_state(done, course.validity_months, today),
                done,
                training_valid_until(done, course.validity_months) if done else None,
            )
        )
    return result


def holds_footage_role(user: Any, footage_roles: Collection[str]) -> bool:
    return any(role in footage_roles for role, _ in _held_roles(user))


def footage_refusal(user: Any, footage_roles: Collection[str], today: date) -> str:
    """Why `user` may not see footage today for want of training ('' when nothing is missing)."""
    if not holds_footage_role(user, footage_roles):
        return ""
    missing = [status for status in statuses(user, today) if not status.counts]
    if not missing:
        return ""
    courses = ", ".join(status.describe() for status in missing)
    return (
        f"필수 교육을 이수하지 않아 영상 열람 권한이 정지되어 있습니다: {courses}. "
        "교육을 이수하고 교육 담당자에게 이수 기록을 요청하십시오 (오산시 지침 제28조, 제25조④)."
    )


@dataclass(frozen=True)
class PersonTraining:
    """A row of the training page: one person, his required courses, and whether footage is refused."""

    user: User
    roles: list[str]
    statuses: list[CourseStatus]
    suspended: bool

    @property
    def warning(self) -> bool:
        return any(status.state == TrainingState.EXPIRING for status in self.statuses)

    @property
    def missing(self) -> list[CourseStatus]:
        return [status for status in self.statuses if not status.counts]


def people_of(institution_ids: Collection[int]) -> QuerySet[User]:
    """Active accounts holding a role in one of the institutions."""
    return (
        User.objects.filter(
            is_active=True,
            role_grants__revoked_at__isnull=True,
            role_grants__institution_id__in=list(institution_ids),
        )
        .distinct()
        .order_by("name", "username")
    )


def training_table(
    institution_ids: Collection[int], footage_roles: Collection[str], today: date
) -> list[PersonTraining]:
    """Everybody of the institutions with a required course, suspended first (the officer's page)."""
    rows = []
    for user in people_of(institution_ids):
        person_statuses = statuses(user, today)
        if not person_statuses:
            continue
        footage = holds_footage_role(user, footage_roles)
        roles = sorted({Role(role).label for role, _ in _held_roles(user) if role in Role.values})
        rows.append(
            PersonTraining(
                user,
                roles,
                person_statuses,
                suspended=footage and any(not status.counts for status in person_statuses),
            )
        )
    rows.sort(key=lambda row: (not row.suspended, not row.warning, row.user.name))
    return rows


def courses_of(institution_ids: Collection[int]) -> QuerySet[Course]:
    return Course.objects.filter(institution_id__in=list(institution_ids)).select_related("institution")
