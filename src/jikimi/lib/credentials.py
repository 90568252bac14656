"""Camera credentials: stored encrypted, shown to nobody (안전성 확보조치 기준 제7조, R36, R42).

A camera's source URL often carries its login: rtsp://admin:비밀번호@10.0.0.5/stream1. jikimi keeps the
URL without it (`split_credentials`) and the "user:password" part sealed with AES-256-GCM under a key
derived from the institution's master key (HKDF-SHA256, its own label, so a credential key is never a
footage key). Pages, the API and the admin show the URL with the credentials replaced by *** (`redacted`);
only the recorder, when it connects, puts them back (`with_credentials`).

The master key is the vault's (settings.MASTER_KEY_TEXT from JIKIMI_MASTER_KEY, else the file
settings.MASTER_KEY_FILE). Its format is the engine's (jikimi.engine.footage.keys: one line, the base64
of 32 bytes); lib sits beside the engine and may not import it, so the few lines that read the key and,
on first use, create the file (`jikimi.lib.secret_files`) are repeated here.

A sealed value is "s1:" + base64url(nonce ‖ ciphertext ‖ tag); the GCM associated data names what it
seals (`purpose`), so a value copied into another kind of column does not open.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from jikimi.lib.secret_files import create_once

KEY_BYTES = 32
PREFIX = "s1:"
MASK = "***"
_HKDF_INFO = b"jikimi/sealed-secret/1"
_UNSAFE_MODE_BITS = stat.S_IRWXG | stat.S_IRWXO


class SealError(ValueError):
    """A sealed value cannot be opened (another master key, or altered), or the key cannot be had."""


# -- the key ---------------------------------------------------------------------------------------


def _decode(text: str, source: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SealError(f"{source}: 마스터 키가 base64가 아닙니다") from None
    if len(raw) != KEY_BYTES:
        raise SealError(f"{source}: 마스터 키는 {KEY_BYTES}바이트여야 합니다 ({len(raw)}바이트)")
    return raw


@lru_cache(maxsize=4)
def _key_from_file(name: str) -> bytes:
    path = Path(name)
    if not path.exists() and not path.is_symlink():
        create_once(path, (base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n").encode())
    info = os.stat(path)
    if info.st_mode & _UNSAFE_MODE_BITS:
        raise SealError(f"{path}: 마스터 키 파일을 그룹·다른 사용자가 읽을 수 있습니다 (chmod 600 {path})")
    return _decode(path.read_text("ascii"), str(path))


@lru_cache(maxsize=4)
def _aead(master: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_HKDF_INFO).derive(master)
    return AESGCM(derived)


def _cipher() -> AESGCM:
    text = getattr(settings, "MASTER_KEY_TEXT", "")
    master = _decode(text, "JIKIMI_MASTER_KEY") if text else _key_from_file(str(settings.MASTER_KEY_FILE))
    return _aead(master)


# -- sealing ---------------------------------------------------------------------------------------


def _aad(purpose: str) -> bytes:
    return b"jikimi/sealed/1\x00" + purpose.encode("utf-8")


def seal(plaintext: str, *, purpose: str) -> str:
    """`plaintext` encrypted for storage ("" stays "": nothing to hide)."""
    if not plaintext:
        return ""
    nonce = secrets.token_bytes(12)
    sealed = _cipher().encrypt(nonce, plaintext.encode("utf-8"), _aad(purpose))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(token: str, *, purpose: str) -> str:
    """The plaintext of a value made by `seal` with the same purpose and master key."""
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise SealError("암호화된 값의 형식이 아닙니다")
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode("ascii"))
        return _cipher().decrypt(raw[:12], raw[12:], _aad(purpose)).decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag):
        raise SealError("암호화된 값을 풀 수 없습니다 (마스터 키가 바뀌었거나 값이 변조되었습니다)") from None


# -- source URLs -----------------------------------------------------------------------------------


def split_credentials(url: str) -> tuple[str, str]:
    """(the URL without its userinfo, the userinfo "user:password" or ""). scheme://user:pw@host/path."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url, ""
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at:
        return url, ""
    return f"{scheme}://{host}{slash}{path}", userinfo


def with_credentials(url: str, userinfo: str) -> str:
    """The URL with `userinfo` put back (what the recorder connects to)."""
    if not userinfo:
        return url
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    return f"{scheme}://{userinfo}@{rest}"


def redacted(url: str) -> str:
    """The URL as anyone may see it: any userinfo replaced by ***."""
    bare, userinfo = split_credentials(url)
    return with_credentials(bare, MASK) if userinfo else bare
