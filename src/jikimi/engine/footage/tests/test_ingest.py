"""The encrypting writer, against both stores: segmenter → envelope → store, all or nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jikimi.engine.footage.envelope import EnvelopeReader, decrypt_stream, verify
from jikimi.engine.footage.errors import FootageRejected, IngestError, StorageFull, WrongKeyError
from jikimi.engine.footage.holds import hold_segment
from jikimi.engine.footage.ingest import ingest_file
from jikimi.engine.footage.keys import DataKey, MasterKey, day_key_id, hold_key_id
from jikimi.engine.footage.storage import DirectoryStore, FootageStore
from jikimi.engine.store_marker import STORE_MARKER
from jikimi.engine.synthetic import decoded_frames, stream_types

from .conftest import has_window_of

KST = ZoneInfo("Asia/Seoul")
START = datetime(2026, 11, 23, 10, 0, tzinfo=KST)


class DayKeys:
    """What the vault does: one data key per (device, day), kept only wrapped by the master key."""

    def __init__(self, device: str, fail_on: date | None = None) -> None:
        self.master = MasterKey.generate()
        self.device = device
        self.wrapped: dict[str, bytes] = {}
        self.fail_on = fail_on

    def __call__(self, day: date) -> DataKey:
        if day == self.fail_on:
            raise RuntimeError(f"key service unavailable for {day}")
        key_id = day_key_id(self.device, day)
        if key_id not in self.wrapped:
            self.wrapped[key_id] = self.master.wrap(DataKey.generate(key_id))
        return self.master.unwrap(self.wrapped[key_id], key_id)

    def key(self, key_id: str) -> DataKey:
        return self.master.unwrap(self.wrapped[key_id], key_id)


def test_a_clip_is_stored_as_encrypted_video_only_segments_with_index_rows(
    store: FootageStore, clips: dict[str, Path]
) -> None:
    keys = DayKeys("cam-0012")
    report = ingest_file(
        clips["mp4"],
        store,
        device="cam-0012",
        recording_start=START,
        key_for_day=keys,
        segment_seconds=3,
        day_zone=KST,
        chunk_size=4096,
    )
    assert report.had_audio and report.dropped_streams == ("audio:aac",)
    assert report.frames == 250 and [r.frames for r in report.rows] == [75, 75, 75, 25]
    assert report.rows[0].start == START.astimezone(UTC)
    assert report.rows[-1].end - report.rows[0].start == timedelta(seconds=10)
    assert sorted(store.list()) == sorted(r.name for r in report.rows)
    for row in report.rows:
        assert row.device == "cam-0012" and row.day == date(2026, 11, 23)
        assert row.key_id == "day/cam-0012/2026-11-23"
        assert row.name.startswith("cam-0012/2026-11-23/") and row.location == store.location(row.name)
        stored = store.get(row.name)
        assert row.size == len(stored) and row.ciphertext_sha256 == hashlib.sha256(stored).hexdigest()
        plain = EnvelopeReader(store.reader(row.name), keys.key(row.key_id)).read()
        assert hashlib.sha256(plain).hexdigest() == row.plaintext_sha256 and len(plain) == row.plaintext_size
        assert stream_types(plain) == ["video"]
        assert decoded_frames(plain) == row.frames
        assert not has_window_of(plain, stored)  # no 32-byte window of the segment in what is stored


def test_segments_either_side_of_midnight_go_under_their_own_day_keys(
    store: FootageStore, clips: dict[str, Path]
) -> None:
    keys = DayKeys("cam-1")
    start = datetime(2026, 11, 23, 23, 59, 55, tzinfo=KST)
    report = ingest_file(
        clips["silent"], store, device="cam-1", recording_start=start, key_for_day=keys, day_zone=KST
    )
    assert not report.had_audio
    assert [(r.key_id, r.frames) for r in report.rows] == [
        ("day/cam-1/2026-11-23", 125),
        ("day/cam-1/2026-11-24", 125),
    ]
    # Destroying the 23rd's key leaves the 24th readable, and the 23rd's segment unreadable by the 24th's.
    first, second = report.rows
    verify(store.reader(second.name), keys.key(second.key_id))
    with pytest.raises(WrongKeyError):
        verify(store.reader(first.name), keys.key(second.key_id))


@pytest.mark.parametrize("content", ["text", "truncated"])
def test_a_refused_file_stores_nothing(
    store: FootageStore, clips: dict[str, Path], tmp_path: Path, content: str
) -> None:
    path = tmp_path / "upload.mp4"
    if content == "text":
        path.write_text("This is not footage.\n" * 100)
    else:
        data = clips["mp4"].read_bytes()
        path.write_bytes(data[: len(data) // 2])
    asked: list[date] = []
    with pytest.raises(FootageRejected, match=str(path)):
        ingest_file(
            path,
            store,
            device="cam-1",
            recording_start=START,
            key_for_day=lambda d: asked.append(d) or DataKey.generate("x"),
        )
    assert list(store.list()) == [] and asked == []  # not even a day key was created


def test_a_failure_part_way_removes_what_was_already_stored(
    store: FootageStore, clips: dict[str, Path]
) -> None:
    keys = DayKeys("cam-1", fail_on=date(2026, 11, 24))
    start = datetime(2026, 11, 23, 23, 59, 55, tzinfo=KST)
    with pytest.raises(
        IngestError, match="ingest failed after 1 segments .*key service unavailable.*nothing was kept"
    ):
        ingest_file(
            clips["mp4"], store, device="cam-1", recording_start=start, key_for_day=keys, day_zone=KST
        )
    assert list(store.list()) == []


def test_a_full_store_refuses_the_file_before_writing(tmp_path: Path, clips: dict[str, Path]) -> None:
    root = tmp_path / "footage"
    free = DirectoryStore(root, reserve_bytes=0).free_bytes()
    nearly_full = DirectoryStore(root, reserve_bytes=free + (1 << 30))  # a disk already under its reserve
    with pytest.raises(StorageFull, match="would leave less than the reserve"):
        ingest_file(
            clips["mp4"], nearly_full, device="cam-1", recording_start=START, key_for_day=DayKeys("cam-1")
        )
    assert [p.name for p in root.rglob("*")] == [STORE_MARKER]  # nothing but the store's own marker


def test_device_ids_must_be_usable_in_object_names(store: FootageStore, clips: dict[str, Path]) -> None:
    from jikimi.engine.footage.errors import StorageConfigError

    with pytest.raises(StorageConfigError, match="device id '../cam'"):
        ingest_file(clips["mp4"], store, device="../cam", recording_start=START, key_for_day=DayKeys("x"))


def test_the_plaintext_hash_in_the_row_is_that_of_the_playable_segment(
    store: FootageStore, clips: dict[str, Path]
) -> None:
    keys = DayKeys("cam-1")
    row = ingest_file(clips["matroska"], store, device="cam-1", recording_start=START, key_for_day=keys).rows[
        0
    ]
    info = decrypt_stream(store.reader(row.name), None, keys.key(row.key_id))
    assert info.plaintext_sha256 == row.plaintext_sha256 and info.ciphertext_sha256 == row.ciphertext_sha256


def test_a_held_segment_survives_the_destruction_of_its_day_key(
    store: FootageStore, clips: dict[str, Path], tmp_path: Path
) -> None:
    keys = DayKeys("cam-1")
    rows = ingest_file(
        clips["mp4"], store, device="cam-1", recording_start=START, key_for_day=keys, segment_seconds=3
    ).rows
    held_row = rows[1]
    hold_key = DataKey.generate(hold_key_id("2026-수사-0042"))
    hold_store = DirectoryStore(tmp_path / "holds", reserve_bytes=0)  # kept apart (R18)
    held = hold_segment(
        store,
        held_row.name,
        keys.key(held_row.key_id),
        hold_key,
        hold_store,
        f"case-0042/{held_row.name}",
        expected_plaintext_sha256=held_row.plaintext_sha256,
    )
    assert held.plaintext_sha256 == held_row.plaintext_sha256 and held.key_id == "hold/2026-수사-0042"
    # Destruction (R17): the day key's wrapped form is deleted; nothing can unwrap it any more.
    del keys.wrapped[held_row.key_id]
    with pytest.raises(KeyError):
        keys.key(held_row.key_id)
    plain = EnvelopeReader(hold_store.reader(held.name), hold_key).read()
    assert hashlib.sha256(plain).hexdigest() == held_row.plaintext_sha256
    assert decoded_frames(plain) == held_row.frames


def test_a_hold_refuses_a_segment_that_differs_from_its_index_row(
    store: FootageStore, clips: dict[str, Path], tmp_path: Path
) -> None:
    from jikimi.engine.footage.errors import EnvelopeError

    keys = DayKeys("cam-1")
    row = ingest_file(clips["silent"], store, device="cam-1", recording_start=START, key_for_day=keys).rows[0]
    hold_store = DirectoryStore(tmp_path / "holds", reserve_bytes=0)
    with pytest.raises(EnvelopeError, match="the index says"):
        hold_segment(
            store,
            row.name,
            keys.key(row.key_id),
            DataKey.generate("hold/x"),
            hold_store,
            "x/seg",
            expected_plaintext_sha256="0" * 64,
        )
    assert list(hold_store.list()) == []
