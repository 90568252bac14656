"""Each day key counts its segments; the (device, start) index covers the existence check (issue 18).

- DayKey.segment_count: kept as segments are indexed, so that a day's destruction states how many
  segments its key sealed without reading the day's index entries (bench/vault --city: 20.9 M entries,
  5.99 s for a day of 광양시). Existing keys are counted once here.
- On PostgreSQL the unique (device, start) constraint carries end, day_key_id and damaged_at (INCLUDE):
  the existence check then reads no table page. Django's own `include=` would leave SQLite, which
  has no covering indexes, without the constraint at all, so it is done here in SQL and the model
  states the plain constraint, which both databases keep.
"""

from typing import Any

from django.db import migrations, models

COUNT = (
    "UPDATE vault_daykey SET segment_count = "
    "(SELECT COUNT(*) FROM vault_segment WHERE vault_segment.day_key_id = vault_daykey.id)"
)
CONSTRAINT = "ALTER TABLE vault_segment DROP CONSTRAINT vault_segment_device_start, ADD CONSTRAINT vault_segment_device_start UNIQUE (device_id, start)"


def covering(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONSTRAINT + ' INCLUDE ("end", day_key_id, damaged_at)')


def plain(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0028_location_coordinates"),
        ("vault", "0011_lean_segment_row"),
    ]

    operations = [
        migrations.AddField(
            model_name="daykey",
            name="segment_count",
            field=models.PositiveIntegerField(default=0, verbose_name="조각 수"),
        ),
        migrations.RunSQL(COUNT, migrations.RunSQL.noop),
        migrations.RunPython(covering, plain),
    ]
