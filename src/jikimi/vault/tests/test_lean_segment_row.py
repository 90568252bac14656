"""The segment row is lean for a city's month (issue 18, bench/vault/README.md) and loses nothing:
digests stored as bytes read back as the engine's hex, the location derived from the configured store
unless the object was written elsewhere, and one moment of a device (so one object) indexed once."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from jikimi.vault import keyring
from jikimi.vault.models import Segment
from jikimi.vault.tests.conftest import new_device, synthetic_segment

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _morning(seoul_morning: Any) -> None:
    """The segments are of 2026-11-23 (within the default retention)."""


def _raw(pk: int, column: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM vault_segment WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_digests_are_stored_as_32_bytes_and_read_as_the_engines_hex() -> None:
    segment = synthetic_segment(new_device(), START)
    stored = keyring.footage_store().get(segment.object_name)
    row = Segment.objects.get(pk=segment.pk)
    assert row.ciphertext_sha256 == hashlib.sha256(stored).hexdigest()
    assert len(row.plaintext_sha256) == 64 and int(row.plaintext_sha256, 16) >= 0
    assert bytes(_raw(row.pk, "ciphertext_sha256")) == bytes.fromhex(row.ciphertext_sha256)
    # Filters take the hex as the code has it.
    assert Segment.objects.filter(plaintext_sha256=row.plaintext_sha256).get().pk == row.pk


@pytest.mark.django_db
def test_the_location_is_kept_only_where_it_is_not_the_configured_stores() -> None:
    segment = synthetic_segment(new_device(), START)
    store = keyring.footage_store()
    assert Segment.objects.get(pk=segment.pk).location == ""
    assert keyring.segment_location(segment) == store.location(segment.object_name)
    elsewhere = "s3://old-bucket/" + segment.object_name
    assert keyring.recorded_location(segment.object_name, elsewhere) == elsewhere
    Segment.objects.filter(pk=segment.pk).update(location=elsewhere)
    assert keyring.segment_location(Segment.objects.get(pk=segment.pk)) == elsewhere


@pytest.mark.django_db
def test_one_moment_of_a_device_is_indexed_once() -> None:
    device = new_device()
    segment = synthetic_segment(device, START)
    twice = Segment.objects.get(pk=segment.pk)
    twice.pk = None
    twice.object_name = segment.object_name.replace(".jkv", "-again.jkv")
    with pytest.raises(IntegrityError), transaction.atomic():
        twice.save()
    synthetic_segment(new_device(name="정문 2번"), START)  # another device's same moment is its own


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_existing_rows_keep_their_digests_through_the_migration() -> None:
    segment = synthetic_segment(new_device(), START)
    plain, cipher = segment.plaintext_sha256, segment.ciphertext_sha256
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate([("vault", "0010_lease_handback")])
        assert _raw(segment.pk, "plaintext_sha256") == plain  # hex text before
        _migrate(latest)
        row = Segment.objects.get(pk=segment.pk)
        assert (row.plaintext_sha256, row.ciphertext_sha256) == (plain, cipher)
        assert bytes(_raw(segment.pk, "plaintext_sha256")) == bytes.fromhex(plain)
    finally:
        _migrate(latest)
    later = synthetic_segment(segment.device, START + timedelta(minutes=1))
    assert Segment.objects.get(pk=later.pk).plaintext_sha256 == later.plaintext_sha256
