# Existing totals and revisions get "migrated-<n>" in the order they were written (their id). Nothing
# points at them, so the next import of a keyed file replaces them by its own.

from django.db import migrations


def give_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias
    for name in ("DeclaredTotal", "PolicyRevision"):
        model = apps.get_model("inventory", name)
        for institution_id in model.objects.using(alias).values_list("institution_id", flat=True).distinct():
            for number, row in enumerate(
                model.objects.using(alias).filter(institution_id=institution_id).order_by("id"), start=1
            ):
                row.key, row.position = f"migrated-{number}", number - 1
                row.save(update_fields=["key", "position"])


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0012_declared_total_and_revision_keys"),
    ]

    operations = [
        migrations.RunPython(give_keys, migrations.RunPython.noop),
    ]
