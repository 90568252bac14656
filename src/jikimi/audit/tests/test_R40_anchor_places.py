"""Checkpoints are kept where the database's users cannot take them back (R40).

A file opened for appending only; an S3 bucket with Object Lock (a real moto server); the auditors'
mailboxes (a real SMTP server, aiosmtpd). Each on 127.0.0.1.
"""

import email
import json
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from jikimi.audit.anchoring import public_key
from jikimi.audit.checkpoints import parse, verify_signature
from jikimi.audit.tests.conftest import S3_CREDENTIALS, command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, move_head, rewrite_from, sql, write_entries

pytestmark = pytest.mark.django_db


def test_the_file_only_grows(settings):
    write_entries(2)
    run_command("anchor_audit")
    path = Path(settings.JIKIMI_AUDIT_ANCHOR_PATH)
    first = path.read_bytes()
    write_entries(1)
    run_command("anchor_audit")
    assert path.read_bytes().startswith(first) and len(path.read_text().splitlines()) == 2


@pytest.fixture
def locked_bucket(settings, monkeypatch, s3_endpoint):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", S3_CREDENTIALS[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", S3_CREDENTIALS[1])
    bucket = f"audit-anchor-{secrets.token_hex(4)}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    settings.JIKIMI_AUDIT_ANCHOR_S3_URL = f"s3://{bucket}/jikimi?endpoint={s3_endpoint}&mode=COMPLIANCE"
    settings.JIKIMI_AUDIT_ANCHOR_S3_RETENTION_DAYS = 1100
    return client, bucket


def test_s3_keeps_each_checkpoint_under_a_compliance_lock(locked_bucket):
    client, bucket = locked_bucket
    write_entries(3)
    assert "S3 s3://" in run_command("anchor_audit")
    (item,) = client.list_objects_v2(Bucket=bucket, Prefix="jikimi/")["Contents"]
    head = client.head_object(Bucket=bucket, Key=item["Key"])
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["ObjectLockRetainUntilDate"] > datetime.now(UTC) + timedelta(days=1000)
    with pytest.raises(ClientError):
        client.delete_object(Bucket=bucket, Key=item["Key"], VersionId=head["VersionId"])
    body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode()
    checkpoint = parse(body)
    verify_signature(checkpoint, public_key())
    assert checkpoint.sequence == 3


def test_s3_alone_catches_a_cut_when_the_file_is_gone(settings, locked_bucket, tmp_path):
    entries = write_entries(6)
    run_command("anchor_audit")
    settings.JIKIMI_AUDIT_ANCHOR_PATH = str(tmp_path / "somewhere_else.jsonl")  # the file was removed
    disable_guard()
    sql("DELETE FROM audit_auditentry WHERE sequence >= 4")
    move_head(3, entries[2].entry_hash)
    error = str(command_failure("verify_audit"))
    assert "(truncated)" in error and "#6" in error


def test_the_auditors_are_mailed_each_checkpoint(settings, smtp_inbox):
    settings.JIKIMI_AUDIT_ANCHOR_EMAILS = ["auditor@example.go.kr", "privacy@example.go.kr"]
    settings.JIKIMI_AUDIT_INSTITUTION = "인천광역시 예시구"
    write_entries(4)
    out = run_command("anchor_audit")
    assert "감사인 메일 auditor@example.go.kr" in out
    (envelope,) = smtp_inbox.messages
    assert sorted(envelope.rcpt_tos) == ["auditor@example.go.kr", "privacy@example.go.kr"]
    message = email.message_from_bytes(envelope.content)
    assert "고정점 #4" in str(email.header.make_header(email.header.decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode("utf-8")
    line = next(text for text in body.splitlines() if text.startswith("{"))
    checkpoint = parse(line)
    verify_signature(checkpoint, public_key())
    assert checkpoint.institution == "인천광역시 예시구" and checkpoint.sequence == 4
    assert json.loads(line) == json.loads(Path(settings.JIKIMI_AUDIT_ANCHOR_PATH).read_text())


def test_the_auditors_are_alerted_instead_when_the_log_does_not_verify(settings, smtp_inbox):
    settings.JIKIMI_AUDIT_ANCHOR_EMAILS = ["auditor@example.go.kr"]
    write_entries(5)
    run_command("anchor_audit")
    disable_guard()
    rewrite_from(2, reason="고침")
    command_failure("anchor_audit")
    alert = email.message_from_bytes(smtp_inbox.messages[-1].content)
    subject = str(email.header.make_header(email.header.decode_header(alert["Subject"])))
    assert "검증 실패" in subject and "(rewritten)" in alert.get_payload(decode=True).decode("utf-8")


def test_a_place_that_fails_is_reported_and_the_others_still_keep_the_checkpoint(settings, smtp_inbox):
    settings.JIKIMI_AUDIT_ANCHOR_EMAILS = ["auditor@example.go.kr"]
    settings.JIKIMI_AUDIT_ANCHOR_S3_URL = "s3://no-such-bucket/x?endpoint=http://127.0.0.1:9"
    write_entries(1)
    error = str(command_failure("anchor_audit"))
    assert "S3 s3://no-such-bucket/x/에 감사 고정점을 쓰지 못했습니다" in error
    assert Path(settings.JIKIMI_AUDIT_ANCHOR_PATH).exists() and len(smtp_inbox.messages) == 1
