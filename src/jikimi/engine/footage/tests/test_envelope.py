"""Chunked AES-256-GCM envelopes: seekable reads, and every kind of tampering detected and named."""

from __future__ import annotations

import hashlib
import io
import os
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jikimi.engine.footage.envelope import (
    TAG_BYTES,
    EnvelopeReader,
    decrypt_range,
    decrypt_stream,
    encrypt_bytes,
    encrypt_stream,
    reencrypt,
    verify,
)
from jikimi.engine.footage.errors import ChunkError, EnvelopeError, HeaderError, TruncatedError, WrongKeyError
from jikimi.engine.footage.keys import DataKey

from .conftest import has_window_of

DAY_KEY = DataKey.generate("day/cam-0012/2026-11-23")
CHUNK = 1024


def sealed(data: bytes, key: DataKey = DAY_KEY, chunk: int = CHUNK) -> tuple[bytes, int]:
    """The envelope and its header length."""
    envelope, _ = encrypt_bytes(data, key, chunk_size=chunk)
    return envelope, EnvelopeReader(envelope, key).header.length


def chunk_span(header_length: int, index: int, chunk: int = CHUNK) -> slice:
    start = header_length + index * (chunk + TAG_BYTES)
    return slice(start, start + chunk + TAG_BYTES)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 17])
def test_it_round_trips_and_reports_sizes_and_hashes(size: int) -> None:
    data = os.urandom(size)
    envelope, info = encrypt_bytes(data, DAY_KEY, chunk_size=CHUNK)
    out = io.BytesIO()
    assert decrypt_stream(envelope, out, DAY_KEY) == info
    assert out.getvalue() == data
    assert info.plaintext_sha256 == hashlib.sha256(data).hexdigest()
    assert info.ciphertext_sha256 == hashlib.sha256(envelope).hexdigest()
    assert info.ciphertext_size == len(envelope)
    assert info.chunks == max(1, -(-size // CHUNK))
    assert info.key_id == DAY_KEY.key_id


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(min_size=0, max_size=6000),
    chunk=st.integers(min_value=64, max_value=2048),
    bounds=st.tuples(st.floats(0, 1), st.floats(0, 1)),
)
def test_any_range_reads_exactly_the_plaintext_slice(
    data: bytes, chunk: int, bounds: tuple[float, float]
) -> None:
    envelope, _ = encrypt_bytes(data, DAY_KEY, chunk_size=chunk)
    start, end = sorted(round(b * len(data)) for b in bounds)
    assert decrypt_range(envelope, DAY_KEY, start, end) == data[start:end]


def test_a_range_read_touches_only_the_chunks_it_needs() -> None:
    data = os.urandom(10 * CHUNK)
    envelope, header_length = sealed(data)
    reads: list[tuple[int, int]] = []

    def read_at(offset: int, length: int) -> bytes:
        reads.append((offset, length))
        return envelope[offset : offset + length]

    reader = EnvelopeReader(read_at, DAY_KEY)
    assert reader.read(7 * CHUNK + 5, 8 * CHUNK + 9) == data[7 * CHUNK + 5 : 8 * CHUNK + 9]
    header_read, chunk_read = reads
    assert header_read[0] == 0
    assert chunk_read == (chunk_span(header_length, 7).start, 2 * (CHUNK + TAG_BYTES))


def test_it_reads_from_a_file_and_from_a_non_seekable_pipe(tmp_path) -> None:
    data = os.urandom(3 * CHUNK + 5)
    read_fd, write_fd = os.pipe()
    feeder = threading.Thread(target=lambda: (os.write(write_fd, data), os.close(write_fd)))
    feeder.start()
    with os.fdopen(read_fd, "rb") as pipe, open(tmp_path / "seg.jkv", "wb") as out:
        info = encrypt_stream(pipe, out, DAY_KEY, chunk_size=CHUNK)
    feeder.join()
    assert info.plaintext_size == len(data)
    with open(tmp_path / "seg.jkv", "rb") as f:
        assert decrypt_range(f, DAY_KEY, 100, 2 * CHUNK) == data[100 : 2 * CHUNK]


def test_ciphertext_contains_no_window_of_the_plaintext() -> None:
    # Footage-like plaintext: long repeated runs, which a weak mode (ECB, a reused nonce) would echo.
    data = (b"\x00" * 3000 + bytes(range(256)) * 8 + b"ftyp" * 500) * 3
    envelope, _ = sealed(data)
    assert not has_window_of(data, envelope)


def test_a_flipped_bit_in_a_chunk_is_detected_and_named() -> None:
    data = os.urandom(5 * CHUNK)
    envelope, header_length = sealed(data)
    for index in range(5):
        for position in (chunk_span(header_length, index).start, chunk_span(header_length, index).stop - 1):
            damaged = bytearray(envelope)
            damaged[position] ^= 0x80
            with pytest.raises(ChunkError, match=f"chunk {index} of 5 fails authentication") as caught:
                verify(bytes(damaged), DAY_KEY)
            assert caught.value.chunk == index
            # A range that does not touch the damaged chunk still reads.
            other = (index + 1) % 5
            assert (
                decrypt_range(bytes(damaged), DAY_KEY, other * CHUNK, (other + 1) * CHUNK)
                == data[other * CHUNK : (other + 1) * CHUNK]
            )


def test_a_flipped_bit_in_the_header_is_detected() -> None:
    envelope, header_length = sealed(os.urandom(3 * CHUNK))
    for position in range(8, header_length):  # past the magic: version, sizes, nonce, key id, tag
        damaged = bytearray(envelope)
        damaged[position] ^= 0x01
        with pytest.raises(HeaderError):
            verify(bytes(damaged), DAY_KEY)
    with pytest.raises(HeaderError, match="not a jikimi footage envelope"):
        verify(b"XX" + envelope[2:], DAY_KEY)


def test_swapped_chunks_are_detected_at_the_first_misplaced_one() -> None:
    envelope, header_length = sealed(os.urandom(4 * CHUNK))
    one, two = chunk_span(header_length, 1), chunk_span(header_length, 2)
    swapped = envelope[: one.start] + envelope[two] + envelope[one] + envelope[two.stop :]
    with pytest.raises(ChunkError, match="chunk 1 of 4") as caught:
        verify(swapped, DAY_KEY)
    assert caught.value.chunk == 1


def test_a_chunk_spliced_from_another_segment_under_the_same_key_is_detected() -> None:
    first, header_length = sealed(os.urandom(3 * CHUNK))
    second, _ = sealed(os.urandom(3 * CHUNK))
    spliced = (
        first[: chunk_span(header_length, 1).start]
        + second[chunk_span(header_length, 1)]
        + first[chunk_span(header_length, 2).start :]
    )
    with pytest.raises(ChunkError, match="chunk 1 of 3"):
        verify(spliced, DAY_KEY)


def test_truncation_is_detected_whether_a_chunk_is_missing_or_cut_short() -> None:
    data = os.urandom(4 * CHUNK + 100)
    envelope, header_length = sealed(data)
    last = chunk_span(header_length, 4)
    with pytest.raises(TruncatedError, match="chunk 4 of 5 is missing") as caught:
        verify(envelope[: last.start], DAY_KEY)
    assert caught.value.chunk == 4
    with pytest.raises(TruncatedError, match=r"chunk 4 of 5 is cut short \(60 of 116 bytes\)"):
        verify(envelope[: last.start + 60], DAY_KEY)
    with pytest.raises(TruncatedError, match="chunk 2 of 5 is missing"):
        decrypt_range(envelope[: chunk_span(header_length, 2).start], DAY_KEY, 0, len(data))


def test_a_shortened_final_chunk_cannot_pass_as_complete() -> None:
    # Drop the last chunk and mark the one before as final would need the key; a bare cut fails.
    data = os.urandom(2 * CHUNK)
    envelope, header_length = sealed(data)
    with pytest.raises(TruncatedError):
        verify(envelope[: chunk_span(header_length, 1).start], DAY_KEY)


def test_bytes_appended_after_the_final_chunk_are_detected() -> None:
    envelope, _ = sealed(os.urandom(2 * CHUNK))
    with pytest.raises(TruncatedError, match="bytes follow the final chunk 1"):
        verify(envelope + b"\x00", DAY_KEY)
    with pytest.raises(TruncatedError, match="extended"):
        verify(envelope + envelope[-CHUNK - TAG_BYTES :], DAY_KEY)


def test_the_wrong_key_is_refused_before_any_chunk_is_read() -> None:
    envelope, _ = sealed(os.urandom(2 * CHUNK))
    with pytest.raises(
        WrongKeyError, match="encrypted under key 'day/cam-0012/2026-11-23', not 'day/cam-0012/2026-11-24'"
    ):
        verify(envelope, DataKey.generate("day/cam-0012/2026-11-24"))
    impostor = DataKey.generate(DAY_KEY.key_id)  # same id, other key material
    with pytest.raises(HeaderError, match="wrong key material or a modified header"):
        decrypt_range(envelope, impostor, 0, 10)


def test_the_announced_length_must_match_the_plaintext() -> None:
    with pytest.raises(EnvelopeError, match="plaintext ended after 10 of the 20 bytes"):
        encrypt_stream(io.BytesIO(b"x" * 10), io.BytesIO(), DAY_KEY, plaintext_length=20)
    with pytest.raises(EnvelopeError, match="longer than the 10 bytes"):
        encrypt_stream(io.BytesIO(b"x" * 20), io.BytesIO(), DAY_KEY, plaintext_length=10)


def test_ranges_outside_the_plaintext_are_refused() -> None:
    envelope, _ = sealed(b"abc")
    with pytest.raises(ValueError, match="outside the plaintext"):
        decrypt_range(envelope, DAY_KEY, 0, 4)


def test_reencrypting_for_a_legal_hold_frees_the_segment_from_its_day_key() -> None:
    data = os.urandom(3 * CHUNK + 7)
    envelope, info = encrypt_bytes(data, DAY_KEY, chunk_size=CHUNK)
    hold = DataKey.generate("hold/2026-수사-0042")
    out = io.BytesIO()
    held = reencrypt(envelope, out, DAY_KEY, hold, expected_plaintext_sha256=info.plaintext_sha256)
    assert held.key_id == hold.key_id and held.plaintext_sha256 == info.plaintext_sha256
    assert decrypt_range(out.getvalue(), hold, 0, len(data)) == data
    # The day key can be destroyed on time (R17): the held copy no longer depends on it.
    with pytest.raises(WrongKeyError):
        verify(out.getvalue(), DAY_KEY)
    assert not has_window_of(envelope[100:400], out.getvalue())  # fresh nonces: no shared ciphertext


def test_reencrypting_refuses_a_segment_whose_plaintext_differs_from_the_index() -> None:
    envelope, _ = encrypt_bytes(b"footage", DAY_KEY, chunk_size=CHUNK)
    with pytest.raises(EnvelopeError, match="the index says"):
        reencrypt(
            envelope, io.BytesIO(), DAY_KEY, DataKey.generate("hold/x"), expected_plaintext_sha256="0" * 64
        )


def test_reencrypting_a_damaged_segment_fails_rather_than_laundering_it() -> None:
    envelope, header_length = sealed(os.urandom(2 * CHUNK))
    damaged = bytearray(envelope)
    damaged[chunk_span(header_length, 1).start] ^= 1
    with pytest.raises(ChunkError, match="chunk 1"):
        reencrypt(bytes(damaged), io.BytesIO(), DAY_KEY, DataKey.generate("hold/x"))
