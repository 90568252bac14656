"""A small register of our own, built with the ORM (no importer): 군산시-like, two departments.

Personas (healthchecks habit): the privacy officer may publish; an officer of 교통행정과 and an
officer of another institution are refused.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from jikimi.accounts.models import Role, RoleGrant, User
from jikimi.inventory.models import (
    Contractor,
    Department,
    DeviceGroup,
    Institution,
    Location,
    Officer,
    PolicyDocument,
    PolicyRevision,
)

PASSWORD = "correct-horse-battery-9"

GUNSAN_SECTIONS = [
    {"title": "주요 개인정보 처리 표시(라벨링)", "generated": "labelling"},
    {"title": "고정형 영상정보처리기기의 설치 근거 및 설치 목적", "generated": "fixed_purposes"},
    {"title": "영상정보처리기기의 운영·관리 현황", "generated": "operation_table"},
    {"title": "개인영상정보의 목적 외 이용 및 제3자 제공에 관한 사항", "generated": "provision_procedure"},
    {"title": "고정형 영상정보처리기기의 설치 및 관리 등의 위탁에 관한 사항", "generated": "outsourcing"},
    {"title": "개인영상정보의 확인 방법 및 장소에 관한 사항", "generated": "viewing_method_place"},
    {"title": "정보주체의 개인영상정보 열람 등 요구에 대한 조치", "generated": "subject_rights"},
    {"title": "개인영상정보의 안전성 확보조치", "generated": "safety_measures"},
    {"title": "영상정보처리기기 운영·관리방침 변경에 관한 사항", "generated": "change_history"},
]


def make_user(username: str, institution: Institution, role: str, departments: list[Department] = ()) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, name=username, institution=institution
    )
    grant = RoleGrant.objects.create(user=user, role=role, institution=institution, granted_at=timezone.now())
    if departments:
        grant.departments.set(departments)
    return user


@pytest.fixture
def gunsan(db) -> Institution:
    institution = Institution.objects.create(
        name="군산시", slug="gunsan", scope_statement="본청 및 소속기관을 포함하며", head_title="군산시장"
    )
    traffic = Department.objects.create(
        institution=institution, key="traffic", name="교통행정과", phone="063-454-3000"
    )
    general = Department.objects.create(institution=institution, key="general", name="총무과", phone="")
    info = Department.objects.create(institution=institution, key="info", name="정보통신과")
    traffic_head = Officer.objects.create(
        institution=institution,
        key="traffic-head",
        department=traffic,
        name="홍길동",
        position="교통행정과장",
        phone="063-454-3100",
    )
    traffic_staff = Officer.objects.create(
        institution=institution,
        key="traffic-staff",
        department=traffic,
        name="김담당",
        position="주무관",
        grade="7급",
        phone="063-454-3101",
        email="kim@example.go.kr",
    )
    general_head = Officer.objects.create(
        institution=institution, key="general-head", department=general, position="총무과장"
    )
    privacy = Officer.objects.create(
        institution=institution,
        key="privacy",
        department=info,
        name="이보호",
        position="부시장",
        phone="063-454-2000",
    )
    contractor = Contractor.objects.create(
        institution=institution,
        key="yeongchang",
        task="통합관제센터 관제(모니터링)",
        company="㈜영창티엠에스",
        contact="063-000-0000",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        supervising_department=traffic,
    )
    control = DeviceGroup.objects.create(
        institution=institution,
        key="control-centre",
        name="방범용 CCTV",
        department=traffic,
        legal_bases=["crime"],
        purpose="범죄예방",
        classification_primary="사회안정",
        classification_secondary="방범용(범죄예방)",
        count=120,
        site="군산시 관내",
        site_count=80,
        coverage="반경 50m",
        recording_hours="24시간",
        retention="30일",
        storage_place="통합관제센터",
        monitoring_method="실시간 관제",
        monitoring_place="통합관제센터",
        position=1,
    )
    control.managers.set([traffic_head])
    control.staff.set([traffic_staff])
    control.contractors.set([contractor])
    Location.objects.create(device_group=control, key="jochon", name="조촌동 시청로 17", count=2)
    hall = DeviceGroup.objects.create(
        institution=institution,
        key="city-hall",
        name="청사 시설관리용 CCTV",
        department=general,
        legal_bases=["facility_safety"],
        purpose="시설안전 및 화재예방",
        count=35,
        site="시청 본관",
        recording_hours="24시간",
        retention="14일",
        storage_place="시청 본관 당직실",
        position=2,
    )
    hall.managers.set([general_head])
    PolicyDocument.objects.create(
        institution=institution,
        article_style="article",
        sections=GUNSAN_SECTIONS,
        announced_on=date(2024, 8, 23),
        effective_on=date(2024, 9, 1),
        privacy_officer=privacy,
        privacy_department=info,
    )
    PolicyRevision.objects.create(
        institution=institution,
        key="choecho-jejeong",
        label="최초 제정",
        valid_from=date(2013, 6, 20),
        valid_until=date(2022, 2, 21),
    )
    return institution


@pytest.fixture
def privacy_officer(gunsan) -> User:
    return make_user("privacy", gunsan, Role.PRIVACY_OFFICER)


@pytest.fixture
def traffic_officer(gunsan) -> User:
    """An officer of 교통행정과: may edit its register, may not publish the institution's policy."""
    return make_user(
        "traffic", gunsan, Role.OFFICER, [Department.objects.get(institution=gunsan, name="교통행정과")]
    )


@pytest.fixture
def other_privacy_officer(db) -> User:
    other = Institution.objects.create(name="오산시", slug="osan")
    return make_user("osan-privacy", other, Role.PRIVACY_OFFICER)


@pytest.fixture
def published(gunsan) -> Institution:
    """군산시 with its first version published (2024-08-23, in force from 2024-09-01): its pages are public.

    An institution that never published has no public pages (R5); tests of the public pages publish first.
    """
    from jikimi.audit.context import Actor
    from jikimi.publishing.actions import publish_policy

    publish_policy(
        Actor.command("test setup"),
        gunsan,
        date(2024, 8, 23),
        date(2024, 9, 1),
        "최초 공개",
        check_permission=False,
    )
    return gunsan


def as_staff(client, institution: Institution):
    """The client logged in as a privacy officer of the institution: staff see never-published drafts."""
    from jikimi.accounts.testing import log_in

    user = make_user(f"privacy-{institution.slug}", institution, Role.PRIVACY_OFFICER)
    log_in(client, user)
    return client


@pytest.fixture
def staff_client(client, gunsan):
    return as_staff(client, gunsan)
