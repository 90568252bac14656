"""Envelope encryption of footage segments: AES-256-GCM in fixed-size chunks, seekable and streamable.

Why chunks: playback seeks (HLS byte ranges, a browser scrubbing), and a 60 s segment must not be
decrypted whole to show its last second. Why authenticated chunks bound to their position: an
altered, reordered, cut or extended segment must be detected and named, never played — it may be
evidence (법 제18조②, R49). Every segment is encrypted under its day key, so destroying that key
destroys the footage (R17); see `keys` for wrapping and `reencrypt` below for legal holds.

File format 1 (integers big-endian)
-----------------------------------
Header, H = 49 + K bytes:

    offset  size  field
    0       8     magic b"JIKIMIFT"
    8       2     format version, 1
    10      2     header length H (offset of the first chunk)
    12      4     chunk size C: plaintext bytes per chunk, 64 ≤ C ≤ 64 MiB (default 1 MiB)
    16      8     plaintext length P
    24      8     nonce prefix, random per file
    32      1     key id length K, 1–255
    33      K     key id, UTF-8 (e.g. "day/cam-0012/2026-11-23")
    33+K    16    header tag: HMAC-SHA256(Kh, bytes 0 … 33+K−1) truncated to 16 bytes,
                  where Kh = HMAC-SHA256(data key, b"jikimi/footage/1/header-key")

Chunks follow the header: N = max(1, ceil(P / C)) of them. Chunk i (0-based) holds plaintext bytes
[i·C, min((i+1)·C, P)) — every chunk but the last holds exactly C bytes; the last holds 1…C bytes, or
0 when P = 0 — and is stored at offset H + i·(C + 16) as

    AES-256-GCM(data key, nonce_i, plaintext_i, aad_i) = ciphertext (same length) || 16-byte tag
    nonce_i = nonce prefix (8 bytes) || i as 4 bytes             (96 bits; so N ≤ 2^32)
    aad_i   = the whole header (H bytes, tag included) || i as 8 bytes || final flag as 1 byte
              (0x01 for chunk N−1, else 0x00)

The object is exactly H + P + 16·N bytes long.

What each part buys: the header tag lets a reader refuse a wrong key (GCM alone is not key-committing)
or an edited header before touching any chunk. The chunk index in nonce and AAD detects swapped or
reordered chunks; the header (with P) and the final flag in the AAD detect truncation, extension, and
splicing chunks from another file. Nonces: one day key encrypts a day's segments (1,440 at 60 s); a
random 64-bit prefix per file makes a collision between two of them about 1440²/2^65 ≈ 6·10⁻¹⁴, and
the counter never repeats inside a file.

Reading a range [start, end) fetches and authenticates only the chunks it overlaps; a whole read
(`decrypt_stream`, `verify`) also checks that no byte follows the final chunk.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jikimi.engine.footage.errors import ChunkError, EnvelopeError, HeaderError, TruncatedError, WrongKeyError
from jikimi.engine.footage.keys import DataKey, check_key_id

MAGIC = b"JIKIMIFT"
FORMAT_VERSION = 1
DEFAULT_CHUNK_SIZE = 1 << 20
MIN_CHUNK_SIZE = 64
MAX_CHUNK_SIZE = 64 << 20
TAG_BYTES = 16
_FIXED = struct.Struct(">8sHHIQ8sB")  # magic, version, H, C, P, nonce prefix, K: 33 bytes
_HEADER_KEY_LABEL = b"jikimi/footage/1/header-key"
_MAX_HEADER = _FIXED.size + 255 + TAG_BYTES

ReadAt = Callable[[int, int], bytes]
"""read_at(offset, length) -> up to `length` bytes at `offset` (fewer only at the end of the object)."""


@dataclass(frozen=True)
class EnvelopeHeader:
    key_id: str
    chunk_size: int
    plaintext_length: int
    nonce_prefix: bytes
    raw: bytes  # the header as stored, tag included: the AAD prefix of every chunk

    @property
    def length(self) -> int:
        return len(self.raw)

    @property
    def chunks(self) -> int:
        return max(1, -(-self.plaintext_length // self.chunk_size))

    @property
    def ciphertext_length(self) -> int:
        return self.length + self.plaintext_length + TAG_BYTES * self.chunks

    def chunk_offset(self, index: int) -> int:
        return self.length + index * (self.chunk_size + TAG_BYTES)

    def chunk_plain_length(self, index: int) -> int:
        if index < self.chunks - 1:
            return self.chunk_size
        return self.plaintext_length - (self.chunks - 1) * self.chunk_size


@dataclass(frozen=True)
class EnvelopeInfo:
    """What encrypting a segment produced: the vault's index row copies these."""

    key_id: str
    chunk_size: int
    chunks: int
    plaintext_size: int
    ciphertext_size: int
    plaintext_sha256: str
    ciphertext_sha256: str


def _header_tag(data_key: DataKey, body: bytes) -> bytes:
    header_key = hmac.new(data_key.secret, _HEADER_KEY_LABEL, hashlib.sha256).digest()
    return hmac.new(header_key, body, hashlib.sha256).digest()[:TAG_BYTES]


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">QB", index, 1 if final else 0)


def _check_chunk_size(chunk_size: int) -> None:
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk size must be {MIN_CHUNK_SIZE}…{MAX_CHUNK_SIZE} bytes, got {chunk_size}")


def make_header(
    data_key: DataKey, plaintext_length: int, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> EnvelopeHeader:
    """A fresh header (new random nonce prefix) for a plaintext of known length."""
    _check_chunk_size(chunk_size)
    if plaintext_length < 0:
        raise ValueError("plaintext length cannot be negative")
    if -(-plaintext_length // chunk_size) > 0xFFFFFFFF:
        raise ValueError("plaintext too long for this chunk size (more than 2^32 chunks)")
    key_id = check_key_id(data_key.key_id)
    prefix = secrets.token_bytes(8)
    length = _FIXED.size + len(key_id) + TAG_BYTES
    body = (
        _FIXED.pack(MAGIC, FORMAT_VERSION, length, chunk_size, plaintext_length, prefix, len(key_id)) + key_id
    )
    raw = body + _header_tag(data_key, body)
    return EnvelopeHeader(data_key.key_id, chunk_size, plaintext_length, prefix, raw)


def parse_header(head: bytes, data_key: DataKey) -> EnvelopeHeader:
    """Read and authenticate a header from the first bytes of an object (at least H of them)."""
    if len(head) < _FIXED.size or not head.startswith(MAGIC):
        raise HeaderError("not a jikimi footage envelope (bad magic or too short)")
    magic, version, length, chunk_size, plaintext_length, prefix, key_len = _FIXED.unpack_from(head)
    if version != FORMAT_VERSION:
        raise HeaderError(
            f"envelope format version {version} is not supported (this reader knows {FORMAT_VERSION})"
        )
    if length != _FIXED.size + key_len + TAG_BYTES or key_len == 0 or len(head) < length:
        raise HeaderError(f"envelope header is damaged (declares {length} bytes, key id of {key_len} bytes)")
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise HeaderError(f"envelope header is damaged (chunk size {chunk_size})")
    try:
        key_id = head[_FIXED.size : _FIXED.size + key_len].decode("utf-8")
    except UnicodeDecodeError:
        raise HeaderError("envelope header is damaged (key id is not UTF-8)") from None
    if key_id != data_key.key_id:
        raise WrongKeyError(f"segment is encrypted under key {key_id!r}, not {data_key.key_id!r}")
    raw = bytes(head[:length])
    if not hmac.compare_digest(raw[-TAG_BYTES:], _header_tag(data_key, raw[:-TAG_BYTES])):
        raise HeaderError(
            f"envelope header does not authenticate under key {key_id!r}: wrong key material or a modified header"
        )
    return EnvelopeHeader(key_id, chunk_size, plaintext_length, prefix, raw)


# -- writing ----------------------------------------------------------------------------------------


def _plaintext_length(reader: BinaryIO) -> int | None:
    try:
        if not reader.seekable():
            return None
        here = reader.tell()
        end = reader.seek(0, io.SEEK_END)
        reader.seek(here)
        return end - here
    except (OSError, AttributeError):
        return None


def encrypt_stream(
    plain_reader: BinaryIO,
    writer: BinaryIO,
    data_key: DataKey,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    plaintext_length: int | None = None,
) -> EnvelopeInfo:
    """Encrypt everything ``plain_reader`` yields into ``writer``, chunk by chunk.

    The plaintext length goes into the header (and so into every chunk's AAD) before the first chunk;
    it is taken from ``plaintext_length``, else from a seekable reader, else the reader is read into
    memory first (segments are tens of MB; plaintext is never spooled to disk).
    """
    if plaintext_length is None:
        plaintext_length = _plaintext_length(plain_reader)
    if plaintext_length is None:
        data = plain_reader.read()
        plain_reader, plaintext_length = io.BytesIO(data), len(data)
    header = make_header(data_key, plaintext_length, chunk_size)
    aead = AESGCM(data_key.secret)
    plain_hash, cipher_hash = hashlib.sha256(), hashlib.sha256()
    writer.write(header.raw)
    cipher_hash.update(header.raw)
    for index in range(header.chunks):
        want = header.chunk_plain_length(index)
        chunk = _read_exactly(plain_reader, want)
        if len(chunk) != want:
            raise EnvelopeError(
                f"plaintext ended after {index * chunk_size + len(chunk)} of the {plaintext_length} bytes announced"
            )
        plain_hash.update(chunk)
        final = index == header.chunks - 1
        sealed = aead.encrypt(_nonce(header.nonce_prefix, index), chunk, _aad(header.raw, index, final))
        writer.write(sealed)
        cipher_hash.update(sealed)
    if plain_reader.read(1):
        raise EnvelopeError(f"plaintext is longer than the {plaintext_length} bytes announced")
    return EnvelopeInfo(
        key_id=data_key.key_id,
        chunk_size=chunk_size,
        chunks=header.chunks,
        plaintext_size=plaintext_length,
        ciphertext_size=header.ciphertext_length,
        plaintext_sha256=plain_hash.hexdigest(),
        ciphertext_sha256=cipher_hash.hexdigest(),
    )


def encrypt_bytes(
    data: bytes, data_key: DataKey, *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> tuple[bytes, EnvelopeInfo]:
    out = io.BytesIO()
    info = encrypt_stream(io.BytesIO(data), out, data_key, chunk_size=chunk_size, plaintext_length=len(data))
    return out.getvalue(), info


def _read_exactly(reader: BinaryIO, size: int) -> bytes:
    parts, got = [], 0
    while got < size:
        part = reader.read(size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


# -- reading ----------------------------------------------------------------------------------------


def file_read_at(fileobj: BinaryIO) -> ReadAt:
    """A ReadAt over a seekable binary file."""

    def read_at(offset: int, length: int) -> bytes:
        fileobj.seek(offset)
        return _read_exactly(fileobj, length)

    return read_at


def _as_read_at(source: BinaryIO | ReadAt | bytes) -> ReadAt:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return lambda offset, length: data[offset : offset + length]
    if callable(source):
        return source
    return file_read_at(source)


class EnvelopeReader:
    """Random access to one encrypted segment. Every byte returned has been authenticated."""

    def __init__(self, source: BinaryIO | ReadAt | bytes, data_key: DataKey) -> None:
        self._read_at = _as_read_at(source)
        self.header = parse_header(self._read_at(0, _MAX_HEADER), data_key)
        self._aead = AESGCM(data_key.secret)

    @property
    def plaintext_length(self) -> int:
        return self.header.plaintext_length

    def open_chunk(self, index: int, sealed: bytes) -> bytes:
        header = self.header
        want = header.chunk_plain_length(index) + TAG_BYTES
        if len(sealed) < want:
            what = "is missing" if not sealed else f"is cut short ({len(sealed)} of {want} bytes)"
            raise TruncatedError(f"chunk {index} of {header.chunks} {what}: the segment is truncated", index)
        final = index == header.chunks - 1
        try:
            return self._aead.decrypt(
                _nonce(header.nonce_prefix, index), sealed[:want], _aad(header.raw, index, final)
            )
        except InvalidTag:
            raise ChunkError(
                f"chunk {index} of {header.chunks} fails authentication: modified, moved from another "
                "position or file, or encrypted under another key",
                index,
            ) from None

    def sealed_chunk(self, index: int) -> bytes:
        """Chunk ``index`` as stored (ciphertext and tag), unauthenticated; short if the object is."""
        header = self.header
        if not 0 <= index < header.chunks:
            raise IndexError(f"chunk {index} out of range 0…{header.chunks - 1}")
        return self._read_at(header.chunk_offset(index), header.chunk_plain_length(index) + TAG_BYTES)

    def chunk(self, index: int) -> bytes:
        """The plaintext of chunk ``index``."""
        return self.open_chunk(index, self.sealed_chunk(index))

    def iter_range(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Plaintext bytes [start, end), one authenticated chunk's worth at a time."""
        header = self.header
        end = header.plaintext_length if end is None else end
        if not 0 <= start <= end <= header.plaintext_length:
            raise ValueError(f"range [{start}, {end}) is outside the plaintext (0…{header.plaintext_length})")
        if start == end:
            return
        first, last = start // header.chunk_size, (end - 1) // header.chunk_size
        # One read for all the chunks the range touches (one GET on S3), then authenticate each.
        offset = header.chunk_offset(first)
        span = header.chunk_offset(last) + header.chunk_plain_length(last) + TAG_BYTES - offset
        sealed = self._read_at(offset, span)
        step = header.chunk_size + TAG_BYTES
        for index in range(first, last + 1):
            rel = (index - first) * step
            plain = self.open_chunk(index, sealed[rel : rel + step])
            base = index * header.chunk_size
            yield plain[max(start - base, 0) : end - base]

    def read(self, start: int = 0, end: int | None = None) -> bytes:
        return b"".join(self.iter_range(start, end))

    def check_no_trailing_bytes(self) -> None:
        header = self.header
        if self._read_at(header.ciphertext_length, 1):
            raise TruncatedError(
                f"bytes follow the final chunk {header.chunks - 1}: the segment was extended",
                header.chunks - 1,
            )


def decrypt_range(source: BinaryIO | ReadAt | bytes, data_key: DataKey, start: int, end: int) -> bytes:
    """Plaintext bytes [start, end) of an encrypted segment, decrypting only the chunks they lie in."""
    return EnvelopeReader(source, data_key).read(start, end)


def decrypt_stream(
    source: BinaryIO | ReadAt | bytes, writer: BinaryIO | None, data_key: DataKey
) -> EnvelopeInfo:
    """Decrypt and authenticate a whole segment into ``writer`` (or nowhere, to verify it)."""
    reader = EnvelopeReader(source, data_key)
    header = reader.header
    plain_hash, cipher_hash = hashlib.sha256(), hashlib.sha256()
    cipher_hash.update(header.raw)
    for index in range(header.chunks):
        sealed = reader.sealed_chunk(index)
        plain = reader.open_chunk(index, sealed)
        cipher_hash.update(sealed)
        plain_hash.update(plain)
        if writer is not None:
            writer.write(plain)
    reader.check_no_trailing_bytes()
    return EnvelopeInfo(
        key_id=header.key_id,
        chunk_size=header.chunk_size,
        chunks=header.chunks,
        plaintext_size=header.plaintext_length,
        ciphertext_size=header.ciphertext_length,
        plaintext_sha256=plain_hash.hexdigest(),
        ciphertext_sha256=cipher_hash.hexdigest(),
    )


def verify(source: BinaryIO | ReadAt | bytes, data_key: DataKey) -> EnvelopeInfo:
    """Authenticate every chunk and the exact length without keeping the plaintext."""
    return decrypt_stream(source, None, data_key)


def reencrypt(
    source: BinaryIO | ReadAt | bytes,
    writer: BinaryIO,
    from_key: DataKey,
    to_key: DataKey,
    *,
    expected_plaintext_sha256: str | None = None,
) -> EnvelopeInfo:
    """Re-encrypt a segment under another data key, chunk by chunk, authenticating as it goes.

    This is how a legal hold keeps footage (법 제21조③, R18): the held segment is re-encrypted under the
    hold key. Wrapping the *day key* under a hold key instead would be cheaper but wrong: the day key
    would then survive its destruction date inside the hold's wrap, and with it every other segment of
    that day whose ciphertext has not yet been collected — destroying the day key on time (R17) must
    destroy that day's footage, except the held segments, which no longer depend on it.

    The plaintext SHA-256 is recomputed; if ``expected_plaintext_sha256`` (the index's) is given and
    differs, EnvelopeError is raised before the caller could swap the new object in.
    """
    reader = EnvelopeReader(source, from_key)
    old = reader.header
    new = make_header(to_key, old.plaintext_length, old.chunk_size)
    aead = AESGCM(to_key.secret)
    plain_hash, cipher_hash = hashlib.sha256(), hashlib.sha256()
    writer.write(new.raw)
    cipher_hash.update(new.raw)
    for index in range(old.chunks):
        plain = reader.chunk(index)
        plain_hash.update(plain)
        final = index == new.chunks - 1
        sealed = aead.encrypt(_nonce(new.nonce_prefix, index), plain, _aad(new.raw, index, final))
        writer.write(sealed)
        cipher_hash.update(sealed)
    reader.check_no_trailing_bytes()
    digest = plain_hash.hexdigest()
    if expected_plaintext_sha256 is not None and digest != expected_plaintext_sha256:
        raise EnvelopeError(
            f"re-encrypted plaintext has SHA-256 {digest}, the index says {expected_plaintext_sha256}"
        )
    return EnvelopeInfo(
        key_id=to_key.key_id,
        chunk_size=new.chunk_size,
        chunks=new.chunks,
        plaintext_size=new.plaintext_length,
        ciphertext_size=new.ciphertext_length,
        plaintext_sha256=digest,
        ciphertext_sha256=cipher_hash.hexdigest(),
    )
