"""R36 (안전성 확보조치 기준 제5조①): the audit log is scoped exactly as the footage it describes.

An auditor of 총무과 reads 총무과's entries and not 교통행정과's; another institution's administrator reads
none of this institution's; an institution-wide auditor reads the whole institution. On the auditor's
page, in the Django admin and on the verify page. (No API serves the log.)
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse

from jikimi.accounts.actions import attempt_login
from jikimi.accounts.models import User
from jikimi.accounts.testing import PASSWORD, log_in, make_group, make_institution, make_user
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.audit.scope import ReadableScope, Scope
from jikimi.audit.tests.tampering import disable_guard, sql
from jikimi.inventory.models import Department, Device, DeviceGroup, Institution, Location
from jikimi.publishing.models import PolicyVersion
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.playback import open_viewing
from jikimi.vault.models import (
    DayKey,
    Destruction,
    HeldSegment,
    LegalHold,
    RecordingOutage,
    RecordingTrigger,
    Segment,
    Viewing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jikimi.audit.tests.urls")]

SETUP = Actor(user=None, label="테스트 준비", client_address="test")
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)

TRAFFIC_PURPOSE = "교통사고 경위 확인 TRAFFIC-VIEWING"
GENERAL_PURPOSE = "청사 분실물 확인 GENERAL-VIEWING"
GUNSAN_PURPOSE = "군산 민원 확인 GUNSAN-VIEWING"
EVERY_PURPOSE = (TRAFFIC_PURPOSE, GENERAL_PURPOSE, GUNSAN_PURPOSE)


def _view(user, device, purpose: str, address: str) -> None:
    open_viewing(Actor.for_user(user, address), device, START, START + timedelta(hours=1), purpose)


@pytest.fixture
def world():
    incheon = make_institution()
    gunsan = make_institution("gunsan", "군산시")
    traffic = make_group("교통행정과", "bus-lane")
    general = make_group("총무과", "city-hall")
    gunsan_group = make_group("안전총괄과", "gs-cctv", institution=gunsan)
    people = {
        "alice": make_user("alice", "officer", departments=["교통행정과"]),
        "charlie": make_user("charlie", "officer", departments=["총무과"]),
        "general_auditor": make_user("gamsa", "auditor", departments=["총무과"]),
        "group_auditor": make_user("gamsa2", "auditor", device_groups=[traffic]),
        "auditor": make_user("auditor", "auditor"),
        "gunsan_officer": make_user("gs-officer", "officer", institution=gunsan),
        "gunsan_admin": make_user("gs-admin", "administrator", institution=gunsan),
    }
    _view(people["alice"], add_device(SETUP, traffic, "정문 1번"), TRAFFIC_PURPOSE, "10.1.1.1")
    _view(people["charlie"], add_device(SETUP, general, "현관"), GENERAL_PURPOSE, "10.2.2.2")
    _view(people["gunsan_officer"], add_device(SETUP, gunsan_group, "시청"), GUNSAN_PURPOSE, "10.3.3.3")
    return {"incheon": incheon, "gunsan": gunsan, "traffic": traffic, "general": general, **people}


def _page(client, user, **query) -> str:
    log_in(client, user)
    # The log's own page views are part of what each reader may or may not see: shown here.
    query.setdefault("include_views", "on")
    response = client.get(reverse("audit:entry_list"), query)
    assert response.status_code == 200
    # The entries' table (the filter's select lists every event name).
    return response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _purposes(page: str) -> set[str]:
    return {p for p in EVERY_PURPOSE if p in page}


ADDRESSES = {"10.1.1.1": TRAFFIC_PURPOSE, "10.2.2.2": GENERAL_PURPOSE, "10.3.3.3": GUNSAN_PURPOSE}


def _listed(page: str) -> set[str]:
    """The viewings an admin list shows, known by their client addresses (the list shows no reason)."""
    return {purpose for address, purpose in ADDRESSES.items() if address in page}


# -- what each entry carries -------------------------------------------------------------------------


def test_an_entry_carries_the_scope_of_what_it_describes(world):
    viewing = AuditEntry.objects.get(action="vault.view_footage", reason=TRAFFIC_PURPOSE)
    traffic = world["traffic"]
    assert viewing.scope == Scope(world["incheon"].pk, traffic.department_id, traffic.pk)
    grant = AuditEntry.objects.filter(action="accounts.grant_role", target_id=str(world["charlie"].pk)).get()
    # Entries about a person (account, logins, grants) are their institution's and department's.
    assert grant.scope == Scope(world["incheon"].pk, world["general"].department_id)


def test_the_scope_is_hashed_so_an_entry_cannot_be_moved_out_of_sight(world):
    assert verify_log().ok
    entry = AuditEntry.objects.get(reason=TRAFFIC_PURPOSE)
    disable_guard()
    sql(
        "UPDATE audit_auditentry SET scope_department = %s, scope_device_group = NULL WHERE id = %s",
        [world["general"].department_id, entry.pk],
    )
    problem = verify_log().problem
    assert problem is not None and (problem.sequence, problem.kind) == (entry.sequence, "modified")


def test_an_explicit_scope_wins_and_an_entry_without_target_takes_the_actors(world):
    with transaction.atomic():
        explicit = record(SETUP, AuditEvent.AUDIT_VERIFY, world["alice"], scope=Scope(world["gunsan"].pk))
        own = record(Actor.for_user(world["charlie"], "x"), AuditEvent.AUDIT_VIEW_LOG)
        system = record(SETUP, AuditEvent.AUDIT_VERIFY)
    assert explicit.scope == Scope(world["gunsan"].pk)
    assert own.scope == Scope(world["incheon"].pk, world["general"].department_id)
    assert system.scope == Scope()
    assert verify_log().ok


# -- the auditor's page ------------------------------------------------------------------------------


def test_an_auditor_of_one_department_does_not_read_anothers_viewings(client, world):
    page = _page(client, world["general_auditor"])
    assert _purposes(page) == {GENERAL_PURPOSE}
    assert "10.1.1.1" not in page and "10.3.3.3" not in page  # client addresses of the others' viewings
    # Nor their logins and grants: Alice is 교통행정과's.
    assert "역할 부여" in _page(client, world["general_auditor"], target="charlie")
    assert "역할 부여" not in _page(client, world["general_auditor"], target="alice")


def test_a_filter_cannot_reach_past_the_scope(client, world):
    page = _page(client, world["general_auditor"], action="vault.view_footage", target="정문")
    assert _purposes(page) == set()


def test_an_auditor_of_one_device_group_reads_that_group_only(client, world):
    assert _purposes(_page(client, world["group_auditor"])) == {TRAFFIC_PURPOSE}


def test_another_institutions_administrator_reads_none_of_this_institution(client, world):
    page = _page(client, world["gunsan_admin"])
    assert _purposes(page) == {GUNSAN_PURPOSE}
    assert "10.1.1.1" not in page and "10.2.2.2" not in page
    for name in ("alice", "charlie", "gamsa"):
        assert "기록이 없습니다" in _page(client, world["gunsan_admin"], target=name)


def test_an_institution_wide_auditor_reads_the_whole_institution_and_the_systems_entries(client, world):
    attempt_login(Actor(None, "익명", "10.9.9.9"), "nobody-such", "wrong")  # no institution: the system's
    page = _page(client, world["auditor"])
    assert _purposes(page) == {TRAFFIC_PURPOSE, GENERAL_PURPOSE}
    assert "10.9.9.9" in page
    assert "10.9.9.9" not in _page(client, world["general_auditor"])


def test_logins_belong_to_the_persons_department(client, world):
    outcome = attempt_login(Actor(None, "익명", "10.4.4.4"), "alice", PASSWORD)
    assert outcome.user is not None
    assert "10.4.4.4" in _page(client, world["auditor"])
    assert "10.4.4.4" not in _page(client, world["general_auditor"])
    assert "10.4.4.4" not in _page(client, world["gunsan_admin"])


def test_a_superuser_reads_nothing_without_a_grant(client, world):
    root = make_user("root", is_superuser=True, is_staff=True)
    log_in(client, root)
    assert client.get(reverse("audit:entry_list")).status_code == 403


# -- the verify page ---------------------------------------------------------------------------------


def _verify_message(client, user, *, logged_in: bool = False) -> str:
    if not logged_in:
        log_in(client, user)
    response = client.post(reverse("audit:verify"))
    assert response.status_code == 302
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_verify_page_counts_only_the_readers_entries(client, world):
    log_in(client, world["general_auditor"])  # logging in is recorded too, in the auditor's department
    readable = (
        AuditEntry.objects.filter(scope_department=world["general"].department_id).count() + 1
    )  # and the verification entry it writes itself (the auditor is 총무과's)
    message = _verify_message(client, world["general_auditor"], logged_in=True)
    assert "이상 없음" in message and f"{readable}건" in message
    assert f"{AuditEntry.objects.count()}건" not in message


def test_a_problem_outside_the_scope_is_reported_without_its_details(client, world):
    entry = AuditEntry.objects.get(reason=TRAFFIC_PURPOSE)
    disable_guard()
    sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["바뀐 목적", entry.pk])
    message = _verify_message(client, world["general_auditor"])
    assert "이상이 있습니다" in message and "열람 범위 밖" in message
    assert f"#{entry.sequence}" not in message
    assert f"#{entry.sequence}" in _verify_message(client, world["auditor"])


# -- the Django admin --------------------------------------------------------------------------------


def _superuser(username: str, **grant):
    return make_user(username, is_superuser=True, is_staff=True, **grant)


def test_the_admin_lists_only_the_readers_entries(client, world):
    log_in(client, _superuser("root", role="auditor", departments=["총무과"]))
    response = client.get(reverse("admin:audit_auditentry_changelist"), {"q": "VIEWING"})
    assert response.status_code == 200
    assert _listed(response.content.decode()) == {GENERAL_PURPOSE}


def test_the_admin_does_not_open_an_entry_outside_the_scope(client, world):
    log_in(client, _superuser("root", role="auditor", departments=["총무과"]))
    traffic = AuditEntry.objects.get(reason=TRAFFIC_PURPOSE)
    response = client.get(reverse("admin:audit_auditentry_change", args=[traffic.pk]), follow=True)
    assert TRAFFIC_PURPOSE not in response.content.decode() and "10.1.1.1" not in response.content.decode()
    general = AuditEntry.objects.get(reason=GENERAL_PURPOSE)
    response = client.get(reverse("admin:audit_auditentry_change", args=[general.pk]))
    assert response.status_code == 200 and GENERAL_PURPOSE in response.content.decode()


def test_another_institutions_superuser_reads_none_of_it_in_the_admin(client, world):
    log_in(client, _superuser("gs-root", role="administrator", institution=world["gunsan"]))
    page = client.get(reverse("admin:audit_auditentry_changelist"), {"q": "VIEWING"}).content.decode()
    assert _listed(page) == {GUNSAN_PURPOSE}


def test_a_superuser_without_a_grant_is_refused_the_log_in_the_admin(client, world):
    log_in(client, _superuser("root"))
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403


# -- the rule itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scope",
    [Scope(), Scope(1), Scope(1, 10), Scope(1, 10, 100), Scope(2, 20, 200), Scope(1, 11, 101)],
)
@pytest.mark.parametrize(
    "readable",
    [
        ReadableScope(),
        ReadableScope(institutions=frozenset({1}), system=True),
        ReadableScope(departments=frozenset({10})),
        ReadableScope(device_groups=frozenset({101})),
    ],
)
def test_covers_and_the_query_agree(readable, scope):
    with transaction.atomic():
        entry = record(SETUP, AuditEvent.AUDIT_VERIFY, scope=scope)
    assert readable.covers(scope) == AuditEntry.objects.filter(readable.as_q(), pk=entry.pk).exists()


def test_every_model_the_actions_record_about_declares_its_scope(world):

    # The targets of every record() call in the apps' actions (grep "record(" src/jikimi/*/actions*).
    for model in (
        User,
        Institution,
        Department,
        DeviceGroup,
        Location,
        Device,
        DayKey,
        Segment,
        RecordingOutage,
        RecordingTrigger,
        LegalHold,
        Destruction,
        Viewing,
        PolicyVersion,
    ):
        assert callable(getattr(model, "audit_scope", None)), model
    device = Device.objects.get(name="정문 1번")
    assert Location(device_group=world["traffic"]).audit_scope() == device.audit_scope()
    assert DayKey(device=device).audit_scope() == device.audit_scope()


def test_a_target_that_declares_no_scope_takes_the_actors(world):
    with transaction.atomic():
        entry = record(Actor.for_user(world["charlie"], "x"), AuditEvent.AUDIT_VERIFY, HeldSegment(pk=1))
    assert entry.scope == Scope(world["incheon"].pk, world["general"].department_id)


# -- the log written before entries carried a scope ------------------------------------------------


def test_entries_written_before_scopes_existed_get_the_scope_of_their_target(client, world):
    device = Device.objects.get(name="정문 1번")
    as_before = Scope()  # hashed and stored as entries were before migration 0003
    with transaction.atomic():
        record(SETUP, AuditEvent.VAULT_VIEW_FOOTAGE, device, reason="OLD-TRAFFIC 목적", scope=as_before)
        record(
            Actor.for_user(world["alice"], "x"),
            AuditEvent.VAULT_VIEW_FOOTAGE,
            target_type="vault.Device",  # the label devices had before they moved to the register
            target_id=str(device.pk),
            reason="OLD-MOVED 목적",
            scope=as_before,
        )
        record(
            Actor.for_user(world["charlie"], "x"),
            AuditEvent.AUDIT_VIEW_LOG,
            reason="OLD-GENERAL",
            scope=as_before,
        )
        record(SETUP, AuditEvent.AUDIT_VERIFY, reason="OLD-SYSTEM", scope=as_before)
    old = ("OLD-TRAFFIC", "OLD-MOVED", "OLD-GENERAL", "OLD-SYSTEM")

    def seen(user):
        page = _page(client, user)
        return {mark for mark in old if mark in page}

    assert seen(world["gunsan_admin"]) == set(old)  # until the migration: the system's, open to all
    migration = importlib.import_module("jikimi.audit.migrations.0004_legacy_scope")
    migration.derive(django_apps, None)
    assert seen(world["gunsan_admin"]) == {"OLD-SYSTEM"}
    assert seen(world["general_auditor"]) == {"OLD-GENERAL"}
    assert seen(world["group_auditor"]) == {"OLD-TRAFFIC", "OLD-MOVED"}
    assert seen(world["auditor"]) == set(old)
    assert verify_log().ok
