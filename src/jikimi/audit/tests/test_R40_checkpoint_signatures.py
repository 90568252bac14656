"""Checkpoints are signed with the institution's audit key; a forged or altered one is reported (R40)."""

import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jikimi.audit.anchoring import public_key_pem, signing_key
from jikimi.audit.checkpoints import Checkpoint, key_id, sign
from jikimi.audit.tests.conftest import command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, sql, write_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(settings, tmp_path):
    settings.JIKIMI_AUDIT_SIGNING_KEY = ""
    settings.JIKIMI_AUDIT_SIGNING_KEY_PATH = tmp_path / "keys" / "audit_signing.key"
    return settings.JIKIMI_AUDIT_SIGNING_KEY_PATH


def anchor_lines(settings) -> list[str]:
    return Path(settings.JIKIMI_AUDIT_ANCHOR_PATH).read_text(encoding="utf-8").splitlines()


def test_the_signing_key_is_created_once_with_mode_0600(key_file):
    first = signing_key()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert key_id(signing_key().public_key()) == key_id(first.public_key())


def test_a_configured_key_signs_and_no_file_is_made(settings, key_file):
    configured = Ed25519PrivateKey.generate()
    settings.JIKIMI_AUDIT_SIGNING_KEY = configured.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    write_entries(2)
    run_command("anchor_audit")
    assert json.loads(anchor_lines(settings)[0])["key_id"] == key_id(configured.public_key())
    assert not key_file.exists()


def test_audit_public_key_prints_the_key_the_auditors_keep(key_file):
    printed = run_command("audit_public_key")
    assert public_key_pem(signing_key().public_key()).strip() in printed
    assert f"지문(key id): {key_id(signing_key().public_key())}" in printed


def test_a_checkpoint_forged_with_another_key_is_reported(settings, key_file):
    write_entries(3)
    run_command("anchor_audit")
    # A checkpoint that would make a rewritten log look anchored, signed with a key of the forger's.
    forged = sign(
        replace(_fields(anchor_lines(settings)[0]), entry_hash="f" * 64), Ed25519PrivateKey.generate()
    )
    with open(settings.JIKIMI_AUDIT_ANCHOR_PATH, "a", encoding="utf-8") as handle:
        handle.write(forged.to_json() + "\n")
    error = str(command_failure("verify_audit"))
    assert "(checkpoint)" in error and "서명이 감사 공개키" in error


def _fields(line: str) -> Checkpoint:
    fields = json.loads(line)
    del fields["format"]
    return Checkpoint(**fields)


def test_an_altered_checkpoint_is_reported(settings, key_file):
    entries = write_entries(4)
    run_command("anchor_audit")
    line = json.loads(anchor_lines(settings)[0])
    # Someone cuts the log to 2 entries and edits the anchor to match, without the key.
    line.update(sequence=2, entry_hash=entries[1].entry_hash, entry_count=2)
    Path(settings.JIKIMI_AUDIT_ANCHOR_PATH).write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert "서명이 감사 공개키" in str(command_failure("verify_audit"))


def test_the_auditors_verify_with_their_own_copy_of_the_public_key(settings, key_file, tmp_path):
    write_entries(3)
    run_command("anchor_audit")
    theirs = tmp_path / "auditor.pem"
    theirs.write_text(public_key_pem(signing_key().public_key()))
    assert "이상 없음" in run_command("verify_audit", "--public-key", str(theirs))
    # The server's key was replaced and everything re-signed: the auditors' key does not accept it.
    other = tmp_path / "other.pem"
    other.write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    assert "서명이 감사 공개키" in str(command_failure("verify_audit", "--public-key", str(other)))


def test_checkpoints_kept_by_the_auditors_catch_a_wipe_of_log_and_anchor(settings, key_file, tmp_path):
    write_entries(5)
    run_command("anchor_audit")
    kept = tmp_path / "from_mail.jsonl"
    kept.write_text(anchor_lines(settings)[0] + "\n")
    disable_guard()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_chainhead")
    os.remove(settings.JIKIMI_AUDIT_ANCHOR_PATH)
    assert "이상 없음" in run_command("verify_audit")  # nothing left on the server to compare with
    error = str(command_failure("verify_audit", "--checkpoints", str(kept)))
    assert "(truncated)" in error and "#5" in error
