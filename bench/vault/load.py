"""Bulk-load the vault index straight into a freshly migrated database (bench only, never the app).

Shape: `devices` devices in device groups of `per_group` ("sites"), each recording `seconds`-long
segments (one minute by default; 10 s for the city run) without a gap for `minutes` minutes from 00:00 KST
of BASE_DAY, one day key per device and Asia/Seoul day. Object names have the form and length of
`jikimi.engine.footage.ingest.object_name` ("days/dev-N/2026-10-01/20260930T150000000000Z-1a2b3c4d.jkv"),
so that the bytes a row takes are those of a real row. Devices and day keys go through the ORM; the segment rows are generated inside the database
(a recursive CTE on SQLite, generate_series on PostgreSQL) with the secondary indexes dropped during
the load and rebuilt after — the same indexes the migrations made.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

SEOUL = ZoneInfo("Asia/Seoul")
BASE_DAY = date(2026, 10, 1)
BASE = datetime.combine(BASE_DAY, dtime(), SEOUL)  # 2026-09-30 15:00 UTC
SHA = "5" * 64
BYTES_PER_SECOND = 500_000  # 4 Mbit/s


@dataclass(frozen=True)
class Shape:
    devices: int
    minutes: int
    per_group: int
    seconds: int = 60  # one segment's length
    # Rows in the order a fleet writes them — every camera's segment of one moment, then the next — not
    # each camera's rows together: one camera's hour then lies on as many table pages as it has segments.
    interleaved: bool = False

    def __post_init__(self) -> None:
        assert 86400 % self.seconds == 0 and (self.minutes * 60) % self.seconds == 0, "whole segments a day"

    @property
    def days(self) -> int:
        return -(-self.minutes // 1440)

    @property
    def per_device(self) -> int:
        return self.minutes * 60 // self.seconds

    @property
    def per_day(self) -> int:
        return 86400 // self.seconds

    @property
    def rows(self) -> int:
        return self.devices * self.per_device

    def describe(self) -> str:
        layout = ", in time order across devices" if self.interleaved else ""
        return (
            f"{self.devices} devices × {self.per_device} segments of {self.seconds} s = {self.rows:,} rows{layout} "
            f"({self.days} day keys per device, {self.per_group} devices per group) from {BASE.isoformat()}"
        )


def devices_and_keys(shape: Shape) -> tuple[int, int, list[int]]:
    """Groups, devices and day keys through the ORM; returns (first device id, first key id, group ids)."""
    from jikimi.accounts.testing import make_group
    from jikimi.inventory.models import Device
    from jikimi.vault.models import DayKey

    groups = [
        make_group("교통행정과", f"site-{g:03d}", name=f"벤치 {g:03d}번 현장 CCTV", retention="30일")
        for g in range(-(-shape.devices // shape.per_group))
    ]
    Device.objects.bulk_create(
        [
            Device(
                device_group=groups[i // shape.per_group], name=f"카메라 {i:04d}", source_url="rtsp://bench"
            )
            for i in range(shape.devices)
        ],
        batch_size=2000,
    )
    ids = list(Device.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(ids[0], ids[0] + shape.devices)), "device ids are not contiguous"
    DayKey.objects.bulk_create(
        [
            DayKey(
                device_id=pk,
                day=BASE_DAY + timedelta(days=d),
                key_id=f"day/dev-{pk}/{BASE_DAY + timedelta(days=d)}",
                wrapped_key=secrets.token_bytes(60),
                # what the recorder counts as it indexes (DayKey.segment_count): the rows loaded below
                segment_count=min(shape.per_day, shape.per_device - d * shape.per_day),
            )
            for pk in ids
            for d in range(shape.days)
        ],
        batch_size=2000,
    )
    keys = list(DayKey.objects.order_by("id").values_list("id", "device_id", "day"))
    first_key = keys[0][0]
    for n, (pk, device_id, day) in enumerate(keys):  # the SQL below computes day_key_id from this
        assert pk == first_key + n
        assert (device_id - ids[0]) * shape.days + (day - BASE_DAY).days == n
    return ids[0], first_key, [g.pk for g in groups]


_COLUMNS = (
    'device_id, day_key_id, start, "end", frames, plaintext_bytes, plaintext_sha256, stored_bytes, '
    "ciphertext_sha256, object_name, location, had_audio, created_at, damage"
)

# The location column is empty: the objects are in the configured store (keyring.recorded_location).
_SQLITE = f"""
WITH RECURSIVE n(i) AS (SELECT %(i_lo)s UNION ALL SELECT i + 1 FROM n WHERE i + 1 <= %(i_hi)s)
INSERT INTO vault_segment ({_COLUMNS})
SELECT d.id, key, start, "end", %(frames)s, %(bytes)s, X'{SHA}', %(bytes)s + 512, X'{SHA}', name,
       '', 0, %(base)s, ''
FROM (
  SELECT d.id,
         %(key0)s + (d.id - %(dev0)s) * %(days)s + n.i / %(per_day)s AS key,
         datetime(%(base)s, '+' || (n.i * %(seconds)s) || ' seconds') AS start,
         datetime(%(base)s, '+' || ((n.i + 1) * %(seconds)s) || ' seconds') AS "end",
         'days/dev-' || d.id || '/' || date(%(base)s, '+9 hours', '+' || (n.i / %(per_day)s) || ' days')
             || '/' || strftime('%%Y%%m%%dT%%H%%M%%S', %(base)s, '+' || (n.i * %(seconds)s) || ' seconds')
             || '000000Z-' || printf('%%08x', (d.id * 2654435761 + n.i * 40503) %% 4294967296) || '.jkv'
             AS name
  FROM vault_device d, n WHERE d.id BETWEEN %(lo)s AND %(hi)s
  ORDER BY n.i, d.id
) AS d
"""  # noqa: S608 - built from this module's constants only

_POSTGRES = f"""
INSERT INTO vault_segment ({_COLUMNS})
SELECT id, key, start, "end", %(frames)s, %(bytes)s, '\\x{SHA}'::bytea, %(bytes)s + 512, '\\x{SHA}'::bytea, name,
       '', false, %(base)s::timestamptz, ''
FROM (
  SELECT d.id,
         %(key0)s + (d.id - %(dev0)s) * %(days)s + i / %(per_day)s AS key,
         %(base)s::timestamptz + i * %(seconds)s * interval '1 second' + jitter AS start,
         %(base)s::timestamptz + (i + 1) * %(seconds)s * interval '1 second' + jitter AS "end",
         'days/dev-' || d.id || '/'
             || to_char(%(base)s::timestamptz AT TIME ZONE 'Asia/Seoul' + (i / %(per_day)s) * interval '1 day',
                        'YYYY-MM-DD')
             || '/' || to_char((%(base)s::timestamptz + i * %(seconds)s * interval '1 second' + jitter)
                               AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISSUS')
             || 'Z-' || lpad(to_hex((d.id::bigint * 2654435761 + i * 40503) %% 4294967296), 8, '0')
             || '.jkv' AS name
  FROM vault_device d CROSS JOIN generate_series(%(i_lo)s, %(i_hi)s) AS i
       -- each camera's clock its own microseconds past the second, as a recorder's segments have
       CROSS JOIN LATERAL (SELECT (d.id * 7919 %% 1000000) * interval '1 microsecond' AS jitter) AS j
  WHERE d.id BETWEEN %(lo)s AND %(hi)s
  ORDER BY i, d.id
) AS d
"""  # noqa: S608 - built from this module's constants only


def _secondary_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'vault_segment' "
                "AND sql IS NOT NULL"
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'vault_segment' "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        return list(cursor.fetchall())


def _batches(shape: Shape, dev0: int) -> list[tuple[int, int, int, int]]:
    """(first device, last device, first segment, last segment) of each INSERT of ~2 M rows: by devices,
    or — interleaved — by moments across every device."""
    if shape.interleaved:
        step = max(1, 2_000_000 // shape.devices)
        return [
            (dev0, dev0 + shape.devices - 1, i, min(i + step, shape.per_device) - 1)
            for i in range(0, shape.per_device, step)
        ]
    step = max(1, 2_000_000 // shape.per_device)
    return [
        (lo, min(lo + step, dev0 + shape.devices) - 1, 0, shape.per_device - 1)
        for lo in range(dev0, dev0 + shape.devices, step)
    ]


def segments(shape: Shape, dev0: int, key0: int, progress: Any) -> dict[str, float]:
    """Insert the segment rows; returns seconds spent inserting and rebuilding indexes."""
    indexes = _secondary_indexes()
    sql = _SQLITE if connection.vendor == "sqlite" else _POSTGRES
    base = BASE.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")
    if connection.vendor == "postgresql":
        base += "+00"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
        else:
            cursor.execute("SET session_replication_role = replica")  # skip per-row FK triggers
            cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        rows = 0
        for lo, hi, i_lo, i_hi in _batches(shape, dev0):
            params = {
                "per_device": shape.per_device,
                "per_day": shape.per_day,
                "seconds": shape.seconds,
                "frames": shape.seconds * 30,
                "bytes": shape.seconds * BYTES_PER_SECOND,
                "key0": key0,
                "dev0": dev0,
                "days": shape.days,
                "base": base,
                "lo": lo,
                "hi": hi,
                "i_lo": i_lo,
                "i_hi": i_hi,
            }
            cursor.execute(sql, params)
            rows += (hi - lo + 1) * (i_hi - i_lo + 1)
            progress(f"  {rows:,} rows, {time.perf_counter() - started:.0f} s")
        inserted = time.perf_counter() - started
        for _, create in indexes:
            cursor.execute(create)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("VACUUM ANALYZE vault_segment")
        else:
            cursor.execute("PRAGMA synchronous=NORMAL")
    return {"insert_s": round(inserted, 1), "indexes_s": round(time.perf_counter() - started - inserted, 1)}
