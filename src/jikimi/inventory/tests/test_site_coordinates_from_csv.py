"""Sites' coordinates from the 공공데이터포털 "CCTV정보" CSV (issue 17: the map of sites).

data/cctv_info_fixture.csv is a made-up file in the standard's layout (UTF-8 with BOM) naming the
test register's sites (data/small.yaml); its points are for the test only. Only a row whose address is
a site's name exactly fills that site; everything else is reported with its CSV line, never applied.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import CoordinatesFileRefused, fill_site_coordinates
from jikimi.inventory.register_file import export_register
from jikimi.inventory.site_coordinates import MAX_BYTES, MAX_ROWS

from .conftest import DATA

FIXTURE = DATA / "cctv_info_fixture.csv"
ACTOR = Actor.system("test")
REASON = "2026년 공공데이터포털 CCTV정보 반영"
HEADER = "관리기관명,소재지도로명주소,소재지지번주소,카메라대수,WGS84위도,WGS84경도,데이터기준일자\n"


def _points() -> dict[str, tuple[float | None, float | None]]:
    return {loc.key: (loc.latitude, loc.longitude) for loc in models.Location.objects.all()}


def _fill(institution, data: bytes, file: str = "cctv.csv", **kwargs):
    return fill_site_coordinates(ACTOR, institution, data, file, REASON, **kwargs)


def test_rows_that_name_a_site_exactly_fill_it_and_the_rest_is_reported(institution):
    plan = _fill(institution, FIXTURE.read_bytes(), "cctv_info_fixture.csv")
    points = _points()
    assert points["yulmokdong-yudong3geori"] == (37.4701, 126.6365)
    # By its 지번 address, spaces aside; a second row for the same site and point agrees.
    assert points["bupyeonggu-sinrajeochukeunhaeng"] == (37.489, 126.723)
    assert points["ganseok-remianjaiap"] == (37.4661, 126.7068)
    assert points["cheongsa-naeoe"] == points["seungganggi"] == (None, None)
    assert len(plan.fillings) == 3
    assert plan.unmatched == [
        "cctv_info_fixture.csv:5: 주소 '없는 교차로', '시험시 없는동 1'와(과) 이름이 같은 설치 위치가 없습니다"
    ]
    bad = "\n".join(plan.bad_lines)
    assert "cctv_info_fixture.csv:7: WGS84위도 '삼십칠'은(는) 숫자가 아닙니다" in bad
    assert "cctv_info_fixture.csv:8: WGS84경도가 비어 있습니다" in bad
    assert "cctv_info_fixture.csv:9: WGS84위도·WGS84경도가 비어 있습니다 (좌표 미공개)" in bad
    assert "cctv_info_fixture.csv:10: WGS84위도: 위도는 대한민국 범위(33~39) 안이어야 합니다" in bad
    report = "\n".join(plan.report())
    assert "10줄" not in report and "9줄 중 좌표를 채운 설치 위치 3곳" in report
    # Audited, with what was filled and what was left (R40).
    entry = AuditEntry.objects.get(action="inventory.fill_site_coordinates")
    assert entry.reason == REASON and entry.details["rows"] == 9
    assert entry.details["unmatched"] == 1 and entry.details["bad_lines"] == 4
    assert "율목동 유동3거리: 위도 37.4701, 경도 126.6365 (2행)" in "\n".join(entry.details["filled"])
    # The filled coordinates are the register's: exported back and round-tripping.
    text = export_register(institution)
    assert "latitude: 37.4701, longitude: 126.6365" in text


def test_a_cp949_file_reads_as_the_same_rows(institution, tmp_path: Path):
    text = FIXTURE.read_bytes().decode("utf-8-sig")
    cp949 = tmp_path / "cctv_cp949.csv"
    cp949.write_bytes(text.replace("\n", "\r\n").encode("cp949"))
    plan = _fill(institution, cp949.read_bytes(), "cctv_cp949.csv")
    assert len(plan.fillings) == 3 and len(plan.bad_lines) == 4
    assert _points()["yulmokdong-yudong3geori"] == (37.4701, 126.6365)
    assert plan.unmatched[0].startswith("cctv_cp949.csv:5: ")


def test_an_address_naming_two_sites_is_ambiguous_and_fills_neither(institution):
    body_cam = institution.device_groups.get(key="body-cam")
    models.Location.objects.create(device_group=body_cam, key="ganseok", name="간석 레미안자이앞", count=1)
    plan = _fill(institution, FIXTURE.read_bytes(), "cctv_info_fixture.csv")
    [ambiguous] = plan.ambiguous
    assert ambiguous.startswith(
        "cctv_info_fixture.csv:6: 설치 위치 2곳과 일치해 어느 곳인지 정할 수 없습니다"
    )
    assert "(ganseok-remianjaiap)" in ambiguous and "(ganseok)" in ambiguous
    assert not models.Location.objects.filter(name="간석 레미안자이앞", latitude__isnull=False).exists()


def test_an_existing_coordinate_is_never_overwritten_silently(institution):
    models.Location.objects.filter(key="yulmokdong-yudong3geori").update(latitude=37.47, longitude=126.63)
    models.Location.objects.filter(key="ganseok-remianjaiap").update(latitude=37.4661, longitude=126.7068)
    plan = _fill(institution, FIXTURE.read_bytes(), "cctv_info_fixture.csv")
    assert _points()["yulmokdong-yudong3geori"] == (37.47, 126.63)
    [conflict] = plan.conflicts
    assert conflict.startswith("cctv_info_fixture.csv:2: ")
    assert (
        "이미 좌표(위도 37.47, 경도 126.63)가 있어 파일의 좌표(위도 37.4701, 경도 126.6365)로 바꾸지"
        in conflict
    )
    assert len(plan.unchanged) == 1 and [str(f.location.key) for f in plan.fillings] == [
        "bupyeonggu-sinrajeochukeunhaeng"
    ]
    entry = AuditEntry.objects.get(action="inventory.fill_site_coordinates")
    assert entry.details["conflicts"] == [conflict]


def test_two_points_for_one_site_in_the_file_are_a_conflict(institution):
    data = (
        HEADER
        + "시험시,승강기,,5,37.4563,126.7052,2026-06-30\n"
        + "시험시,승강기,,5,37.4570,126.7052,2026-06-30\n"
    ).encode()
    plan = _fill(institution, data)
    [conflict] = plan.conflicts
    assert conflict.startswith("cctv.csv:2, 3: ") and "서로 다른 좌표" in conflict
    assert _points()["seungganggi"] == (None, None)


def test_a_dry_run_writes_nothing_and_audits_nothing(institution):
    plan = _fill(institution, FIXTURE.read_bytes(), dry_run=True)
    assert len(plan.fillings) == 3
    assert set(_points().values()) == {(None, None)}
    assert not AuditEntry.objects.filter(action="inventory.fill_site_coordinates").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"a,b,c\n1,2,3\n",
            "cctv.csv:1: 첫 줄에 WGS84위도, WGS84경도, 소재지도로명주소/소재지지번주소 열이 없습니다",
        ),
        ("관리기관명,WGS84위도,WGS84경도\n".encode(), "소재지도로명주소/소재지지번주소 열이 없습니다"),
        (b"\xff\xfe\x00\x00\xff" * 10, "글자 인코딩을 읽을 수 없습니다"),
        (b"x" * (MAX_BYTES + 1), "파일이 너무 큽니다"),
        (
            (HEADER + "시험시,a,,1,37.5,126.7,\n" * (MAX_ROWS + 1)).encode(),
            f"줄이 너무 많습니다 (최대 {MAX_ROWS:,}줄)",
        ),
    ],
    ids=["not-the-standard", "no-address", "encoding", "size", "rows"],
)
def test_a_file_that_cannot_be_read_is_refused_whole(institution, data, message):
    with pytest.raises(CoordinatesFileRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        _fill(institution, data)
    assert set(_points().values()) == {(None, None)}
    assert not AuditEntry.objects.filter(action="inventory.fill_site_coordinates").exists()


def test_a_reason_is_required(institution):
    with pytest.raises(CoordinatesFileRefused, match="사유"):
        fill_site_coordinates(ACTOR, institution, FIXTURE.read_bytes(), "cctv.csv", " ")


def test_the_command_fills_and_reports(institution, capsys):
    call_command("fill_site_coordinates", "siheom", str(FIXTURE), "--reason", REASON)
    out = capsys.readouterr().out
    assert "좌표를 채운 설치 위치 3곳" in out and "일치하는 위치 없음: " in out
    assert _points()["yulmokdong-yudong3geori"] == (37.4701, 126.6365)
    with pytest.raises(CommandError, match="파일이 없습니다"):
        call_command("fill_site_coordinates", "siheom", str(DATA / "none.csv"), "--reason", REASON)


# -- the register page (upload) ------------------------------------------------------------------------


def _upload(client, institution, data: bytes, name: str = "cctv.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(
        reverse("inventory:site_coordinates", args=[institution.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "reason": REASON, **fields},
    )


def test_the_register_page_fills_from_an_upload_and_reports(institution, client):
    from jikimi.accounts.testing import log_in, make_user

    log_in(client, make_user("privacy", "privacy_officer", institution=institution))
    page = client.get(f"/register/institutions/{institution.pk}/coordinates/")
    assert page.status_code == 200 and page.text.count("좌표 미공개") >= 5
    preview = _upload(client, institution, FIXTURE.read_bytes(), "cctv_info_fixture.csv", dry_run="on")
    assert preview.status_code == 200 and "미리 보기 — 저장하지 않았습니다" in preview.text
    assert set(_points().values()) == {(None, None)}
    done = _upload(client, institution, FIXTURE.read_bytes(), "cctv_info_fixture.csv")
    assert done.status_code == 200
    assert "좌표를 채운 설치 위치 3곳" in done.text
    assert "cctv_info_fixture.csv:5: 주소 &#x27;없는 교차로&#x27;" in done.text
    assert "cctv_info_fixture.csv:7: WGS84위도" in done.text
    assert _points()["yulmokdong-yudong3geori"] == (37.4701, 126.6365)
    entry = AuditEntry.objects.get(action="inventory.fill_site_coordinates")
    assert entry.actor_id is not None and entry.reason == REASON
    # A file that cannot be read: the error by the field, nothing written.
    refused = _upload(client, institution, b"a,b\n1,2\n", "wrong.csv")
    assert refused.status_code == 400 and "wrong.csv:1: 첫 줄에 WGS84위도" in refused.text


def test_a_department_officer_cannot_fill_the_whole_institutions_sites(institution, alice, client):
    from jikimi.accounts.testing import log_in

    log_in(client, alice)
    assert client.get(f"/register/institutions/{institution.pk}/coordinates/").status_code == 403
    assert _upload(client, institution, FIXTURE.read_bytes()).status_code == 403
    assert set(_points().values()) == {(None, None)}
