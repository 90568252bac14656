"""Where the audit chain's signed checkpoints are kept, outside the database (R40).

Three places, each out of reach of whoever can write the database:

- a file of JSON lines (`JIKIMI_AUDIT_ANCHOR_PATH`, default `<data dir>/audit_anchor.jsonl`), opened
  with O_APPEND only: put it on another disk or a mount the database's host cannot rewrite (an
  append-only attribute, `chattr +a`, or a remote log host);
- an S3 bucket with Object Lock (`JIKIMI_AUDIT_ANCHOR_S3_URL`): every checkpoint is an object kept
  under a retention lock that nobody, the account's root included (COMPLIANCE mode), can shorten;
- e-mail to the institution's auditors (`JIKIMI_AUDIT_ANCHOR_EMAILS`): each keeps a copy that no
  one at the institution's server can take back.

The signing key is the institution's audit key (Ed25519): `JIKIMI_AUDIT_SIGNING_KEY` (or
`…_FILE`), else a key file created with mode 0600 in the data dir on first use. The auditors keep
its public key (`jikimi audit_public_key`) and verify with it (`JIKIMI_AUDIT_PUBLIC_KEY`, or
`jikimi verify_audit --public-key FILE`).
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.mail import EmailMessage

from jikimi.audit.checkpoints import BadCheckpoint, Checkpoint, parse
from jikimi.lib.secret_files import create_once

log = logging.getLogger(__name__)


class AnchorError(RuntimeError):
    """A checkpoint could not be written to, or read from, one of its places."""


class SigningKeyError(RuntimeError):
    """The audit signing or public key is missing or unreadable."""


# --- keys -------------------------------------------------------------------------------------


def _private_key_from_text(text: str, where: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise SigningKeyError(f"{where}: 감사 서명키를 읽을 수 없습니다 ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{where}: 감사 서명키는 Ed25519 키여야 합니다")
    return key


def public_key_from_text(text: str, where: str) -> Ed25519PublicKey:
    """A PEM public key, or base64 of the 32 raw bytes."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise SigningKeyError(f"{where}: 감사 공개키를 읽을 수 없습니다 ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{where}: 감사 공개키는 Ed25519 키여야 합니다")
    return key


def signing_key() -> Ed25519PrivateKey:
    configured: str = settings.JIKIMI_AUDIT_SIGNING_KEY
    if configured:
        return _private_key_from_text(configured, "JIKIMI_AUDIT_SIGNING_KEY")
    path = Path(settings.JIKIMI_AUDIT_SIGNING_KEY_PATH)
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        create_once(path, pem)
    return _private_key_from_text(path.read_text(encoding="ascii"), str(path))


def public_key() -> Ed25519PublicKey:
    """The key checkpoints are verified with: the auditors' copy when configured, else the signer's."""
    configured: str = settings.JIKIMI_AUDIT_PUBLIC_KEY
    if configured:
        return public_key_from_text(configured, "JIKIMI_AUDIT_PUBLIC_KEY")
    return signing_key().public_key()


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


# --- places -----------------------------------------------------------------------------------


@dataclass
class ReadCheckpoints:
    """Every checkpoint read back, and what could not be read (each a Korean sentence)."""

    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Anchor(Protocol):
    name: str

    def append(self, checkpoint: Checkpoint) -> None: ...

    def read(self, into: ReadCheckpoints) -> None: ...


class FileAnchor:
    """A JSON-lines file that jikimi only ever appends to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"파일 {path}"

    def append(self, checkpoint: Checkpoint) -> None:
        line = (checkpoint.to_json() + "\n").encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_APPEND: every write goes to the end, whatever else has the file open; nothing
            # here ever truncates, seeks or rewrites it.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            raise AnchorError(f"{self.name}에 감사 고정점을 쓰지 못했습니다: {error}") from error

    def read(self, into: ReadCheckpoints) -> None:
        if not self.path.exists():
            return
        try:
            with self.path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        into.checkpoints.append(parse(line, f"{self.path}:{number}"))
                    except BadCheckpoint as error:
                        into.problems.append(str(error))
        except (OSError, UnicodeDecodeError) as error:
            into.problems.append(f"{self.name}을(를) 읽지 못했습니다: {error}")


class S3Anchor:
    """One object per checkpoint in a bucket with Object Lock, kept under a retention lock.

    URL: s3://bucket/prefix?endpoint=https://…&region=…&mode=COMPLIANCE (credentials from boto3's
    usual chain, never in the URL). The bucket must have been created with Object Lock enabled.
    """

    def __init__(self, url: str, retention_days: int) -> None:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise AnchorError(f"JIKIMI_AUDIT_ANCHOR_S3_URL={url!r}: s3://버킷/접두어 형식이어야 합니다")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/") + "/" if parts.path.strip("/") else ""
        self.mode = query.get("mode", "COMPLIANCE").upper()
        if self.mode not in ("COMPLIANCE", "GOVERNANCE"):
            raise AnchorError(
                f"JIKIMI_AUDIT_ANCHOR_S3_URL: mode={self.mode}은(는) COMPLIANCE나 GOVERNANCE여야 합니다"
            )
        self.retention_days = retention_days
        self.name = f"S3 s3://{self.bucket}/{self.prefix}"
        import boto3  # optional at run time: only a deployment that anchors in S3 needs it
        from botocore.config import Config

        endpoint = query.get("endpoint")
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=query.get("region", "us-east-1"),
            config=Config(
                s3={"addressing_style": "path"} if endpoint else {},
                retries={"max_attempts": 5, "mode": "standard"},
            ),
        )

    def _key(self, checkpoint: Checkpoint) -> str:
        moment = checkpoint.anchored.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        # Zero-padded: keys sort by sequence, so the newest checkpoint is the last key listed.
        return f"{self.prefix}{checkpoint.sequence:020d}-{moment}-{checkpoint.kind}.json"

    def append(self, checkpoint: Checkpoint) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        until = datetime.now(UTC) + timedelta(days=self.retention_days)
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._key(checkpoint),
                Body=checkpoint.to_json().encode(),
                ContentType="application/json",
                ObjectLockMode=self.mode,
                ObjectLockRetainUntilDate=until,
                ChecksumAlgorithm="SHA256",
            )
        except (BotoCoreError, ClientError) as error:
            raise AnchorError(f"{self.name}에 감사 고정점을 쓰지 못했습니다: {error}") from error

    def _keys(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                yield item["Key"]

    def read(self, into: ReadCheckpoints) -> None:
        """The newest checkpoint and every archive checkpoint: together they decide verification.

        A chain that holds and still has the newest checkpoint's hash at its sequence has every
        earlier entry unchanged (each hash covers all before it), so older periodic checkpoints
        add nothing and are not fetched.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            keys = sorted(self._keys())
            wanted = [key for key in keys if key.endswith("-archive.json")]
            periodic = [key for key in keys if not key.endswith("-archive.json")]
            wanted += periodic[-1:]
            for key in wanted:
                body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
                try:
                    into.checkpoints.append(parse(body.decode("utf-8"), f"s3://{self.bucket}/{key}"))
                except (BadCheckpoint, UnicodeDecodeError) as error:
                    into.problems.append(str(error))
        except (BotoCoreError, ClientError) as error:
            into.problems.append(f"{self.name}을(를) 읽지 못했습니다: {error}")


def anchors() -> list[Anchor]:
    """Every configured place that keeps checkpoints and can be read back (not e-mail)."""
    places: list[Anchor] = []
    path: str = str(settings.JIKIMI_AUDIT_ANCHOR_PATH or "")
    if path:
        places.append(FileAnchor(Path(path)))
    url: str = settings.JIKIMI_AUDIT_ANCHOR_S3_URL
    if url:
        places.append(S3Anchor(url, int(settings.JIKIMI_AUDIT_ANCHOR_S3_RETENTION_DAYS)))
    return places


def read_checkpoints() -> ReadCheckpoints:
    """Every checkpoint of every readable place, once each (the same one is kept in several)."""
    found = ReadCheckpoints()
    for place in anchors():
        place.read(found)
    unique: dict[tuple[str, str], Checkpoint] = {}
    for checkpoint in found.checkpoints:
        unique.setdefault((checkpoint.signature, checkpoint.anchored_at), checkpoint)
    # Stable: of equal times, the order they were written in stays.
    found.checkpoints = sorted(unique.values(), key=lambda c: c.anchored_at)
    return found


def latest_checkpoint() -> Checkpoint | None:
    """The most recently anchored checkpoint (signature not checked: for scheduling only)."""
    checkpoints = read_checkpoints().checkpoints
    return checkpoints[-1] if checkpoints else None


# --- e-mail -----------------------------------------------------------------------------------


def auditor_addresses() -> list[str]:
    return list(settings.JIKIMI_AUDIT_ANCHOR_EMAILS)


def mail_checkpoint(checkpoint: Checkpoint) -> None:
    """Send the checkpoint to every auditor (Django's mail backend: SMTP in production)."""
    recipients = auditor_addresses()
    if not recipients:
        return
    kind = "보관 이전(아카이브)" if checkpoint.kind == "archive" else "정기"
    body = (
        f"{checkpoint.institution or '지킴이'} 감사 기록의 {kind} 고정점입니다.\n\n"
        f"마지막 항목: #{checkpoint.sequence} ({checkpoint.entry_at or '기록 없음'})\n"
        f"항목 해시: {checkpoint.entry_hash}\n"
        f"데이터베이스의 항목 수: {checkpoint.entry_count} (첫 항목 #{checkpoint.first_sequence})\n"
        f"서명 시각: {checkpoint.anchored_at}\n"
        f"서명 키: {checkpoint.key_id}\n\n"
        "이 메일을 지우지 말고 보관하십시오. 나중에 감사 기록이 잘리거나 다시 쓰였는지 확인할 때\n"
        "아래 한 줄을 고정점 파일에 넣고 `jikimi verify_audit --checkpoints 파일 --public-key 공개키`로\n"
        "검증합니다 (개인정보의 안전성 확보조치 기준 제8조③).\n\n"
        f"{checkpoint.to_json()}\n"
    )
    message = EmailMessage(
        subject=f"[지킴이] 감사 기록 고정점 #{checkpoint.sequence} ({checkpoint.institution or '지킴이'})",
        body=body,
        to=recipients,
    )
    try:
        message.send(fail_silently=False)
    except (OSError, Exception) as error:  # smtplib raises many kinds; each is a failed place
        raise AnchorError(
            f"감사인 메일({', '.join(recipients)})로 고정점을 보내지 못했습니다: {error}"
        ) from error


def mail_alert(subject: str, text: str) -> None:
    """Tell the auditors that the log does not verify (best effort: the caller logs too)."""
    recipients = auditor_addresses()
    if not recipients:
        return
    try:
        EmailMessage(subject=f"[지킴이] {subject}", body=text, to=recipients).send(fail_silently=False)
    except Exception:  # noqa: BLE001 — the alert is also logged; a mail failure must not hide it
        log.exception("audit alert mail failed")
