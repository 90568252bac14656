"""The institution's master key, and the data keys it wraps (one per device and day, one per legal hold).

DESIGN "Keys and destruction": each segment is encrypted under a data key per (device, day); data
keys exist only wrapped by the master key. Destroying footage (법 제21조①, 시행령 제16조①, R17) is
destroying the wrapped day key: without it the ciphertext is noise, wherever copies of it went.

Master key
----------
32 random bytes. In a file it is one line: the standard base64 of the 32 bytes (44 characters),
then a newline. The same text is accepted from an environment-provided value (`MasterKey.from_text`),
so a deployment can use a secrets manager instead of a file; the engine itself never reads the
environment. `MasterKey.load_or_create(path)` creates the file on first use with mode 0600 (the
directory, if missing, with 0700) and refuses an existing file that group or others may read or
write: a key anyone on the machine can read protects nothing (안전성 확보조치 기준 제7조, R41/R42).

Its fingerprint names it without revealing it: the first 8 bytes of
HMAC-SHA256(master, b"jikimi/master-key/fingerprint/1"), shown as 16 lowercase hex digits.

Data keys and wrapping (format 1)
---------------------------------
A data key is 32 random bytes with a key id (1–255 bytes of UTF-8, no NUL, no control characters),
e.g. "day/cam-0012/2026-11-23" or "hold/2026-수사-0042". A wrapped data key is 69 bytes:

    offset  size  field
    0       1     wrap format version, 0x01
    1       8     master key fingerprint (raw 8 bytes)
    9       12    nonce, random
    21      48    AES-256-GCM(master, nonce, data key) = 32 bytes ciphertext || 16 bytes tag

The GCM associated data is  b"jikimi/data-key/1" || 0x00 || fingerprint (8 bytes) || key id (UTF-8).
AES-GCM rather than AES-KW (RFC 3394) because it binds the key id: a wrapped key copied onto
another key id's row (say, a held day's key onto a day due for destruction) fails to unwrap.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jikimi.engine.footage.errors import KeyFileError, KeyUnwrapError

KEY_BYTES = 32
WRAP_VERSION = 1
WRAPPED_KEY_BYTES = 1 + 8 + 12 + KEY_BYTES + 16
_WRAP_AAD = b"jikimi/data-key/1\x00"
_FINGERPRINT_LABEL = b"jikimi/master-key/fingerprint/1"
# Any permission for group or others: a master key readable by anyone on the machine protects nothing.
_UNSAFE_MODE_BITS = stat.S_IRWXG | stat.S_IRWXO


def check_key_id(key_id: str) -> bytes:
    """The key id as UTF-8, or ValueError if it cannot be written into a header or a wrapped key."""
    raw = key_id.encode("utf-8")
    if not 1 <= len(raw) <= 255:
        raise ValueError(f"key id must be 1–255 bytes of UTF-8, got {len(raw)}: {key_id!r}")
    if any(ch < " " or ch == "\x7f" for ch in key_id):
        raise ValueError(f"key id contains a control character: {key_id!r}")
    return raw


def day_key_id(device: str, day: date) -> str:
    """The key id of a device's day key: one data key per (device, day) (DESIGN, R17)."""
    return f"day/{device}/{day.isoformat()}"


def hold_key_id(hold: str) -> str:
    """The key id of a legal hold's key (법 제21조③, R18)."""
    return f"hold/{hold}"


@dataclass(frozen=True, repr=False)
class DataKey:
    """A 256-bit AES key and the id it is known by. The repr never shows the secret."""

    key_id: str
    secret: bytes

    def __post_init__(self) -> None:
        check_key_id(self.key_id)
        if len(self.secret) != KEY_BYTES:
            raise ValueError(f"data key {self.key_id!r} must be {KEY_BYTES} bytes, got {len(self.secret)}")

    @classmethod
    def generate(cls, key_id: str) -> DataKey:
        return cls(key_id, secrets.token_bytes(KEY_BYTES))

    def __repr__(self) -> str:
        return f"DataKey(key_id={self.key_id!r}, secret=<hidden>)"


class MasterKey:
    """The institution's key-encryption key. Wraps and unwraps data keys; never encrypts footage."""

    __slots__ = ("_aead", "_secret", "fingerprint")

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            raise KeyFileError(f"a master key is {KEY_BYTES} bytes, got {len(secret)}")
        self._secret = bytes(secret)
        self._aead = AESGCM(self._secret)
        self.fingerprint = hmac.new(self._secret, _FINGERPRINT_LABEL, hashlib.sha256).digest()[:8].hex()

    def __repr__(self) -> str:
        return f"MasterKey(fingerprint={self.fingerprint})"

    # -- construction ------------------------------------------------------------------------------

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def from_bytes(cls, raw: bytes) -> MasterKey:
        return cls(raw)

    @classmethod
    def from_text(cls, text: str, *, source: str = "the master key value") -> MasterKey:
        """The key as its file holds it (base64 of 32 bytes), e.g. from an environment variable."""
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise KeyFileError(
                f"{source}: not base64 (expected 44 characters encoding {KEY_BYTES} bytes)"
            ) from None
        if len(raw) != KEY_BYTES:
            raise KeyFileError(f"{source}: decodes to {len(raw)} bytes, a master key is {KEY_BYTES}")
        return cls(raw)

    def to_text(self) -> str:
        return base64.b64encode(self._secret).decode("ascii")

    @classmethod
    def load(cls, path: str | Path) -> MasterKey:
        """Read an existing key file; refuse one that group or others may access."""
        path = Path(path)
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise KeyFileError(f"{path}: master key file does not exist") from None
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError(f"{path}: master key path is not a regular file")
        if info.st_mode & _UNSAFE_MODE_BITS:
            mode = stat.S_IMODE(info.st_mode)
            raise KeyFileError(
                f"{path}: master key file has mode {mode:04o}; group and others must have no access "
                f"(run: chmod 600 {path})"
            )
        try:
            text = path.read_text("ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(f"{path}: cannot read master key file ({exc})") from None
        return cls.from_text(text, source=str(path))

    @classmethod
    def load_or_create(cls, path: str | Path) -> MasterKey:
        """Load the key file, creating it (mode 0600) with a fresh random key on first use."""
        path = Path(path)
        if not path.exists() and not path.is_symlink():
            cls._create(path)
        return cls.load(path)

    @classmethod
    def _create(cls, path: Path) -> None:
        directory = path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise KeyFileError(f"{directory}: cannot create the master key's directory ({exc})") from None
        key = cls.generate()
        tmp = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.fchmod(fd, 0o600)  # whatever the umask says
                os.write(fd, (key.to_text() + "\n").encode("ascii"))
                os.fsync(fd)
            finally:
                os.close(fd)
            # link() never replaces: if another process created the key meanwhile, theirs wins and
            # both processes go on with the same key.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            raise KeyFileError(f"{path}: cannot create the master key file ({exc})") from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    # -- wrapping ----------------------------------------------------------------------------------

    def _aad(self, key_id: str) -> bytes:
        return _WRAP_AAD + bytes.fromhex(self.fingerprint) + check_key_id(key_id)

    def wrap(self, data_key: DataKey) -> bytes:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, data_key.secret, self._aad(data_key.key_id))
        return bytes([WRAP_VERSION]) + bytes.fromhex(self.fingerprint) + nonce + sealed

    def unwrap(self, wrapped: bytes, key_id: str) -> DataKey:
        if len(wrapped) != WRAPPED_KEY_BYTES or wrapped[0] != WRAP_VERSION:
            raise KeyUnwrapError(
                f"wrapped key {key_id!r}: not a format-{WRAP_VERSION} wrapped key "
                f"({len(wrapped)} bytes, expected {WRAPPED_KEY_BYTES})"
            )
        fingerprint = wrapped[1:9].hex()
        if fingerprint != self.fingerprint:
            raise KeyUnwrapError(
                f"wrapped key {key_id!r} was wrapped under master key {fingerprint}, not {self.fingerprint}"
            )
        try:
            secret = self._aead.decrypt(wrapped[9:21], wrapped[21:], self._aad(key_id))
        except InvalidTag:
            raise KeyUnwrapError(
                f"wrapped key {key_id!r} does not authenticate: it belongs to another key id or was modified"
            ) from None
        return DataKey(key_id, secret)


def wrap_data_key(master: MasterKey, data_key: DataKey) -> bytes:
    """The 69-byte wrapped form of ``data_key``: the only form in which a data key is ever stored."""
    return master.wrap(data_key)


def unwrap_data_key(master: MasterKey, wrapped: bytes, key_id: str) -> DataKey:
    """The data key ``key_id`` from its wrapped form; KeyUnwrapError if it is not that key's."""
    return master.unwrap(wrapped, key_id)


def rewrap_data_key(old_master: MasterKey, new_master: MasterKey, wrapped: bytes, key_id: str) -> bytes:
    """Master key rotation: the same data key, wrapped under ``new_master``; footage is not touched."""
    return new_master.wrap(old_master.unwrap(wrapped, key_id))
