# Locations get a stable key (the register file's `key`); existing ones get "migrated-<position>",
# which the next import of a keyed file replaces by matching such locations by name once
# (jikimi.inventory.register_file.importing).

from django.db import migrations, models

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
        ("inventory", "0003_device_moves_from_vault"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="key",
            field=models.SlugField(
                default="",
                help_text="대장 파일 안에서 이 위치를 가리키는 이름 (묶음 안에서 하나)",
                max_length=60,
                verbose_name="식별자",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
    ]
