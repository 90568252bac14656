"""One suite, both backends: a directory and S3 (a real moto server on 127.0.0.1)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from jikimi.engine.footage.envelope import decrypt_range, encrypt_bytes
from jikimi.engine.footage.errors import ObjectNotFound, StorageConfigError, StorageError, StorageFull
from jikimi.engine.footage.keys import DataKey
from jikimi.engine.footage.storage import DirectoryStore, FootageStore, parse_size, store_from_url
from jikimi.engine.store_marker import STORE_MARKER

from .conftest import S3_CREDENTIALS, new_bucket


class FailingReader(io.RawIOBase):
    """A source that dies after ``good`` bytes, as a dropped upload or a failing disk would."""

    def __init__(self, good: int) -> None:
        self.left = good

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self.left <= 0:
            raise OSError("source failed")
        n = min(len(buffer), self.left)
        buffer[:n] = b"x" * n
        self.left -= n
        return n


def test_put_then_get_returns_the_same_bytes(store: FootageStore) -> None:
    data = os.urandom(100_000)
    stored = store.put("cam-1/2026-11-23/a.jkv", data)
    assert stored.size == len(data)
    assert stored.location == store.location("cam-1/2026-11-23/a.jkv")
    assert store.get("cam-1/2026-11-23/a.jkv") == data
    assert store.size("cam-1/2026-11-23/a.jkv") == len(data)
    assert store.exists("cam-1/2026-11-23/a.jkv")


def test_put_accepts_a_stream(store: FootageStore) -> None:
    data = os.urandom(3 << 20)
    store.put("cam-1/stream.jkv", io.BytesIO(data))
    assert store.get("cam-1/stream.jkv") == data


def test_get_range_reads_like_a_file(store: FootageStore) -> None:
    data = bytes(range(256)) * 4
    store.put("x/r.jkv", data)
    assert store.get_range("x/r.jkv", 10, 20) == data[10:20]
    assert store.get_range("x/r.jkv", 1000) == data[1000:]
    assert store.get_range("x/r.jkv", 1000, 2000) == data[1000:]  # fewer bytes at the end
    assert store.get_range("x/r.jkv", 1024, 1025) == b""  # past the end
    assert store.get_range("x/r.jkv", 5, 5) == b""


def test_put_replaces_an_object_whole(store: FootageStore) -> None:
    store.put("x/o.jkv", b"old" * 1000)
    store.put("x/o.jkv", b"new")
    assert store.get("x/o.jkv") == b"new"


def test_delete_says_whether_the_object_existed(store: FootageStore) -> None:
    store.put("x/d.jkv", b"data")
    assert store.delete("x/d.jkv") is True
    assert not store.exists("x/d.jkv")
    assert store.delete("x/d.jkv") is False


def test_a_missing_object_is_reported_by_name(store: FootageStore) -> None:
    with pytest.raises(ObjectNotFound, match="nope.jkv: no such object"):
        store.get("x/nope.jkv")
    with pytest.raises(ObjectNotFound):
        store.size("x/nope.jkv")
    with pytest.raises(ObjectNotFound):
        store.get_range("x/nope.jkv", 3, 3)


def test_list_by_prefix_in_lexical_order(store: FootageStore) -> None:
    for name in [
        "cam-2/2026-11-23/b",
        "cam-1/2026-11-24/a",
        "cam-1/2026-11-23/b",
        "cam-1/2026-11-23/a",
        "cam-10/x",
    ]:
        store.put(name, b"-")
    assert list(store.list("cam-1/")) == ["cam-1/2026-11-23/a", "cam-1/2026-11-23/b", "cam-1/2026-11-24/a"]
    assert list(store.list("cam-1/2026-11-2")) == [
        "cam-1/2026-11-23/a",
        "cam-1/2026-11-23/b",
        "cam-1/2026-11-24/a",
    ]
    assert list(store.list("cam-1")) == [
        "cam-1/2026-11-23/a",
        "cam-1/2026-11-23/b",
        "cam-1/2026-11-24/a",
        "cam-10/x",
    ]
    assert len(list(store.list())) == 5
    assert list(store.list("cam-9/")) == []


@pytest.mark.parametrize(
    "name", ["../escape", "/abs/path", "a//b", ".hidden", "a/.tmp", "a/../b", "공백 이름", ""]
)
def test_unsafe_object_names_are_refused(store: FootageStore, name: str) -> None:
    with pytest.raises(StorageConfigError, match="invalid object name"):
        store.put(name, b"x")


def test_a_failed_put_leaves_nothing_visible(store: FootageStore) -> None:
    with pytest.raises((OSError, StorageError)):
        store.put("cam-1/2026-11-23/partial.jkv", io.BufferedReader(FailingReader(1 << 20)))
    assert not store.exists("cam-1/2026-11-23/partial.jkv")
    assert list(store.list()) == []


def test_an_envelope_reads_back_by_range_through_the_store(store: FootageStore) -> None:
    key = DataKey.generate("day/cam-1/2026-11-23")
    data = os.urandom(50_000)
    envelope, _ = encrypt_bytes(data, key, chunk_size=4096)
    store.put("cam-1/2026-11-23/seg.jkv", envelope)
    reader = store.reader("cam-1/2026-11-23/seg.jkv")
    assert decrypt_range(reader, key, 12_345, 23_456) == data[12_345:23_456]
    assert decrypt_range(reader, key, 0, len(data)) == data


# -- the directory backend ----------------------------------------------------------------------------


def test_directory_store_refuses_before_writing_when_free_space_would_fall_below_the_reserve(
    tmp_path: Path,
) -> None:
    root = tmp_path / "footage"
    probe_store = DirectoryStore(root, reserve_bytes=0)
    # Simulate a nearly full disk: a reserve 256 MiB short of what is free right now.
    full = DirectoryStore(root, reserve_bytes=probe_store.free_bytes() - (256 << 20))
    full.put("cam-1/small.jkv", b"x" * 1000)  # fits
    # A 1 GiB segment is refused before a byte is read: the source would raise if it were read.
    with pytest.raises(
        StorageFull,
        match=r"bytes free; writing cam-1/2026-11-23/big.jkv \(1073741824 bytes\) would leave less than the reserve",
    ):
        full.put("cam-1/2026-11-23/big.jkv", io.BufferedReader(FailingReader(0)), size=1 << 30)
    assert not full.exists("cam-1/2026-11-23/big.jkv")
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        STORE_MARKER,
        "cam-1",
        "cam-1/small.jkv",
    ]


def test_directory_store_removes_temporary_file_and_new_directories_after_a_failed_put(
    tmp_path: Path,
) -> None:
    root = tmp_path / "footage"
    store = DirectoryStore(root, reserve_bytes=0)
    with pytest.raises(StorageError, match="nothing was stored"):
        store.put("cam-1/2026-11-23/partial.jkv", io.BufferedReader(FailingReader(3 << 20)))
    assert [p.name for p in root.rglob("*")] == [STORE_MARKER]  # nothing but the store's own marker


def test_directory_store_never_lists_temporary_files_and_sweeps_them(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "footage", reserve_bytes=0)
    store.put("cam-1/a.jkv", b"a")
    stray = tmp_path / "footage" / "cam-1" / ".b.jkv.x1y2.tmp"  # what a crash mid-put leaves
    stray.write_bytes(b"partial")
    assert list(store.list()) == ["cam-1/a.jkv"]
    assert store.sweep_temporary() == 1
    assert not stray.exists()


def test_directory_store_keeps_footage_private(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "footage", reserve_bytes=0)
    store.put("cam-1/2026-11-23/a.jkv", b"a")
    assert (tmp_path / "footage").stat().st_mode & 0o077 == 0
    assert (tmp_path / "footage" / "cam-1").stat().st_mode & 0o077 == 0
    assert (tmp_path / "footage" / "cam-1" / "2026-11-23" / "a.jkv").stat().st_mode & 0o077 == 0


# -- the S3 backend -------------------------------------------------------------------------------------


def test_s3_store_uploads_large_objects_in_parts(s3_endpoint: str) -> None:
    from jikimi.engine.footage.storage.s3 import S3Store

    store = S3Store(
        new_bucket(s3_endpoint),
        endpoint_url=s3_endpoint,
        credentials=S3_CREDENTIALS,
        multipart_threshold=1 << 20,
        part_size=5 << 20,
    )
    data = os.urandom(11 << 20)  # three parts: 5, 5, 1 MiB
    assert store.put("cam-1/big.jkv", io.BytesIO(data)).size == len(data)
    assert store.get("cam-1/big.jkv") == data


def test_s3_store_aborts_a_failed_multipart_upload(s3_endpoint: str) -> None:
    from jikimi.engine.footage.storage.s3 import S3Store

    bucket = new_bucket(s3_endpoint)
    store = S3Store(
        bucket,
        endpoint_url=s3_endpoint,
        credentials=S3_CREDENTIALS,
        multipart_threshold=1 << 20,
        part_size=5 << 20,
    )
    with pytest.raises(OSError, match="source failed"):
        store.put("cam-1/partial.jkv", io.BufferedReader(FailingReader(6 << 20)))
    assert not store.exists("cam-1/partial.jkv")
    assert store.client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_s3_store_reports_a_missing_bucket(s3_endpoint: str) -> None:
    store = store_from_url(f"s3://no-such-bucket/p?endpoint={s3_endpoint}", credentials=S3_CREDENTIALS)
    with pytest.raises(StorageConfigError, match="bucket 'no-such-bucket' does not exist"):
        store.put("a", b"x")


# -- storage URLs ---------------------------------------------------------------------------------------


def test_store_from_url_builds_a_directory_store(tmp_path: Path) -> None:
    store = store_from_url(f"file://{tmp_path}/footage?reserve=2GiB")
    assert isinstance(store, DirectoryStore)
    assert store.root == (tmp_path / "footage").resolve()
    assert store.reserve_bytes == 2 << 30
    assert store.url == (tmp_path / "footage").resolve().as_uri()


def test_store_from_url_builds_an_s3_store_under_a_prefix(s3_endpoint: str) -> None:
    bucket = new_bucket(s3_endpoint)
    store = store_from_url(
        f"s3://{bucket}/institution/footage?endpoint={s3_endpoint}", credentials=S3_CREDENTIALS
    )
    store.put("cam-1/a.jkv", b"abc")
    assert store.location("cam-1/a.jkv") == f"s3://{bucket}/institution/footage/cam-1/a.jkv"
    assert list(store.list()) == ["cam-1/a.jkv"]
    other = store_from_url(f"s3://{bucket}/institution?endpoint={s3_endpoint}", credentials=S3_CREDENTIALS)
    assert list(other.list()) == ["footage/cam-1/a.jkv"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://host/x", "unsupported storage URL"),
        ("file://host/x", "names a local path"),
        ("file:///x?reserv=1", "unknown option"),
        ("file:///x?reserve=lots", "not a size"),
        ("s3://key:secret@bucket/x", "credentials never go in the URL"),
        ("s3://bucket/x?endpoint=http://h&acl=public", "unknown option"),
    ],
)
def test_store_from_url_refuses_what_it_cannot_use(url: str, message: str) -> None:
    with pytest.raises(StorageConfigError, match=message):
        store_from_url(url)


def test_sizes_read_as_people_write_them() -> None:
    assert parse_size("1048576") == 1 << 20
    assert parse_size("500MB") == 500_000_000
    assert parse_size("2 GiB") == 2 << 30
