from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from jikimi.publishing.models import PolicyVersion
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze


def test_it_writes_the_html_by_korean_name(gunsan, tmp_path):
    out = tmp_path / "gunsan.html"
    call_command("render_policy", "군산시", "--format", "html", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "㈜영창티엠에스" in text and "미리보기" in text
    assert not list(tmp_path.glob(".gunsan.html.*"))  # the temporary file was renamed


def test_it_writes_the_pdf_by_slug(gunsan, tmp_path):
    out = tmp_path / "gunsan.pdf"
    call_command("render_policy", "gunsan", "--format", "pdf", "--out", str(out))
    assert "㈜영창티엠에스" in squeeze(pdf_text(out.read_bytes()))


def test_an_unknown_institution_is_a_clear_error(gunsan, tmp_path):
    with pytest.raises(CommandError, match="기관 '부산시'을\\(를\\) 찾을 수 없습니다.*군산시\\(gunsan\\)"):
        call_command("render_policy", "부산시", "--format", "html", "--out", str(tmp_path / "x.html"))


def test_a_missing_directory_is_a_clear_error(gunsan, tmp_path):
    with pytest.raises(CommandError, match="디렉터리"):
        call_command("render_policy", "gunsan", "--out", str(tmp_path / "no" / "x.html"))


def test_publish_policy_command_publishes_and_warns(gunsan, capsys):
    call_command(
        "publish_policy",
        "군산시",
        "--announced",
        "2024-08-30",
        "--effective",
        "2024-09-01",
        "--reason",
        "데모",
    )
    version = PolicyVersion.objects.get()
    assert (version.number, version.effective_on) == (1, date(2024, 9, 1))
    assert version.published_by_label == "명령 publish_policy"
    assert "경고" in capsys.readouterr().err


def test_publish_policy_command_rejects_a_bad_date(gunsan):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(
            "publish_policy",
            "gunsan",
            "--announced",
            "2024/08/30",
            "--effective",
            "2024-09-01",
            "--reason",
            "x",
        )


def test_it_writes_a_given_version_and_refuses_a_missing_one(gunsan, tmp_path):
    call_command(
        "publish_policy",
        "gunsan",
        "--announced",
        "2024-08-23",
        "--effective",
        "2024-09-01",
        "--reason",
        "개정",
    )
    out = tmp_path / "v1.html"
    call_command("render_policy", "gunsan", "--number", "1", "--out", str(out))
    assert "미리보기" not in out.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="제7판은 없습니다"):
        call_command("render_policy", "gunsan", "--number", "7", "--out", str(out))
