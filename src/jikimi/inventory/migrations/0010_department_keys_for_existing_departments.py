# Existing departments get the key "migrated-<n>", which the next import of a keyed file replaces by
# matching such departments by their name (unique in the institution) once.

from django.db import migrations

MIGRATED_PREFIX = "migrated-"


def give_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    Department = apps.get_model("inventory", "Department")
    alias = schema_editor.connection.alias
    for institution_id in Department.objects.using(alias).values_list("institution_id", flat=True).distinct():
        rows = (
            Department.objects.using(alias).filter(institution_id=institution_id).order_by("position", "id")
        )
        for number, department in enumerate(rows, start=1):
            department.key = f"{MIGRATED_PREFIX}{number}"
            department.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0009_department_key"),
    ]

    operations = [
        migrations.RunPython(give_keys, migrations.RunPython.noop),
    ]
