"""The door-access system's log (R41): limits checked before any work, every line validated with Korean
errors naming file, line and field, nothing half-written, entries matched to approved visits or staff
and the rest flagged as entries without approval (오산시 지침 제22조②)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.actions import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control import door_log
from jikimi.control.actions.visitors import decide_visit, request_visit
from jikimi.control.door_log import DoorLogRefused
from jikimi.control.models import DoorEntry, DoorLogImport
from jikimi.control.tests.room_world import MONDAY_10, room_people

pytestmark = pytest.mark.django_db
HEADER = "일시,카드번호,성명,출입문,구분\n"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MONDAY_10, tick=False):
        yield


@pytest.fixture
def people():
    return room_people()


def upload(client, content: bytes, name: str = "출입기록.csv"):
    return client.post(
        reverse("control:door_log", args=["osan"]), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_entries_are_matched_to_visits_and_staff_and_the_rest_flagged(client, people):
    visit = request_visit(
        Actor.for_user(people["op1"], "10.0.0.5"),
        people["osan"],
        visitor_name="홍길동",
        organisation="오산시의회",
        purpose="견학",
        visit_on=date(2026, 12, 7),
        host="한센터",
    )
    decide_visit(Actor.for_user(people["head"], "10.0.0.5"), visit, approve=True)
    csv = (
        HEADER
        + "2026-12-07 08:55,S-001,김관제,관제실,입실\n"
        + "2026-12-07 09:30,V-07,홍길동,관제실,입실\n"
        + "2026-12-07 03:10,X-99,성명미상,관제실,입실\n"
        + "2026/12/07 09:40:00,S-009,최담당,관제실,OUT\n"
    )
    log_in(client, people["head"])
    response = upload(client, csv.encode("utf-8-sig"))
    assert response.status_code == 302
    entries = {entry.name: entry for entry in DoorEntry.objects.all()}
    assert entries["홍길동"].visit == visit
    assert entries["김관제"].staff == people["op1"]
    # An officer of the institution without room rights is no 업무담당자 of the centre.
    assert entries["성명미상"].unapproved and entries["최담당"].unapproved
    audit = AuditEntry.objects.filter(action="control.import_door_log").get()
    assert (
        audit.details["rows"] == 4 and audit.details["matched"] == 1 and len(audit.details["unapproved"]) == 2
    )
    page = client.get(reverse("control:visitors", args=["osan"])).content.decode()
    assert "승인 없는 출입 2건" in page and "성명미상" in page


def test_a_bad_file_names_the_file_the_line_and_the_field_and_stores_nothing(client, people):
    csv = (
        HEADER
        + "2026-12-07 08:55,S-001,김관제,관제실,입실\n"
        + "어제 밤,S-002,이야간,관제실,입실\n"
        + "2026-12-07 09:00,,이야간,관제실,나감\n"
        + "2027-12-07 09:00,S-003,미래인,관제실,입실\n"
        + "2026-12-07 09:00,S-004\n"
    )
    log_in(client, people["head"])
    response = upload(client, csv.encode())
    assert response.status_code == 400
    text = response.content.decode()
    assert "출입기록.csv 3행 &#x27;일시&#x27;: &#x27;어제 밤&#x27;은(는) 날짜·시각이 아닙니다" in text
    assert "출입기록.csv 4행 &#x27;카드번호&#x27;: 비어 있습니다" in text
    assert "출입기록.csv 4행 &#x27;구분&#x27;" in text
    assert "출입기록.csv 5행 &#x27;일시&#x27;" in text and "기간 밖" in text
    assert "출입기록.csv 6행: 칸이 5개여야 합니다" in text
    assert "아무것도 저장하지 않았습니다" in text
    assert not DoorLogImport.objects.exists() and not DoorEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="control.import_door_log").exists()


def test_the_header_encoding_and_empty_files_are_checked(client, people):
    log_in(client, people["head"])
    wrong = upload(client, "시각,카드,이름\n2026-12-07 08:55,S-1,김\n".encode())
    assert wrong.status_code == 400 and "1행: 머리행은" in wrong.content.decode()
    cp949 = upload(
        client, (HEADER + "2026-12-07 08:55,S-001,김관제,관제실,입실\n").encode("cp949"), "cp949.csv"
    )
    assert cp949.status_code == 302
    binary = upload(client, b"\xff\xfe\x00\x00garbage\x80\x81", "x.csv")
    assert binary.status_code == 400
    assert upload(client, b"", "empty.csv").status_code == 400
    assert upload(client, HEADER.encode(), "header.csv").status_code == 400
    assert DoorLogImport.objects.count() == 1


def test_the_same_file_twice_is_refused(client, people):
    log_in(client, people["head"])
    content = (HEADER + "2026-12-07 08:55,S-001,김관제,관제실,입실\n").encode()
    assert upload(client, content).status_code == 302
    again = upload(client, content)
    assert again.status_code == 400 and "이미 가져온 파일입니다" in again.content.decode()


def test_size_and_row_limits_are_checked_before_any_work(monkeypatch, people):
    monkeypatch.setattr(door_log, "MAX_BYTES", 100)
    with pytest.raises(DoorLogRefused, match="파일이 너무 큽니다"):
        door_log.parse_door_log(b"x" * 101, "big.csv", earliest=MONDAY_10, latest=MONDAY_10)
    monkeypatch.setattr(door_log, "MAX_BYTES", 10_000)
    monkeypatch.setattr(door_log, "MAX_ROWS", 3)
    rows = HEADER + "2026-12-07 08:55,S-001,김관제,관제실,입실\n" * 4
    with pytest.raises(DoorLogRefused, match="행이 너무 많습니다"):
        door_log.parse_door_log(rows.encode(), "long.csv", earliest=MONDAY_10, latest=MONDAY_10)


def test_a_large_upload_is_refused_by_its_size_before_it_is_read(client, people, monkeypatch):
    from jikimi.control import room_views

    monkeypatch.setattr(room_views, "MAX_BYTES", 50)
    log_in(client, people["head"])
    response = upload(client, (HEADER + "2026-12-07 08:55,S-001,김관제,관제실,입실\n" * 3).encode())
    assert response.status_code == 400 and "파일이 너무 큽니다" in response.content.decode()


def test_only_the_head_imports(client, people):
    log_in(client, people["op1"])
    assert (
        upload(client, (HEADER + "2026-12-07 08:55,S-001,김관제,관제실,입실\n").encode()).status_code == 403
    )
