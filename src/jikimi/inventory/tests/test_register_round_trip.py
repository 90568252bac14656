"""Export then import gives back the same register: the same bytes and the same models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError, export_register, find_institution

from .conftest import small_text

REGISTERS = Path(__file__).resolve().parents[4] / "registers"


def snapshot(institution: models.Institution) -> dict:
    """Every stored fact of the register, without database ids."""

    def plain(obj, *, drop=("id", "institution")):
        data = model_to_dict(obj)
        for name in drop:
            data.pop(name, None)
        return data

    groups = []
    for group in institution.device_groups.order_by("position"):
        data = plain(group, drop=("id", "institution", "department", "managers", "staff", "contractors"))
        data["department"] = group.department.name
        data["managers"] = [o.key for o in group.managers.order_by("key")]
        data["staff"] = [o.key for o in group.staff.order_by("key")]
        data["contractors"] = [c.key for c in group.contractors.order_by("key")]
        data["locations"] = [plain(loc, drop=("id", "device_group")) for loc in group.locations.all()]
        groups.append(data)
    document = models.PolicyDocument.objects.filter(institution=institution).first()
    return {
        "institution": plain(institution, drop=("id",)),
        "departments": [
            (d.name, d.parent.name if d.parent else "", d.phone, d.position)
            for d in institution.departments.all()
        ],
        "officers": [
            {
                **plain(o, drop=("id", "institution", "department")),
                "department": o.department.name if o.department else "",
            }
            for o in institution.officers.all()
        ],
        "contractors": [
            {**plain(c, drop=("id", "institution", "supervising_department"))}
            for c in institution.contractors.all()
        ],
        "groups": groups,
        "totals": [
            plain(t, drop=("id", "institution", "department")) for t in institution.declared_totals.all()
        ],
        "policy": plain(
            document, drop=("id", "institution", "privacy_officer", "privacy_contact", "privacy_department")
        )
        if document
        else None,
        "revisions": [plain(r) for r in institution.policy_revisions.all()],
        "fees": [plain(f) for f in institution.request_fees.all()],
    }


def test_export_then_import_then_export_is_byte_identical(institution):
    first = export_register(institution)
    before = snapshot(institution)
    import_register(Actor.system("test"), first, "exported.yaml")
    institution.refresh_from_db()
    assert snapshot(institution) == before
    assert export_register(institution) == first


def test_a_fresh_database_gets_the_same_register_back(institution):
    text = export_register(institution)
    before = snapshot(institution)
    # Remove everything and import the export into the empty register.
    models.DeviceGroup.objects.all().delete()
    models.Officer.objects.all().delete()
    models.Contractor.objects.all().delete()
    models.PolicyDocument.objects.all().delete()
    models.Department.objects.update(parent=None)
    models.Institution.objects.all().delete()
    result = import_register(Actor.system("test"), text, "exported.yaml")
    assert snapshot(result.institution) == before
    assert export_register(result.institution) == text


def test_the_export_keeps_the_files_shorthand_and_order(institution):
    text = export_register(institution)
    # A location on one line, with its key and only what differs from the defaults (a count is a fact
    # written whenever the institution gives it: there is no default count).
    assert "- {key: yulmokdong-yudong3geori, name: 율목동 유동3거리, count: 1}\n" in text
    assert "- {key: bupyeonggu-sinrajeochukeunhaeng, name: 부평구 신라저축은행, count: 2}\n" in text
    assert text.index("key: bus-lane") < text.index("key: city-hall") < text.index("key: body-cam")
    assert "valid_from: 2013-06-20" in text  # dates unquoted, as people write them
    assert "preamble: |" in text


def test_the_commands_round_trip_a_file(institution, tmp_path):
    out = tmp_path / "siheom.yaml"
    call_command("export_register", "시험시", str(out))
    call_command("import_register", str(out))
    again = tmp_path / "again.yaml"
    call_command("export_register", "siheom", str(again))
    assert out.read_bytes() == again.read_bytes()


def test_exporting_an_unknown_institution_names_the_known_ones(institution):
    with pytest.raises(RegisterFileError) as raised:
        find_institution("없는시")
    assert "시험시(siheom)" in str(raised.value)


@pytest.mark.parametrize("path", sorted(REGISTERS.glob("*.yaml")), ids=lambda p: p.name)
def test_each_seed_register_round_trips(db, path):
    institution = import_register(
        Actor.system("test"), path.read_text(encoding="utf-8"), str(path)
    ).institution
    first = export_register(institution)
    before = snapshot(institution)
    import_register(Actor.system("test"), first, "exported.yaml")
    assert snapshot(institution) == before
    assert export_register(institution) == first


def test_the_small_register_source_reads_the_same_as_its_export(institution):
    # Not byte-identical (comments, shorthand), but the same facts.
    assert small_text().count("key: ") == export_register(institution).count("key: ")


def test_R6_a_location_count_not_published_round_trips_as_null(institution):
    # 금천구 publishes 107대 for "구청사내외, 승강기" together: the register says the split is not published.
    hall = institution.device_groups.get(key="city-hall")
    hall.locations.update(count=None)
    text = export_register(institution)
    # "Not published" is written as null (the officer's file had a number there) or left out — never a number.
    [line] = [line for line in text.splitlines() if "name: 승강기" in line]
    assert re.search(r"count: \d", line) is None, line
    import_register(Actor.system("test"), text, "exported.yaml")
    hall = institution.device_groups.get(key="city-hall")
    assert [(loc.name, loc.count, loc.retention) for loc in hall.locations.all()] == [
        ("청사 내외", None, "30일"),
        ("승강기", None, "14일"),
    ]
    assert [str(loc) for loc in hall.locations.all()] == ["청사 내외(대수 미공개)", "승강기(대수 미공개)"]
    assert export_register(institution) == text
