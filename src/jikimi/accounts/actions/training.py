"""Courses and completions (오산시 지침 제28조, 제25조④; R48). Each in one transaction with its entry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.actions.refusals import AccountError
from jikimi.accounts.models import Course, Role, RoleGrant, TrainingCompletion, User
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.lib.clock import today


def add_course(
    actor: Actor, *, institution: Any, name: str, roles: Iterable[str], validity_months: int
) -> Course:
    """A course required of the holders of `roles` in `institution`, valid `validity_months` months."""
    name = name.strip()
    roles = sorted(set(roles))
    if not name:
        raise AccountError("교육 과정 이름을 적어 주십시오")
    if not roles or any(role not in Role.values for role in roles):
        raise AccountError("이수 대상 역할을 하나 이상 고르십시오")
    if not 1 <= validity_months <= 120:
        raise AccountError("유효기간은 1개월에서 120개월 사이로 적어 주십시오")
    with transaction.atomic():
        if Course.objects.filter(institution=institution, name=name).exists():
            raise AccountError(f"'{name}' 교육 과정이 이미 있습니다")
        course = Course.objects.create(
            institution=institution,
            name=name,
            roles=roles,
            validity_months=validity_months,
            created_at=timezone.now(),
            created_by=actor.user,
        )
        record(
            actor,
            AuditEvent.ACCOUNTS_ADD_COURSE,
            course,
            details={
                "course": name,
                "roles": [Role(role).label for role in roles],
                "validity_months": validity_months,
            },
        )
    return course


def record_training(
    actor: Actor, *, course: Course, user: User, completed_on: date, evidence: str
) -> TrainingCompletion:
    """That `user` completed `course` on `completed_on`, and what shows it (수료증, 출석부…)."""
    evidence = evidence.strip()
    if not evidence:
        raise AccountError("이수 증빙(수료증 번호, 출석부 등)을 적어 주십시오")
    if completed_on > today():
        raise AccountError("이수일이 오늘보다 뒤입니다")
    if actor.user is not None and actor.user.pk == user.pk:
        # Like a grant (R36): nobody opens footage to himself by recording his own training.
        raise AccountError("자기 자신의 교육 이수는 기록할 수 없습니다")
    with transaction.atomic():
        if not RoleGrant.objects.filter(user=user, institution_id=course.institution_id).exists():
            raise AccountError(f"{user}은(는) {course.institution}의 계정이 아닙니다")
        completion = TrainingCompletion.objects.create(
            course=course,
            user=user,
            completed_on=completed_on,
            evidence=evidence[:200],
            recorded_at=timezone.now(),
            recorded_by=actor.user,
        )
        record(
            actor,
            AuditEvent.ACCOUNTS_RECORD_TRAINING,
            user,
            details={
                "course": course.name,
                "username": user.username,
                "completed_on": completed_on,
                "evidence": evidence[:200],
            },
        )
    return completion
