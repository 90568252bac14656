# Existing locations get the key "migrated-<n>" (n: their place in the group), which the next import
# of a keyed file replaces by matching such locations by name once
# (jikimi.inventory.register_file.devices). Apart from 0004: PostgreSQL builds 0004's index at the end
# of its migration, which it cannot do after rows of the table were updated in the same transaction.

from django.db import migrations

MIGRATED_PREFIX = "migrated-"


def give_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    Location = apps.get_model("inventory", "Location")
    alias = schema_editor.connection.alias
    for group_id in Location.objects.using(alias).values_list("device_group_id", flat=True).distinct():
        rows = Location.objects.using(alias).filter(device_group_id=group_id).order_by("position", "id")
        for number, location in enumerate(rows, start=1):
            location.key = f"{MIGRATED_PREFIX}{number}"
            location.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0004_location_key"),
    ]

    operations = [
        migrations.RunPython(give_keys, migrations.RunPython.noop),
    ]
