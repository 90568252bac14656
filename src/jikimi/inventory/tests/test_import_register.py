"""Importing a register file: everything the seeds say lands in the models, with one audit entry."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import import_register

from .conftest import SMALL, small_text, table_counts


def test_it_imports_every_part_of_the_register(institution):
    assert institution.name == "시험시" and institution.slug == "siheom"
    assert [d.name for d in institution.departments.all()] == ["교통행정과", "총무과", "통합관제센터"]
    assert institution.departments.get(name="통합관제센터").parent.name == "교통행정과"
    bus = institution.device_groups.get(key="bus-lane")
    assert bus.count == 4 and bus.retention == "준영구"
    assert bus.recording_hours.startswith("평일")
    assert [str(loc) for loc in bus.locations.all()] == [
        "율목동 유동3거리",
        "간석 레미안자이앞",
        "부평구 신라저축은행(2대)",
    ]
    assert [o.key for o in bus.managers.all()] == ["traffic-head"]
    assert [c.company for c in bus.contractors.all()] == ["㈜영창티엠에스"]
    contractor = institution.contractors.get()
    assert (
        contractor.period_start == date(2024, 1, 1) and contractor.supervising_department.name == "교통행정과"
    )
    hall = institution.device_groups.get(key="city-hall")
    assert [(loc.name, loc.retention) for loc in hall.locations.all()] == [
        ("청사 내외", "30일"),
        ("승강기", "14일"),
    ]
    cam = institution.device_groups.get(key="body-cam")
    assert cam.kind == "mobile" and cam.get_mobile_type_display() == "착용형"
    assert institution.declared_totals.count() == 4
    document = institution.policy_document
    assert document.effective_on == date(2024, 9, 1) and document.privacy_officer.key == "admin-head"
    assert document.sections[1] == {"title": "기타", "body": "자유롭게 쓴 문단"}
    assert [r.label for r in institution.policy_revisions.all()] == ["최초 제정", "1차 개정"]


def test_it_writes_one_audit_entry_with_the_counts_and_the_file_hash(institution):
    [entry] = AuditEntry.objects.filter(action="inventory.import_register")
    assert entry.target_id == str(institution.pk)
    assert entry.details["sha256"] == hashlib.sha256(small_text().encode()).hexdigest()
    assert entry.details["counts"]["device_groups"] == 3
    assert entry.details["counts"]["devices"] == 42
    assert entry.details["replaced"] is False


def test_importing_again_replaces_the_register_in_place(institution):
    bus_pk = institution.device_groups.get(key="bus-lane").pk
    department_pk = institution.departments.get(name="교통행정과").pk
    changed = (
        small_text()
        .replace("count: 35\n", "count: 36\n")
        .replace("label: 고정형, count: 39", "label: 고정형, count: 40")
    )
    result = import_register(Actor.system("test"), changed, "small.yaml")
    assert result.replaced
    assert result.institution.pk == institution.pk
    # Users, grants and footage point at these rows: they survive a re-import.
    assert institution.device_groups.get(key="bus-lane").pk == bus_pk
    assert institution.departments.get(name="교통행정과").pk == department_pk
    assert institution.device_groups.get(key="city-hall").count == 36
    assert AuditEntry.objects.filter(action="inventory.import_register").count() == 2


def test_entries_the_file_no_longer_lists_are_removed(institution):
    text = small_text()
    start = text.index("  - key: body-cam")
    end = text.index("declared_totals:")
    text = text[:start] + text[end:]
    text = text.replace("label: 이동형, count: 3, kind: mobile}", "label: 이동형, count: 0, kind: mobile}")
    text = text.replace("label: 교통행정과, count: 7,", "label: 교통행정과, count: 4,")
    import_register(Actor.system("test"), text, "small.yaml")
    assert not institution.device_groups.filter(key="body-cam").exists()
    assert institution.device_groups.count() == 2


def test_the_command_imports_and_reports(db, capsys):
    call_command("import_register", str(SMALL))
    out = capsys.readouterr().out
    assert "시험시(siheom)" in out and "기기 묶음 3" in out
    assert models.DeviceGroup.objects.count() == 3


def test_the_command_fails_with_the_errors_on_stderr_and_a_non_zero_exit(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(small_text().replace("count: 35\n", "count: -1\n"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_register", str(bad), stderr=err)
    assert raised.value.returncode != 0  # the console script exits with it
    assert "아무것도 가져오지 않았습니다" in str(raised.value)
    assert (
        f"{bad}:{small_text().split(chr(10)).index('    count: 35') + 1}: device_groups[1].count (설치 대수): 0 이상이어야 합니다"
        in err.getvalue()
    )
    assert table_counts()["DeviceGroup"] == 0


def test_the_console_script_exits_non_zero_naming_a_missing_file(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "jikimi.web.manage", "import_register", str(missing)],
        capture_output=True,
        text=True,
        env={**os.environ, "JIKIMI_DATA_DIR": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 1
    assert f"{missing}: 파일이 없습니다" in done.stderr


def test_it_imports_the_five_seed_registers(db):
    from pathlib import Path

    registers = sorted((Path(__file__).resolve().parents[4] / "registers").glob("*.yaml"))
    assert [path.stem for path in registers] == ["geumcheon", "gunsan", "gwangyang", "incheon", "osan"]
    for path in registers:
        result = import_register(Actor.system("test"), path.read_text(encoding="utf-8"), str(path))
        assert result.counts["device_groups"] >= 0


def test_renaming_a_department_in_the_file_keeps_it_and_the_grants_that_point_at_it(institution, alice):
    traffic = institution.departments.get(name="교통행정과")
    # The name changes everywhere the file refers to it; the key stays.
    renamed = small_text().replace("교통행정과", "교통정책과")
    import_register(Actor.system("test"), renamed, "small.yaml")
    traffic.refresh_from_db()
    assert traffic.name == "교통정책과"
    assert alice.role_grants.get().departments.get() == traffic


def test_a_declared_total_and_a_revision_are_updated_in_place_by_key(institution):
    total = institution.declared_totals.get(key="gojeonghyeong")
    revision = institution.policy_revisions.get(key="choecho-jejeong")
    changed = (
        small_text()
        .replace("label: 고정형, count: 39", "label: 고정형 영상정보처리기기, count: 39")
        .replace("label: 최초 제정,", "label: 제정,")
    )
    import_register(Actor.system("test"), changed, "small.yaml")
    assert institution.declared_totals.get(pk=total.pk).label == "고정형 영상정보처리기기"
    assert institution.policy_revisions.get(pk=revision.pk).label == "제정"
