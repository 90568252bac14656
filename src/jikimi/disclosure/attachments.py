"""The 청구서's attachments (군산시: 신분증, 위임장, 사고 현장 약도, 사고 당시 사진): checked, stored, read.

An attachment is personal data as sensitive as footage (an ID card's photo and 주민등록번호), so it is
kept like footage (DESIGN "Keys and destruction"): encrypted with AES-256-GCM under a data key of its
own, the key stored only wrapped by the institution's master key (jikimi.vault.keyring), the ciphertext
an object of a store of its own (settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL, by default a directory
of the data dir — never under static or media). Nothing serves it to the public; staff read it through
an audited view (counter_views.attachment).

Checks come first, cheapest first: the count, then each file's declared size (before its content is
read), then its content — the first bytes and the structure of a JPEG, PNG or PDF, whatever its name
says (a text file renamed .jpg is refused, naming the field).
"""

from __future__ import annotations

import contextlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings

from jikimi.disclosure.models import (
    ProvisionAttachment,
    ProvisionCase,
    RequestAttachment,
    SubjectRequest,
)
from jikimi.engine.footage import (
    DataKey,
    FootageError,
    FootageStore,
    decrypt_stream,
    encrypt_bytes,
    store_from_url,
)
from jikimi.vault import keyring

ATTACHMENT_PREFIX = "attachments/"
KEY_PREFIX = "attachment/"

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
ACCEPTED_TEXT = "JPG·PNG 이미지 또는 PDF"


class Upload(Protocol):
    """What Django's UploadedFile offers and the checks need."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = -1) -> bytes: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...


class AttachmentRefused(ValueError):
    """A file that cannot be accepted; `field` names the form field, the message says why in Korean."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with its content read once."""

    field: str
    kind: str  # RequestAttachment.Kind or ProvisionAttachment.Kind
    name: str
    content_type: str
    data: bytes


def max_bytes() -> int:
    return int(settings.JIKIMI_REQUEST_ATTACHMENT_MAX_BYTES)


def max_count() -> int:
    return int(settings.JIKIMI_REQUEST_ATTACHMENT_MAX_COUNT)


def size_text(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f}MB".replace(".0MB", "MB")
    return f"{max(1, count // 1024)}KB"


def _jpeg_ok(data: bytes) -> bool:
    # SOI, then a marker; the image ends with EOI (some cameras pad after it, so look near the end).
    return data[:3] == b"\xff\xd8\xff" and b"\xff\xd9" in data[-1024:]


def _png_ok(data: bytes) -> bool:
    # The signature, the IHDR chunk first (length 13), and the IEND chunk at the end.
    return (
        data[:8] == b"\x89PNG\r\n\x1a\n"
        and data[8:16] == b"\x00\x00\x00\rIHDR"
        and data.rstrip(b"\x00")[-8:-4] == b"IEND"
    )


def _pdf_ok(data: bytes) -> bool:
    return data[:5] == b"%PDF-" and b"%%EOF" in data[-2048:]


def sniff(data: bytes) -> str | None:
    """The content type of `data` when it is a whole JPEG, PNG or PDF; None otherwise (the name is ignored)."""
    if _jpeg_ok(data):
        return JPEG
    if _png_ok(data):
        return PNG
    if _pdf_ok(data):
        return PDF
    return None


def check_upload(field: str, label: str, kind: str, upload: Upload) -> CheckedFile:
    """The checks of one file, in order: its declared size before reading it, then its content."""
    limit = max_bytes()
    size = upload.size if upload.size is not None else limit + 1
    name = (upload.name or "첨부파일")[-200:]
    if size == 0:
        raise AttachmentRefused(field, f"{label}: 빈 파일입니다 ({name})")
    if size > limit:
        raise AttachmentRefused(
            field,
            f"{label}: 파일이 너무 큽니다 ({name}, {size_text(size)}). 한 파일은 {size_text(limit)}까지 받습니다",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRefused(
            field, f"{label}: 파일이 너무 큽니다 ({name}). 한 파일은 {size_text(limit)}까지 받습니다"
        )
    content_type = sniff(data)
    if content_type is None:
        raise AttachmentRefused(
            field,
            f"{label}: {name} 파일은 {ACCEPTED_TEXT}가 아닙니다. 파일 이름이 아니라 내용을 확인합니다: "
            "사진이나 스캔한 서류를 JPG·PNG·PDF로 저장해 올려 주십시오",
        )
    return CheckedFile(field=field, kind=kind, name=name, content_type=content_type, data=data)


@lru_cache(maxsize=4)
def _store(url: str) -> FootageStore:
    return store_from_url(url)


def attachment_store() -> FootageStore:
    return _store(str(settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL))


@dataclass(frozen=True)
class Sealed:
    """An encrypted object written to the attachment store, and what its row records."""

    object_name: str
    key_id: str
    wrapped_key: bytes
    sha256: str


def _seal(institution_slug: str, checked: CheckedFile) -> Sealed:
    """Encrypt `checked` under a new data key and put it in the attachment store (no row yet)."""
    token = secrets.token_hex(16)
    key = DataKey.generate(f"{KEY_PREFIX}{token}")
    sealed, info = encrypt_bytes(checked.data, key)
    name = f"{ATTACHMENT_PREFIX}{institution_slug}/{token}"
    attachment_store().put(name, sealed)
    return Sealed(name, key.key_id, keyring.master_key().wrap(key), info.plaintext_sha256)


def store_attachment(subject_request: SubjectRequest, checked: CheckedFile) -> RequestAttachment:
    """Encrypt `checked` under a new data key, put it in the attachment store, and index it.

    The object is written before the row: the caller (the intake action, inside its transaction) deletes
    the objects of a request that does not commit (`delete_objects`), so nothing is half-saved.
    """
    sealed = _seal(subject_request.institution.slug, checked)
    try:
        return RequestAttachment.objects.create(
            request=subject_request,
            kind=checked.kind,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=sealed.sha256,
            object_name=sealed.object_name,
            key_id=sealed.key_id,
            wrapped_key=sealed.wrapped_key,
        )
    except BaseException:
        delete_objects([sealed.object_name])
        raise


def store_provision_attachment(
    case: ProvisionCase, checked: CheckedFile, uploaded_by: Any
) -> ProvisionAttachment:
    """A provision case's document (the 공문, a signed 인수증, a destruction report), kept exactly like a
    청구서's attachment: same checks, same encryption, same store; the caller deletes on rollback."""
    sealed = _seal(case.institution.slug, checked)
    try:
        return ProvisionAttachment.objects.create(
            case=case,
            kind=checked.kind,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=sealed.sha256,
            object_name=sealed.object_name,
            key_id=sealed.key_id,
            wrapped_key=sealed.wrapped_key,
            uploaded_by=uploaded_by,
        )
    except BaseException:
        delete_objects([sealed.object_name])
        raise


def attachment_bytes(attachment: RequestAttachment | ProvisionAttachment) -> bytes:
    """The attachment's content, decrypted and checked against its recorded SHA-256."""
    key = keyring.unwrap(attachment.wrapped_key, attachment.key_id)
    sealed = attachment_store().get(attachment.object_name)
    out = io.BytesIO()
    info = decrypt_stream(sealed, out, key)
    if info.plaintext_sha256 != attachment.sha256:
        raise FootageError(f"attachment {attachment.pk}: content does not match its recorded hash")
    return out.getvalue()


def delete_objects(names: Iterable[str]) -> None:
    """Remove stored objects of a request that did not commit; a missing one is no error."""
    store = attachment_store()
    for name in names:
        with contextlib.suppress(FootageError):
            store.delete(name)
