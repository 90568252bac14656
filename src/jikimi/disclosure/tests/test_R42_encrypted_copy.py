"""R42 (exported footage is encrypted) and R25: the requester's copy is the engine's sealed package in
an AES-256 ZIP that opens only with the password shown once to the officer; the link expires and every
download is audited."""

from __future__ import annotations

import email.header
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pyzipper
import time_machine

from jikimi.audit.anchoring import signing_key
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.delivery import DeliveryRefused, download_copy
from jikimi.disclosure.actions.masking import approve_release
from jikimi.disclosure.models import CopyDelivery, MaskingJob
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    CLOCK,
    World,
    immediate_huey,
    officer_actor,
    private_vault,
    rendered_job,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.package_fixtures import prepare_copy
from jikimi.engine.masking.package import verify_package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_huey")]
CITIZEN = Actor(user=None, label="청구인", client_address="203.0.113.9")


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK, tick=True):
        yield


def approved_job(world: World, capture: Any) -> MaskingJob:
    job = rendered_job(world, capture)
    assert job.state == MaskingJob.State.READY, job.error
    return approve_release(officer_actor(world.head), job)


def _archive(delivery: CopyDelivery) -> bytes:
    return download_copy(CITIZEN, delivery).read()


def test_the_copy_opens_with_the_password_and_its_package_verifies(
    world: World, django_capture_on_commit_callbacks: Any, tmp_path: Path, smtp_inbox: Any
) -> None:
    job = approved_job(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        prepared = prepare_copy(officer_actor(world.officer), job)
    data = _archive(prepared.delivery)
    # As any unzip tool sees it: every member encrypted (flag bit 0), method 99 (WinZip AES), and the
    # AES extra field (0x9901) saying strength 3 = AES-256.
    for member in zipfile.ZipFile(io.BytesIO(data)).infolist():
        assert member.flag_bits & 0x1 and member.compress_type == 99, member.filename
        at = member.extra.index(b"\x01\x99")
        assert member.extra[at + 8] == 3, member.filename
    with pyzipper.AESZipFile(io.BytesIO(data)) as zf:
        zf.setpassword(prepared.password.encode())
        zf.extractall(tmp_path / "opened")
    package = tmp_path / "opened" / world.request.receipt_number
    # Verified against the published key (issue 15), never against the signer.pub inside.
    report = verify_package(package, trusted_keys=[signing_key().public_key()])
    assert report.ok, report.problem
    # The manifest states how the copy was masked: mode and the full spec (issue 15).
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["mask_spec"]["mode"] in {"fast", "thorough"} and manifest["mask_spec"]["style"]
    assert (tmp_path / "opened" / "읽어보세요.txt").is_file()
    # The mail says the copy is ready, never the password.
    # Sent through a real SMTP server (aiosmtpd on 127.0.0.1).
    [(recipients, mail)] = smtp_inbox.received()
    subject = str(email.header.make_header(email.header.decode_header(mail["Subject"])))
    body = mail.get_payload(decode=True).decode("utf-8")
    assert recipients == ["hong@example.com"] and "사본" in subject
    assert prepared.password not in body and "암호" in body and "전화" in body
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"disclosure.prepare_copy", "disclosure.download_copy", "disclosure.approve_release"} <= actions
    assert CopyDelivery.objects.get().uses == 1


def test_a_wrong_password_opens_nothing(world: World, django_capture_on_commit_callbacks: Any) -> None:
    job = approved_job(world, django_capture_on_commit_callbacks)
    prepared = prepare_copy(officer_actor(world.officer), job)
    with pyzipper.AESZipFile(io.BytesIO(_archive(prepared.delivery))) as zf:
        zf.setpassword(b"WRONG-PASS-WORD-0000-0000")
        with pytest.raises(RuntimeError):
            zf.read(zf.namelist()[0])


def test_an_expired_link_is_refused_and_nothing_is_recorded(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = approved_job(world, django_capture_on_commit_callbacks)
    prepared = prepare_copy(officer_actor(world.officer), job)
    with time_machine.travel(CLOCK + timedelta(days=8)), pytest.raises(DeliveryRefused, match="기한"):
        download_copy(CITIZEN, prepared.delivery)
    assert not AuditEntry.objects.filter(action="disclosure.download_copy").exists()


def test_the_published_signing_key_verifies_a_copy_and_a_re_signed_one_fails(client, tmp_path):
    """Issue 15: a recipient verifies the package against the institution's published key, not the
    signer.pub the package carries."""
    from cryptography.hazmat.primitives import serialization

    from jikimi.audit.anchoring import signing_key
    from jikimi.engine.masking.package import (
        PackageInfo,
        build_package,
        generate_key,
        load_private_key,
        load_trust_list,
        verify_package,
    )

    response = client.get("/requests/signing-key.pem")
    assert response.status_code == 200 and response.content.startswith(b"-----BEGIN PUBLIC KEY-----")
    published = tmp_path / "published.pem"
    published.write_bytes(response.content)
    trusted = load_trust_list(published)
    assert trusted[0].public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == (
        signing_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    clip = tmp_path / "masked.mp4"
    clip.write_bytes(b"masked" * 100)
    info = PackageInfo(case="2026-00001", preparer="kim", approver="lee")
    good = build_package(tmp_path / "good", clips=[clip], sources=[], info=info, key=signing_key())
    assert verify_package(good, trusted_keys=trusted).ok
    generate_key(tmp_path / "forger.pem")
    forged = build_package(
        tmp_path / "forged",
        clips=[clip],
        sources=[],
        info=info,
        key=load_private_key(tmp_path / "forger.pem"),
    )
    assert not verify_package(forged, trusted_keys=trusted).ok
